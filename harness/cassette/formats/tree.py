"""A parsed cassette document, walked with its path so every type error names the place."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import CassetteError

Mark = tuple[int, int]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

_KIND_NAMES: dict[type, str] = {
    dict: "a mapping",
    list: "a list",
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    bytes: "binary data",
    type(None): "null",
}


def kind_name(value: Any) -> str:
    return _KIND_NAMES.get(type(value), type(value).__name__)


def child_path(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    if _IDENTIFIER.match(key):
        return f"{where}.{key}" if where else key
    return f"{where}[{json.dumps(key, ensure_ascii=False)}]"


@dataclass(frozen=True, slots=True)
class Source:
    """The file a document came from and, for YAML, the line/column of each path in it."""

    path: Path | None
    marks: Mapping[str, Mark] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Node:
    """One value of a parsed document and where it sits (``interactions[2].response.body``)."""

    value: Any
    where: str
    source: Source

    def error(self, message: str) -> CassetteError:
        location = self.where or "top level"
        mark = self.source.marks.get(self.where)
        if mark is not None:
            location += f" (line {mark[0]}, column {mark[1]})"
        return CassetteError(self.source.path, message, location=location)

    def expected(self, what: str) -> CassetteError:
        return self.error(f"expected {what}, got {kind_name(self.value)}")

    def child(self, key: str | int, value: Any) -> Node:
        return Node(value, child_path(self.where, key), self.source)

    def mapping(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.expected("a mapping")
        return self.value

    def has(self, key: str) -> bool:
        return isinstance(self.value, dict) and key in self.value

    def field(self, key: str) -> Node:
        mapping = self.mapping()
        if key not in mapping:
            raise self.error(f"missing key {key!r}")
        return self.child(key, mapping[key])

    def optional(self, key: str) -> Node | None:
        """The child at ``key``, or None when it is absent or null."""
        value = self.mapping().get(key)
        return None if value is None else self.child(key, value)

    def items(self) -> list[Node]:
        if not isinstance(self.value, list):
            raise self.expected("a list")
        return [self.child(index, value) for index, value in enumerate(self.value)]

    def taken_items(self) -> Iterator[Node]:
        """:meth:`items` one at a time, each let go by the document as it is handed out: for a reader
        that owns the document and walks it once, so a file of many exchanges is never held as the
        whole parsed document and every exchange built from it at once."""
        if not isinstance(self.value, list):
            raise self.expected("a list")
        values: list[Any] = self.value
        for index in range(len(values)):
            value, values[index] = values[index], None
            yield self.child(index, value)

    def entries(self) -> list[tuple[str, Node]]:
        return [(key, self.child(key, value)) for key, value in self.mapping().items()]

    def string(self) -> str:
        if not isinstance(self.value, str):
            raise self.expected("a string")
        return self.value

    def integer(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.expected("an integer")
        return self.value

    def number(self) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
            raise self.expected("a number")
        return float(self.value)

    def scalar_text(self) -> str:
        """A scalar as text: header values may be written unquoted as numbers or booleans."""
        if isinstance(self.value, str):
            return self.value
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        if isinstance(self.value, (int, float)):
            return str(self.value)
        raise self.expected("a string")
