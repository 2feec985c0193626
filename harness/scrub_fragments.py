"""Secrets that arrive in pieces: a key split across several delta events.

No single event holds the key, so scrubbing each event alone misses it, yet
every client (and every snapshot) joins the pieces back together. This joins
the streamed strings of a stream the way the fold does, finds secrets in the
joined, decoded text (however the deltas cut it, however JSON escaped it) and
masks every piece of them with ``*`` in the events that carried them: a masked
piece keeps its length, so deltas and the snapshots that repeat them agree.

Which strings of an event are streamed, and which earlier pieces they
continue, is each protocol's one rule,
:meth:`harness.protocols.base.StreamProtocol.streamed_strings` (a path in the
payload, a key naming the joined string, the piece), the rule its fold uses.
Every protocol in :data:`harness.protocols.PROTOCOLS` is asked about every
event (an event of another protocol yields nothing under its rule), so a
protocol added there (Responses, Chat Completions...) is scrubbed with no
change here, whatever the shape of its deltas.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from harness.cassette.secrets import KnownSecrets, secret_spans
from harness.sse.decoder import parse_sse

JsonPath = tuple[str | int, ...]
Piece = tuple[int, JsonPath, str]  # frame number, where in its payload, the string


class Frame:
    """One event frame decoded once: its event name and JSON payload (None when the data is not JSON)."""

    __slots__ = ("name", "payload")

    def __init__(self, raw: bytes) -> None:
        self.name = "message"
        self.payload: Any = None
        events = parse_sse(raw)  # never raises: bad bytes decode as U+FFFD
        if len(events) != 1:
            return
        self.name, data = events[0].event, events[0].data
        if data[:1] in ("{", "["):
            try:
                self.payload = json.loads(data)
            except (ValueError, RecursionError):
                self.payload = None


def frame_payload(frame: bytes) -> Any:
    """The JSON data of one event frame, or None."""
    return Frame(frame).payload


def streamed_strings(name: str, payload: Any) -> Iterator[tuple[JsonPath, tuple[Any, ...], str]]:
    """The streamed strings of one event under every protocol's rule: (path in the payload, which
    joined string they continue, the piece)."""
    from harness.protocols import PROTOCOLS

    for protocol in PROTOCOLS:
        for piece in protocol.streamed_strings(name, payload):
            yield piece.path, (protocol.name, *piece.key), piece.value


def split_strings(frames: Iterable[tuple[int, Frame]]) -> list[list[Piece]]:
    """Streamed strings that arrived in more than one piece, each as its pieces in order."""
    strings: dict[tuple[Any, ...], list[Piece]] = {}
    for number, frame in frames:
        for path, key, value in streamed_strings(frame.name, frame.payload):
            strings.setdefault(key, []).append((number, path, value))
    return [pieces for pieces in strings.values() if len(pieces) > 1]


def each_decoded(raw: Iterable[bytes]) -> Iterator[tuple[int, Frame]]:
    """The frames whose data is JSON, by number, decoded one at a time (none of them kept)."""
    for number, frame in enumerate(raw):
        decoded = Frame(frame)
        if decoded.payload is not None:
            yield number, decoded


def joined_streamed_strings(raw: Iterable[bytes]) -> list[tuple[list[int], str]]:
    """Each split streamed string joined, with the frames its pieces came from (for detection)."""
    return [
        ([number for number, _, _ in pieces], "".join(value for _, _, value in pieces))
        for pieces in split_strings(each_decoded(raw))
    ]


def split_secret_masks(
    strings: list[list[Piece]], known: KnownSecrets | None = None
) -> dict[int, list[tuple[JsonPath, str]]]:
    """For every piece of a secret found in a joined streamed string (``strings`` as
    :func:`split_strings` gives them), the masked value to put at its place: by frame number."""
    masks: dict[int, list[tuple[JsonPath, str]]] = {}
    for pieces in strings:
        joined = "".join(value for _, _, value in pieces)
        spans = secret_spans(joined, known)
        if not spans:
            continue
        start = 0
        for number, path, value in pieces:
            end = start + len(value)
            masked = list(value)
            for span in spans:
                for position in range(max(start, span.start), min(end, span.end)):
                    masked[position - start] = "*"
            if masked != list(value):
                masks.setdefault(number, []).append((path, "".join(masked)))
            start = end
    return masks


def apply_masks(payload: Any, masks: list[tuple[JsonPath, str]]) -> None:
    for path, value in masks:
        _set(payload, path, value)


def _set(node: Any, path: JsonPath, value: str) -> None:
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def rewrite_frame(frame: bytes, payload: Any) -> bytes:
    """The frame with its data line(s) replaced by ``payload``, other lines kept."""
    lines = frame.decode("utf-8").split("\n")
    data_at = [number for number, line in enumerate(lines) if line.startswith("data:")]
    lines[data_at[0]] = "data: " + json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    for number in reversed(data_at[1:]):
        del lines[number]
    return "\n".join(lines).encode("utf-8")
