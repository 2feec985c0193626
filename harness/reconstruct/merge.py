"""Folding `*.delta` fragments into the object they belong to.

Accumulated state is a JSON tree with two extra node kinds, so that folding N
fragments costs O(N) in total:

* :class:`TextFragments` collects the pieces of a string that arrives in
  fragments (text ``value``, function ``arguments``, code ``input``, ``logs``);
  they are joined once, by :func:`materialize`.
* :class:`IndexedEntries` holds list entries by their ``index`` field (the
  position a delta names), not by arrival order; duplicate indexes in one
  delta fold into the same entry.

Identifiers (``id``, ``type``, ``name``, ``file_id``...) are replaced, never
concatenated: they are sent whole in the first fragment, and a server that
repeats them must not produce ``get_weatherget_weather``.
"""

from __future__ import annotations

from typing import Any

from harness.protocols.assistants import REPLACED_STRING_KEYS, is_indexed_list


class TextFragments(list[str]):
    """Pieces of one string, in arrival order."""

    __slots__ = ()


class IndexedEntries(dict[int, Any]):
    """Entries of a list accumulated by their ``index``."""

    __slots__ = ()


def is_index(value: object) -> bool:
    return type(value) is int and value >= 0


def _entry_index(entry: object, position: int) -> int:
    if isinstance(entry, dict):
        index = entry.get("index")
        if is_index(index):
            return int(index)  # type: ignore[arg-type]
    return position


def merge_delta(target: dict[str, Any], delta: dict[str, Any], path: str, problems: list[str]) -> None:
    """Fold ``delta`` into ``target`` in place; malformed pieces are skipped and named in ``problems``."""
    for key, value in delta.items():
        current = target.get(key)
        if value is None:
            if key not in target:
                target[key] = None
            continue
        value_type = type(value)
        if value_type is str:
            if current is None or key in REPLACED_STRING_KEYS:
                target[key] = value
            elif type(current) is TextFragments:
                current.append(value)
            elif type(current) is str:
                if value:
                    target[key] = TextFragments((current, value))
            else:
                target[key] = value
        elif value_type is dict:
            if type(current) is dict:
                merge_delta(current, value, f"{path}.{key}", problems)
            else:
                fresh: dict[str, Any] = {}
                merge_delta(fresh, value, f"{path}.{key}", problems)
                target[key] = fresh
        elif value_type is list:
            if not value:
                if current is None:
                    target[key] = []
            elif is_indexed_list(value):
                target[key] = _merge_indexed(current, value, f"{path}.{key}", problems)
            elif type(current) is list:
                current.extend(value)
            else:
                target[key] = list(value)
        else:
            target[key] = value


def _merge_indexed(current: object, entries: list[Any], path: str, problems: list[str]) -> IndexedEntries:
    if type(current) is IndexedEntries:
        accumulated = current
    elif type(current) is list:
        accumulated = IndexedEntries(
            (_entry_index(entry, position), entry) for position, entry in enumerate(current)
        )
    else:
        accumulated = IndexedEntries()
    for entry in entries:
        if type(entry) is not dict:
            problems.append(f"{path}: list entry {entry!r:.60} is not an object")
            continue
        index = entry.get("index")
        if type(index) is not int or index < 0:
            problems.append(f"{path}: list entry has no valid 'index' (got {index!r:.30})")
            continue
        existing = accumulated.get(index)
        if type(existing) is not dict:
            existing = {}
            accumulated[index] = existing
        merge_delta(existing, entry, f"{path}[{index}]", problems)
    return accumulated


def materialize(node: Any) -> Any:
    """The plain JSON value of an accumulated tree (fragments joined, indexed entries in index order)."""
    node_type = type(node)
    if node_type is dict:
        return {key: materialize(value) for key, value in node.items()}
    if node_type is TextFragments:
        return "".join(node)
    if node_type is IndexedEntries:
        return [_without_index(materialize(node[index])) for index in sorted(node)]
    if node_type is list:
        return [materialize(item) for item in node]
    return node


def _without_index(entry: Any) -> Any:
    if type(entry) is dict and "index" in entry:
        del entry["index"]
    return entry
