"""YAML for untrusted cassettes: plain data only, no aliases, no tags beyond the standard ones.

PyYAML's own safe loader still expands aliases (a few hundred bytes can
describe billions of nodes) and builds values without remembering where they
were. Here the composer refuses aliases and deep nesting as it meets them,
and values are built from the node tree by hand, recording the line and
column of every path so later type errors can point into the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from harness.cassette.formats.tree import Mark, Node, Source, child_path
from harness.errors import CassetteError

MAX_DEPTH = 100

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + name for name in ("str", "null", "bool", "int", "float", "binary", "timestamp")}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class _Refused(Exception):
    def __init__(self, message: str, mark: Any, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.where = where


class _StrictComposer(yaml.SafeLoader):
    """Only the reader/scanner/parser/composer of this loader are used, never its constructor."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise _Refused(
                "YAML aliases (*name) are not allowed in cassettes (they can expand "
                "exponentially); write the value out in full",
                self._next_mark(),
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", self._next_mark())
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _next_mark(self) -> Any:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        return event.start_mark


def _location(mark: Any, where: str = "") -> str | None:
    place = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else None
    return f"{where} ({place})" if where and place else where or place


def parse_yaml(text: str, path: Path | None) -> Node:
    """Parse one YAML document into plain values; raise :class:`CassetteError` on anything else."""
    composer: _StrictComposer | None = None
    try:
        composer = _StrictComposer(text)  # the reader checks characters already here
        root = composer.get_single_node()
    except _Refused as refused:
        raise CassetteError(path, refused.message, location=_location(refused.mark)) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "malformed document"
        raise CassetteError(path, f"invalid YAML: {problem}", location=_location(mark)) from None
    except yaml.reader.ReaderError as error:
        raise CassetteError(
            path, f"invalid YAML: {error.reason}", location=f"character {error.position}"
        ) from None
    except yaml.YAMLError as error:
        raise CassetteError(path, f"invalid YAML: {error}") from None
    finally:
        if composer is not None:
            composer.dispose()
    if root is None:
        raise CassetteError(path, "the file holds no YAML document")
    marks: dict[str, Mark] = {}
    try:
        value = _build(root, "", marks)
    except _Refused as refused:
        raise CassetteError(path, refused.message, location=_location(refused.mark, refused.where)) from None
    return Node(value, "", Source(path, marks))


def _build(node: yaml.Node, where: str, marks: dict[str, Mark]) -> Any:
    marks[where] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        return _scalar(node, where)
    if isinstance(node, SequenceNode) and node.tag == _TAG + "seq":
        return [_build(item, child_path(where, index), marks) for index, item in enumerate(node.value)]
    if isinstance(node, MappingNode) and node.tag == _TAG + "map":
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _key(key_node, where)
            if key in mapping:
                raise _Refused(f"duplicate key {key!r}", key_node.start_mark, where)
            mapping[key] = _build(value_node, child_path(where, key), marks)
        return mapping
    raise _refused_tag(node, where)


def _scalar(node: ScalarNode, where: str) -> Any:
    tag = node.tag
    if tag not in _SCALAR_TAGS:
        raise _refused_tag(node, where)
    if tag == _TAG + "str" or tag == _TAG + "timestamp":
        return node.value  # timestamps stay text: cassettes only carry them as labels
    try:
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag == _TAG + "int":
            return _CONSTRUCTOR.construct_yaml_int(node)
        if tag == _TAG + "float":
            return _CONSTRUCTOR.construct_yaml_float(node)
        return _CONSTRUCTOR.construct_yaml_binary(node)
    except (yaml.constructor.ConstructorError, ValueError) as error:
        raise _Refused(f"bad {tag.removeprefix(_TAG)} value: {error}", node.start_mark, where) from None


def _key(node: yaml.Node, where: str) -> str:
    if isinstance(node, ScalarNode) and node.tag == _TAG + "merge":
        raise _Refused("YAML merge keys (<<) are not supported in cassettes", node.start_mark, where)
    if not isinstance(node, ScalarNode) or node.tag not in _SCALAR_TAGS - {_TAG + "binary"}:
        raise _Refused("mapping keys must be plain scalars", node.start_mark, where)
    return str(node.value)


def _refused_tag(node: yaml.Node, where: str) -> _Refused:
    return _Refused(
        f"YAML tag {node.tag!r} is not allowed in a cassette (only plain data is read; "
        "nothing in a cassette is ever executed)",
        node.start_mark,
        where,
    )
