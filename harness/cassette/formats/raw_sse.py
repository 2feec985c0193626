"""A bare `text/event-stream` body (``.sse``): one streamed response, or several back to back.

A ``data: [DONE]`` event ends a body. Events after it start the next body:
that is how ``harness export --format sse`` writes a conversation (one body
per HTTP request) and how a person pastes one. A protocol whose streams carry
no ``[DONE]`` (Responses) names its closing and opening events instead
(:func:`harness.protocols.body_boundaries`): an opening event after a closing
one starts the next body. Bytes after the last event (blank lines, comments)
stay with the last body.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from harness.cassette.model import (
    Cassette,
    Exchange,
    RecordedRequest,
    RecordedResponse,
    RecordedStream,
)
from harness.sse.decoder import SSEDecoder
from harness.sse.event import ServerSentEvent

SSE_FIELD_STARTS = (b"event:", b"data:", b":", b"id:", b"retry:", b"\xef\xbb\xbf")
DONE_DATA = "[DONE]"
SSE_HEADERS = [("content-type", "text/event-stream; charset=utf-8")]


def looks_like_sse(data: bytes, path: Path) -> bool:
    return path.suffix.lower() in {".sse", ".txt"} or data.lstrip(b"\r\n").startswith(SSE_FIELD_STARTS)


class _BodyCuts:
    """Where one body ends and the next starts, asked once per event in order (see the module's
    docstring)."""

    def __init__(self) -> None:
        from harness.protocols import body_boundaries

        self._closing, self._opening = body_boundaries()
        self._after_done = False
        self._after_closing = False

    def starts_next(self, event: ServerSentEvent) -> bool:
        """Whether ``event`` opens a new body: anything after ``[DONE]``, an opening event after a
        closing one."""
        cut = self._after_done or (self._after_closing and event.event in self._opening)
        if cut:
            self._after_done = self._after_closing = False
        if event.data == DONE_DATA:
            self._after_done = True
        elif event.event in self._closing:
            self._after_closing = True
        return cut


def split_bodies(data: bytes) -> list[list[bytes]]:
    """The frames of each body in ``data`` (one decoding pass), cut after every ``[DONE]``
    that more events follow, and between a closing and an opening event."""
    decoder = SSEDecoder()
    events = decoder.feed(data)
    events += decoder.close()
    cuts = _BodyCuts()
    bodies: list[list[bytes]] = [[]]
    start = 0
    for event, end in zip(events, decoder.event_ends, strict=True):
        if cuts.starts_next(event) and bodies[-1]:
            bodies.append([])
        bodies[-1].append(data[start:end])
        start = end
    if start < len(data):
        bodies[-1].append(data[start:])
    return bodies


def iter_bodies(events: Iterable[ServerSentEvent]) -> Iterator[Iterator[ServerSentEvent]]:
    """The events of a raw body cut into bodies as :func:`split_bodies` cuts them, lazily, for a
    streaming reader (each body is read to its end before the next one is asked for)."""
    stream = iter(events)
    cuts = _BodyCuts()
    ahead = [next(stream, None)]  # the next event not yet handed out
    if ahead[0] is None:
        yield iter(())
    else:
        cuts.starts_next(ahead[0])
    while ahead[0] is not None:
        yield _body_of(stream, ahead, cuts)


def _body_of(
    stream: Iterator[ServerSentEvent], ahead: list[ServerSentEvent | None], cuts: _BodyCuts
) -> Iterator[ServerSentEvent]:
    while ahead[0] is not None:
        event = ahead[0]
        ahead[0] = next(stream, None)
        yield event
        if ahead[0] is not None and cuts.starts_next(ahead[0]):
            return


def read_sse(data: bytes, path: Path | None = None) -> Cassette:
    """One exchange per body, whose request is unknown (``GET /``)."""
    exchanges = []
    for frames in split_bodies(data):
        size = sum(len(frame) for frame in frames)
        stream = RecordedStream(frames, [size] if size else [], [0.0] if size else [])
        response = RecordedResponse(200, "OK", list(SSE_HEADERS), stream=stream)
        exchanges.append(Exchange(RecordedRequest("GET", "/"), response))
    return Cassette(exchanges, "sse")


def write_sse(cassette: Cassette) -> bytes:
    """Every stream body of the cassette, one after the other."""
    return b"".join(stream.body for stream in cassette.streams)
