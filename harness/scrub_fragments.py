"""Secrets that arrive in pieces: a key split across several ``*.delta`` events.

No single event holds the key, so scrubbing each event alone misses it, yet
every client (and every snapshot) joins the pieces back together. This joins
the streamed strings of the deltas the way the fold does, finds secrets in the
joined, decoded text (however the deltas cut it, however JSON escaped it) and
masks every piece of them with ``*`` in the events that carried them: a masked
delta keeps its length, so deltas and the snapshots that repeat them agree.

Which strings of a delta are streamed is each protocol's one rule
(:meth:`~harness.protocols.base.StreamProtocol.streamed_strings`, the strings
its fold joins): for run streams every string field except the identifiers,
list entries keyed by their ``index``; a Responses ``*.delta`` event's
``delta``; a chat chunk's content, refusal and tool-call function fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from harness.cassette.secrets import KnownSecrets, secret_spans

Place = tuple[Any, Any]  # (container, key in it): where a streamed piece sits in its payload
Piece = tuple[int, Place, str]  # frame number, where, the string


def frame_payload(frame: bytes) -> Any:
    """The JSON data of one event frame, or None."""
    try:
        lines = frame.decode("utf-8").splitlines()
        data = "\n".join(line[5:].removeprefix(" ") for line in lines if line.startswith("data:"))
        return json.loads(data) if data[:1] in ("{", "[") else None
    except (ValueError, RecursionError):
        return None


def delta_event_name(payload: Any) -> str | None:
    """The delta event a payload is, named as its protocol names it, or None. Every protocol's
    delta payload says what it is (``type`` of a Responses event, ``object`` of a run-stream delta
    or a chat chunk), so frames are recognised without their ``event:`` line."""
    if type(payload) is not dict:
        return None
    from harness.protocols import PROTOCOLS

    for name in (payload.get("type"), payload.get("object")):
        if type(name) is str and any(name in protocol.delta_events for protocol in PROTOCOLS):
            return name
    return None


def streamed_strings(payload: Any) -> Iterator[tuple[tuple[Any, ...], Place, str]]:
    """The streamed strings of one delta event: (which string they continue, where, the piece),
    by the rule of the protocol whose delta it is."""
    from harness.protocols import PROTOCOLS

    name = delta_event_name(payload)
    if name is None:
        return
    for protocol in PROTOCOLS:
        if name not in protocol.delta_events:
            continue
        for piece in protocol.streamed_strings(name, payload):
            container = payload
            for step in piece.path[:-1]:
                container = container[step]
            yield piece.key, (container, piece.path[-1]), piece.value


def split_strings(payloads: dict[int, Any]) -> list[list[Piece]]:
    """Streamed strings that arrived in more than one piece, each as its pieces in order."""
    strings: dict[tuple[Any, ...], list[Piece]] = {}
    for number, payload in payloads.items():
        for key, place, value in streamed_strings(payload):
            strings.setdefault(key, []).append((number, place, value))
    return [pieces for pieces in strings.values() if len(pieces) > 1]


def delta_payloads(frames: Sequence[bytes]) -> dict[int, Any]:
    payloads = {}
    for number, frame in enumerate(frames):
        if b"delta" in frame:  # every protocol's delta payload holds the word
            payload = frame_payload(frame)
            if delta_event_name(payload) is not None:
                payloads[number] = payload
    return payloads


def joined_streamed_strings(frames: Sequence[bytes]) -> list[tuple[list[int], str]]:
    """Each split streamed string joined, with the frames its pieces came from (for detection)."""
    return [
        ([number for number, _, _ in pieces], "".join(value for _, _, value in pieces))
        for pieces in split_strings(delta_payloads(frames))
    ]


def mask_split_secrets(payloads: dict[int, Any], known: KnownSecrets | None = None) -> set[int]:
    """Mask, in place in ``payloads``, every piece of a secret found in a joined streamed string;
    the numbers of the payloads changed."""
    changed: set[int] = set()
    for pieces in split_strings(payloads):
        joined = "".join(value for _, _, value in pieces)
        spans = secret_spans(joined, known)
        if not spans:
            continue
        start = 0
        for number, (container, key), value in pieces:
            end = start + len(value)
            masked = list(value)
            for span in spans:
                for position in range(max(start, span.start), min(end, span.end)):
                    masked[position - start] = "*"
            if masked != list(value):
                container[key] = "".join(masked)
                changed.add(number)
            start = end
    return changed


def rewrite_frame(frame: bytes, payload: Any) -> bytes:
    """The frame with its data line(s) replaced by ``payload``, other lines kept."""
    lines = frame.decode("utf-8").split("\n")
    data_at = [number for number, line in enumerate(lines) if line.startswith("data:")]
    lines[data_at[0]] = "data: " + json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    for number in reversed(data_at[1:]):
        del lines[number]
    return "\n".join(lines).encode("utf-8")
