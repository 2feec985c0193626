"""The event-stream decoder, through its public functions: every line end, the BOM, field rules, offsets."""

from __future__ import annotations

import pytest

from harness.sse import ServerSentEvent, SSEDecoder, iter_sse, parse_sse


def _fed(chunks: list[bytes]) -> tuple[list[ServerSentEvent], list[int]]:
    decoder = SSEDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    events += decoder.close()
    return events, decoder.event_ends


def _bytewise(body: bytes) -> tuple[list[ServerSentEvent], list[int]]:
    return _fed([body[n : n + 1] for n in range(len(body))])


def test_a_leading_bom_is_skipped_once_in_any_split() -> None:
    body = b"\xef\xbb\xbfevent: a\ndata: 1\n\n"
    whole = _fed([body])
    assert whole[0] == [ServerSentEvent("a", "1")]
    assert whole[1] == [len(body)]
    assert _bytewise(body) == whole
    assert _fed([b"\xef\xbb", b"\xbfdata: x\n\n"])[0] == [ServerSentEvent("message", "x")]
    # a second BOM is not one: it belongs to the field name, which is then unknown
    assert parse_sse(b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\n") == []
    # a body that is only part of a BOM, then ends
    assert _fed([b"\xef\xbb"]) == ([], [])
    # bytes that only start like a BOM are data
    assert parse_sse(b"\xefdata: x\n\n") == []


@pytest.mark.parametrize("end", [b"\n", b"\r", b"\r\n"])
def test_every_line_end_and_a_stream_ending_in_one_bare_line_end(end: bytes) -> None:
    body = b"data: a" + end + end + b"event: e" + end + b"data: b" + end
    expected = [ServerSentEvent("message", "a"), ServerSentEvent("e", "b")]
    assert parse_sse(body) == expected
    assert _bytewise(body)[0] == expected
    assert _fed([body])[1] == [len(b"data: a" + end + end), len(body)]


def test_a_cr_then_lf_in_the_next_chunk_is_one_line_end() -> None:
    events, ends = _fed([b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"])
    assert events == [ServerSentEvent("message", "a\nb")]
    assert ends == [len(b"data: a\r\ndata: b\r\n\r\n")]


def test_an_unterminated_last_event_is_dispatched_at_close() -> None:
    assert parse_sse(b"data: [DONE]") == [ServerSentEvent("message", "[DONE]")]
    assert parse_sse(b"event: done\ndata: [DONE]\r") == [ServerSentEvent("done", "[DONE]")]
    assert parse_sse(b"event: only-a-name\n\n") == []


def test_text_bytes_and_chunk_iterables_decode_alike() -> None:
    text = "event: greet\ndata: héllo\n\n"
    expected = [ServerSentEvent("greet", "héllo")]
    assert parse_sse(text) == expected
    assert parse_sse(text.encode()) == expected
    assert parse_sse([text.encode()[:5], text.encode()[5:]]) == expected
    assert list(iter_sse(iter([text.encode()]))) == expected


def test_field_rules() -> None:
    body = (
        b": a comment\n"
        b"data\n"  # a field with no colon: data, empty value
        b"data:no-space\n"
        b"data:  two spaces\n"
        b"id: 7\n"
        b"retry: 1500\n"
        b"unknown: ignored\n"
        b"\n"
        b"id: has\0nul\n"
        b"retry: soon\n"
        b"data: second\n"
        b"\n"
    )
    first, second = parse_sse(body)
    assert first == ServerSentEvent("message", "\nno-space\n two spaces", "7", 1500)
    # the id persists across events unless replaced by a valid one; retry does not
    assert second == ServerSentEvent("message", "second", "7", None)
    assert _bytewise(body)[0] == [first, second]


def test_event_names_and_data_reset_after_each_event() -> None:
    body = b"event: a\ndata: 1\n\ndata: 2\n\nevent: b\n\ndata: 3\n\n"
    assert parse_sse(body) == [
        ServerSentEvent("a", "1"),
        ServerSentEvent("message", "2"),
        ServerSentEvent("message", "3"),
    ]
    assert parse_sse(body.replace(b"\n", b"\r")) == parse_sse(body)


def test_event_ends_cut_the_bytes_into_frames() -> None:
    body = b": hi\n\nevent: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3"
    events, ends = _fed([body])
    assert [event.data for event in events] == ["1", "2", "3"]
    assert ends == [body.index(b"event: b"), body.index(b"data: 3"), len(body)]
    assert _bytewise(body) == (events, ends)
    assert _fed([body[:9], body[9:30], body[30:]]) == (events, ends)


def test_invalid_utf8_is_replaced_not_raised() -> None:
    assert parse_sse(b"data: \xff\xfe\n\n") == [ServerSentEvent("message", "\ufffd\ufffd")]
    assert parse_sse(b"event: \xff\ndata: x\r\n\r\n") == [ServerSentEvent("\ufffd", "x")]


class _CountedChunk(bytes):
    """A chunk that counts the bytes every ``something + chunk`` copies: ``bytes + subclass`` asks
    the subclass first (``__radd__``), so a decoder that re-copies the line it holds on every chunk
    shows up in :attr:`copied`, with no clock."""

    copied = 0

    def __radd__(self, other: bytes) -> bytes:
        _CountedChunk.copied += len(other) + len(self)
        return bytes(other) + bytes(self)


def test_a_long_line_in_many_chunks_is_copied_a_bounded_number_of_times() -> None:
    """An 8 MB line in 2,048 chunks of 4 KB: the line the decoder holds is copied a few times in
    all, not once per chunk (a decoder that copies the growing line on every chunk copies 8 GB and
    is dozens of times slower; ``bench/hostile_sizes.py`` times it)."""
    line = 8 << 20
    chunks: list[bytes] = [_CountedChunk(b"data: "), *[_CountedChunk(b"x" * 4096)] * 2048]
    chunks.append(_CountedChunk(b"\n\n"))
    _CountedChunk.copied = 0
    events, ends = _fed(chunks)
    assert _CountedChunk.copied <= 2 * line, f"{_CountedChunk.copied:,} bytes copied for a {line:,}-byte line"
    assert events == [ServerSentEvent("message", "x" * line)]
    assert (events, ends) == _fed([b"".join(chunks)])
