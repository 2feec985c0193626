"""Every place inside a JSON value, and a copy with one place changed (for type-confusion tests)."""

from __future__ import annotations

import json
from typing import Any


def places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value nested in ``node`` (keys and list positions), ``node`` itself excluded."""
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += places(value, (*path, key))
    elif isinstance(node, list):
        for position, value in enumerate(node):
            found += places(value, (*path, position))
    return found


def replaced(payload: Any, place: tuple[Any, ...], value: Any) -> Any:
    """A deep copy of ``payload`` with the value at ``place`` replaced by ``value``."""
    copy = json.loads(json.dumps(payload))
    node = copy
    for step in place[:-1]:
        node = node[step]
    node[place[-1]] = value
    return copy
