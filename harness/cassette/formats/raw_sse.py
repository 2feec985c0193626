"""A bare `text/event-stream` body (``.sse``), as one streamed response."""

from __future__ import annotations

from pathlib import Path

from harness.cassette.model import (
    Cassette,
    Exchange,
    RecordedRequest,
    RecordedResponse,
    RecordedStream,
)

SSE_FIELD_STARTS = (b"event:", b"data:", b":", b"id:", b"retry:", b"\xef\xbb\xbf")


def looks_like_sse(data: bytes, path: Path) -> bool:
    return path.suffix.lower() in {".sse", ".txt"} or data.lstrip(b"\r\n").startswith(SSE_FIELD_STARTS)


def read_sse(data: bytes, path: Path | None = None) -> Cassette:
    """One exchange whose request is unknown (``GET /``) and whose response is the body."""
    response = RecordedResponse(
        200,
        "OK",
        [("content-type", "text/event-stream; charset=utf-8")],
        stream=RecordedStream.from_body(data),
    )
    return Cassette([Exchange(RecordedRequest("GET", "/"), response)], "sse")


def write_sse(cassette: Cassette) -> bytes:
    """Every stream body of the cassette, one after the other."""
    return b"".join(stream.body for stream in cassette.streams)
