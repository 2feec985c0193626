"""The LF-only fast path of SSEDecoder.feed decodes exactly like the general (CR-aware) path."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.sse import ServerSentEvent, SSEDecoder, parse_sse, split_frames

CORPUS = sorted((Path(__file__).resolve().parents[2] / "cassettes" / "real").glob("*.sse"))
ODD_FIELDS = (
    b": a comment\nid: 7\nretry: 250\nevent: thread.run.created\ndata\ndata:x\ndata:  two spaces\n"
    b"unknown: field\n\nevent\ndata: {}\n\n\n\ndata: last"
)


def decode_in_pieces(body: bytes, size: int) -> tuple[list[ServerSentEvent], list[int]]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for start in range(0, len(body), size):
        events.extend(decoder.feed(body[start : start + size]))
    events.extend(decoder.close())
    return events, decoder.event_ends


def test_odd_fields_follow_the_event_stream_rules() -> None:
    events = parse_sse(ODD_FIELDS)
    assert events == [
        ServerSentEvent("thread.run.created", "\nx\n two spaces", "7", 250),
        ServerSentEvent("message", "{}", "7", None),
        ServerSentEvent("message", "last", "7", None),
    ]


@pytest.mark.parametrize("path", [*CORPUS, None], ids=lambda p: p.name[:3] if p else "odd-fields")
def test_lf_and_crlf_bodies_decode_to_the_same_events(path: Path | None) -> None:
    body = path.read_bytes() if path else ODD_FIELDS
    crlf = body.replace(b"\n", b"\r\n")
    for size in (1, 5, 4096, len(body) + 1):
        lf_events, lf_ends = decode_in_pieces(body, size)
        crlf_events, crlf_ends = decode_in_pieces(crlf, size)
        assert lf_events == crlf_events
        assert lf_ends == decode_in_pieces(body, len(body) + 1)[1]
        assert len(crlf_ends) == len(lf_ends)
    assert b"".join(split_frames(body)) == body


def test_data_lines_do_not_leak_into_the_next_event() -> None:
    decoder = SSEDecoder()
    first = decoder.feed(b"data: a\ndata: b\n\n")
    second = decoder.feed(b"data: c\n\n")
    assert [e.data for e in first + second] == ["a\nb", "c"]
