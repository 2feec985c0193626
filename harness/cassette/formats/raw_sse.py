"""A bare `text/event-stream` body (``.sse``): one streamed response, or several back to back.

A ``data: [DONE]`` event ends a body. Events after it start the next body:
that is how ``harness export --format sse`` writes a conversation (one body
per HTTP request) and how a person pastes one. A protocol whose streams have
no ``[DONE]`` (Responses) says where its next stream starts
(``StreamProtocol.starts_next_stream``). Bytes after the last event (blank
lines, comments) stay with the last body.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

from harness.cassette.frames import Frames, offsets
from harness.cassette.model import (
    Cassette,
    Exchange,
    RecordedRequest,
    RecordedResponse,
    RecordedStream,
)
from harness.protocols import PROTOCOLS
from harness.sse.event import ServerSentEvent
from harness.sse.framing import iter_ended, starts_like_event_stream, windows

DONE_DATA = "[DONE]"
SSE_HEADERS = [("content-type", "text/event-stream; charset=utf-8")]


def looks_like_sse(data: bytes, path: Path) -> bool:
    return path.suffix.lower() in {".sse", ".txt"} or starts_like_event_stream(data)


@functools.lru_cache(maxsize=1024)  # asked of every event; a stream repeats a handful of names
def _starts_body(name: str, previous: str | None) -> bool:
    """Whether an event named ``name``, after one named ``previous`` (None: the body is empty so
    far), starts the next body although no ``[DONE]`` ended this one."""
    return previous is not None and any(p.starts_next_stream(name, previous) for p in PROTOCOLS)


class _BodyCuts:
    """Asked of each event in turn: whether it starts a new body (after a ``[DONE]``, or where
    :func:`_starts_body` says so; the first event starts none)."""

    __slots__ = ("_done", "_previous")

    def __init__(self) -> None:
        self._previous: str | None = None
        self._done = False

    def __call__(self, event: ServerSentEvent) -> bool:
        starts = self._done or _starts_body(event.event, self._previous)
        self._previous = event.event
        self._done = event.data == DONE_DATA
        return starts


def split_bodies(data: bytes) -> list[Frames]:
    """The frames of each body in ``data``, as :class:`_BodyCuts` cuts them. One decoding pass, a
    window at a time, its events let go as they are read: each body is kept as its bytes (``data``
    itself when there is one) and where its events end."""
    starts = [0]  # where each body starts in data
    ends = [offsets(())]  # where each frame of each body ends, counted from the body's start
    cuts = _BodyCuts()
    last = 0  # the end of the event before
    for event, end in iter_ended(windows(data)):
        if cuts(event):
            starts.append(last)
            ends.append(offsets(()))
        ends[-1].append(end - starts[-1])
        last = end
    if last < len(data):  # bytes after the last event stay with the last body
        ends[-1].append(len(data) - starts[-1])
    bounds = [*starts, len(data)]
    return [Frames(data[bounds[n] : bounds[n + 1]], frame_ends) for n, frame_ends in enumerate(ends)]


def iter_bodies(events: Iterable[ServerSentEvent]) -> Iterator[Iterator[ServerSentEvent]]:
    """The events of a raw body cut into bodies as :func:`split_bodies` cuts them, lazily, for a
    streaming reader (each body is read to its end before the next one is asked for)."""
    stream = iter(events)
    cuts = _BodyCuts()
    ahead = [next(stream, None)]  # the next event not yet handed out
    if ahead[0] is None:
        yield iter(())
    else:
        cuts(ahead[0])
    while ahead[0] is not None:
        yield _body_of(stream, ahead, cuts)


def _body_of(
    stream: Iterator[ServerSentEvent], ahead: list[ServerSentEvent | None], cuts: _BodyCuts
) -> Iterator[ServerSentEvent]:
    while (event := ahead[0]) is not None:
        following = ahead[0] = next(stream, None)
        last = following is None or cuts(following)
        yield event
        if last:
            return


def read_sse(data: bytes, path: Path | None = None) -> Cassette:
    """One exchange per body, whose request is unknown (``GET /``)."""
    exchanges = []
    for frames in split_bodies(data):
        size = len(frames.body)
        stream = RecordedStream(frames, [size] if size else [], [0.0] if size else [])
        response = RecordedResponse(200, "OK", list(SSE_HEADERS), stream=stream)
        exchanges.append(Exchange(RecordedRequest("GET", "/"), response))
    return Cassette(exchanges, "sse")


def write_sse(cassette: Cassette) -> bytes:
    """Every stream body of the cassette, one after the other."""
    return b"".join(stream.body for stream in cassette.streams)
