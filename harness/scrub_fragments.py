"""Secrets that arrive in pieces: a key split across several ``*.delta`` events.

No single event holds the key, so pattern scrubbing of each event misses it,
yet every client (and every snapshot) joins the pieces back together. This
joins the streamed strings the way reconstruction does (message text by
content ``index``, tool-call ``arguments`` and code ``input`` by tool-call
``index``), finds key-shaped spans in the joined text, and masks every piece
of them with ``*`` in the events that carried them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

Path = tuple[str | int, ...]
Piece = tuple[int, Path, str]  # frame number, where in its JSON payload, the string


def mask_split_secrets(frames: list[bytes], patterns: Sequence[re.Pattern[str]]) -> list[bytes]:
    payloads: dict[int, Any] = {}
    streams: dict[tuple[Any, ...], list[Piece]] = {}
    for number, frame in enumerate(frames):
        if b".delta" not in frame:
            continue
        payload = _payload(frame)
        if payload is None:
            continue
        payloads[number] = payload
        for key, path, value in _streamed_strings(payload):
            streams.setdefault(key, []).append((number, path, value))
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


def _streamed_strings(payload: Any) -> list[tuple[tuple[Any, ...], Path, str]]:
    found: list[tuple[tuple[Any, ...], Path, str]] = []
    if not isinstance(payload, dict) or not isinstance(payload.get("delta"), dict):
        return found
    owner, delta = payload.get("id"), payload["delta"]
    parts = delta.get("content")
    for number, part in enumerate(parts if isinstance(parts, list) else []):
        value = _get(part, ("text", "value"))
        if isinstance(value, str):
            path = ("delta", "content", number, "text", "value")
            found.append(((owner, "text", part.get("index")), path, value))
    calls = _get(delta, ("step_details", "tool_calls"))
    for number, call in enumerate(calls if isinstance(calls, list) else []):
        for field in (("function", "arguments"), ("code_interpreter", "input")):
            value = _get(call, field)
            if isinstance(value, str) and isinstance(call, dict):
                found.append(
                    (
                        (owner, field, call.get("index")),
                        ("delta", "step_details", "tool_calls", number, *field),
                        value,
                    )
                )
    return found


def _get(node: Any, path: Sequence[str]) -> Any:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


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
