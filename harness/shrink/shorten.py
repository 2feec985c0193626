"""Shortening the streamed strings of deltas: text values, tool-call arguments, code input, logs."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from harness.reconstruct.merge import REPLACED_STRING_KEYS
from harness.shrink.drafts import Draft, with_payload
from harness.shrink.units import DELTA_EVENTS, Place

JsonPath = tuple[str | int, ...]


def streamed_strings(draft: Draft) -> list[tuple[Place, JsonPath, str]]:
    """Every streamed string longer than one character, with where it is."""
    found: list[tuple[Place, JsonPath, str]] = []
    for exchange_number, part in enumerate(draft):
        for frame_number, frame in enumerate(part.frames or ()):
            if frame.name in DELTA_EVENTS and isinstance(frame.payload, dict):
                for path, value in _strings(frame.payload.get("delta"), ("delta",)):
                    if len(value) > 1:
                        found.append(((exchange_number, frame_number), path, value))
    return found


def _strings(node: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                if key not in REPLACED_STRING_KEYS:
                    yield (*path, key), value
            else:
                yield from _strings(value, (*path, key))
    elif isinstance(node, list):
        for position, value in enumerate(node):
            yield from _strings(value, (*path, position))


def shorter_versions(value: str) -> list[str]:
    """What to try in place of ``value``, most reduced first: its first half, then its second half."""
    middle = len(value) // 2
    return [value[:middle], value[middle:]] if middle else []


def with_string(draft: Draft, place: Place, path: JsonPath, value: str) -> Draft:
    exchange_number, frame_number = place
    part = draft[exchange_number]
    frames = list(part.frames or ())
    payload = copy.deepcopy(frames[frame_number].payload)
    node = payload
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    frames[frame_number] = with_payload(frames[frame_number], payload)
    parts = list(draft)
    parts[exchange_number] = replace(part, frames=tuple(frames))
    return tuple(parts)
