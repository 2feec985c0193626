"""A bare `text/event-stream` body (``.sse``): one streamed response, or several back to back.

A ``data: [DONE]`` event ends a body. Events after it start the next body:
that is how ``harness export --format sse`` writes a conversation (one body
per HTTP request) and how a person pastes one. A protocol whose streams have
no ``[DONE]`` (Responses) says where its next stream starts
(``StreamProtocol.starts_next_stream``). Bytes after the last event (blank
lines, comments) stay with the last body.
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
from harness.protocols import PROTOCOLS
from harness.sse.decoder import SSEDecoder
from harness.sse.event import ServerSentEvent

SSE_FIELD_STARTS = (b"event:", b"data:", b":", b"id:", b"retry:", b"\xef\xbb\xbf")
DONE_DATA = "[DONE]"
SSE_HEADERS = [("content-type", "text/event-stream; charset=utf-8")]


def looks_like_sse(data: bytes, path: Path) -> bool:
    return path.suffix.lower() in {".sse", ".txt"} or data.lstrip(b"\r\n").startswith(SSE_FIELD_STARTS)


def _starts_body(name: str, previous: str | None) -> bool:
    """Whether an event named ``name``, after one named ``previous`` (None: the body is empty so
    far), starts the next body although no ``[DONE]`` ended this one."""
    return previous is not None and any(p.starts_next_stream(name, previous) for p in PROTOCOLS)


def split_bodies(data: bytes) -> list[list[bytes]]:
    """The frames of each body in ``data`` (one decoding pass), cut after every ``[DONE]``
    that more events follow and before every event :func:`_starts_body` says starts one."""
    decoder = SSEDecoder()
    events = decoder.feed(data)
    events += decoder.close()
    bodies: list[list[bytes]] = [[]]
    start = 0
    previous: str | None = None
    for number, (event, end) in enumerate(zip(events, decoder.event_ends, strict=True)):
        if _starts_body(event.event, previous):
            bodies.append([])
        bodies[-1].append(data[start:end])
        start = end
        previous = event.event
        if event.data == DONE_DATA and number < len(events) - 1:
            bodies.append([])
            previous = None
    if start < len(data):
        bodies[-1].append(data[start:])
    return bodies


def iter_bodies(events: Iterable[ServerSentEvent]) -> Iterator[Iterator[ServerSentEvent]]:
    """The events of a raw body cut into bodies as :func:`split_bodies` cuts them, lazily, for a
    streaming reader (each body is read to its end before the next one is asked for)."""
    stream = iter(events)
    ahead = [next(stream, None)]  # the next event not yet handed out
    if ahead[0] is None:
        yield iter(())
    while ahead[0] is not None:
        yield _body_of(stream, ahead)


def _body_of(
    stream: Iterator[ServerSentEvent], ahead: list[ServerSentEvent | None]
) -> Iterator[ServerSentEvent]:
    previous: str | None = None
    while ahead[0] is not None:
        event = ahead[0]
        if _starts_body(event.event, previous):
            return
        previous = event.event
        ahead[0] = next(stream, None)
        yield event
        if event.data == DONE_DATA:
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
