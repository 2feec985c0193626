"""Shortening the streamed strings of deltas: text values, tool-call arguments, code input, logs."""

from __future__ import annotations

import copy
from dataclasses import replace

from harness.protocols import JsonPath, protocol_for
from harness.shrink.drafts import Draft, with_payload
from harness.shrink.units import Place


def streamed_strings(draft: Draft) -> list[tuple[Place, JsonPath, str]]:
    """Every streamed string longer than one character (the protocol's rule), with where it is."""
    found: list[tuple[Place, JsonPath, str]] = []
    for exchange_number, part in enumerate(draft):
        frames = part.frames or ()
        protocol = protocol_for(events=(frame.name for frame in frames))
        for frame_number, frame in enumerate(frames):
            for piece in protocol.streamed_strings(frame.name, frame.payload):
                if len(piece.value) > 1:
                    found.append(((exchange_number, frame_number), piece.path, piece.value))
    return found


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
