"""Secrets that arrive in pieces: a key split across several ``*.delta`` events.

No single event holds the key, so pattern scrubbing of each event misses it,
yet every client (and every snapshot) joins the pieces back together. This
joins the streamed strings exactly as reconstruction does (the protocol's one
rule, :meth:`~harness.protocols.base.StreamProtocol.streamed_strings`: text
values, annotation text, tool-call arguments, code input and logs...), finds
key-shaped spans in the joined text, and masks every piece of them with ``*``
in the events that carried them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from harness.protocols import JsonPath, protocol_for
from harness.sse.decoder import parse_sse

Path = JsonPath
Piece = tuple[int, Path, str]  # frame number, where in its JSON payload, the string


def mask_split_secrets(frames: list[bytes], patterns: Sequence[re.Pattern[str]]) -> list[bytes]:
    payloads: dict[int, Any] = {}
    streams: dict[tuple[Any, ...], list[Piece]] = {}
    protocol = None
    for number, frame in enumerate(frames):
        if b".delta" not in frame:
            continue
        payload = _payload(frame)
        if payload is None:
            continue
        name = _event_name(frame)
        if protocol is None:
            protocol = protocol_for(events=[name])
        payloads[number] = payload
        for piece in protocol.streamed_strings(name, payload):
            streams.setdefault(piece.key, []).append((number, piece.path, piece.value))
    changed: set[int] = set()
    for pieces in streams.values():
        if len(pieces) > 1:
            changed |= _mask(pieces, patterns, payloads)
    if not changed:
        return frames
    return [
        _rewrite(frame, payloads[number]) if number in changed else frame
        for number, frame in enumerate(frames)
    ]


def _payload(frame: bytes) -> Any:
    try:
        lines = frame.decode("utf-8").splitlines()
        data = "\n".join(line[5:].removeprefix(" ") for line in lines if line.startswith("data:"))
        return json.loads(data)
    except ValueError:
        return None


def _event_name(frame: bytes) -> str:
    events = parse_sse(frame)
    return events[0].event if events else ""


def _mask(pieces: list[Piece], patterns: Sequence[re.Pattern[str]], payloads: dict[int, Any]) -> set[int]:
    joined = "".join(value for _, _, value in pieces)
    spans = [match.span() for pattern in patterns for match in pattern.finditer(joined)]
    changed: set[int] = set()
    start = 0
    for number, path, value in pieces:
        end = start + len(value)
        masked = list(value)
        for span_start, span_end in spans:
            for position in range(max(start, span_start), min(end, span_end)):
                masked[position - start] = "*"
        if masked != list(value):
            _set(payloads[number], path, "".join(masked))
            changed.add(number)
        start = end
    return changed


def _set(node: Any, path: Path, value: str) -> None:
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _rewrite(frame: bytes, payload: Any) -> bytes:
    """The frame with its data line(s) replaced by the masked payload, other lines kept."""
    lines = frame.decode("utf-8").split("\n")
    data_at = [number for number, line in enumerate(lines) if line.startswith("data:")]
    lines[data_at[0]] = "data: " + json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    for number in reversed(data_at[1:]):
        del lines[number]
    return "\n".join(lines).encode("utf-8")
