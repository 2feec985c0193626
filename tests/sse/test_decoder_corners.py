"""Corners of the decoder: only a byte-order mark at the very start of a stream is skipped, however
the bytes are cut; bytes that are not UTF-8 are replaced wherever they sit."""

from __future__ import annotations

from harness.sse import ServerSentEvent, iter_sse, parse_sse


def test_a_bom_cut_across_chunks_before_an_unterminated_last_line_is_skipped() -> None:
    # the last line arrives with the rest of the mark, without a line end: the mark is dropped at close
    chunks = [b"\xef", b"\xbb\xbfdata: x"]
    assert list(iter_sse(chunks)) == [ServerSentEvent("message", "x")] == parse_sse(b"".join(chunks))


def test_a_bom_at_the_start_of_a_later_chunk_is_not_one() -> None:
    # past the start it belongs to the field name, which is then unknown: the event is not dispatched
    chunks = [b"data: a\n\n", b"\xef\xbb\xbfdata: b\n\n"]
    assert list(iter_sse(chunks)) == [ServerSentEvent("message", "a")] == parse_sse(b"".join(chunks))


def test_an_event_name_that_is_not_utf8_is_decoded_with_replacement_outside_the_usual_shape() -> None:
    # an id line between the name and the data: the event is read line by line, not in one match
    body = b"event: caf\xff\nid: 1\ndata: x\n\n"
    assert parse_sse(body) == [ServerSentEvent("caf\ufffd", "x", "1")]
