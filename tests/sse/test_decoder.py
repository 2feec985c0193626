"""Decoder behaviour that depends on how the bytes are split: timing and cost, not just the events."""

from __future__ import annotations

from harness.sse import SSEDecoder


def test_a_line_ended_by_a_lone_carriage_return_is_not_held_back_by_a_long_next_line() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: x\r\r") == []  # the last \r could still be the start of \r\n
    assert [event.data for event in decoder.feed(b"data: long line still being received")] == ["x"]


def test_a_very_long_line_is_collected_in_linear_time() -> None:
    decoder = SSEDecoder()
    piece = b"x" * 65536
    events = decoder.feed(b"data: ")
    for _ in range(300):  # ~20 MB: quadratic copying would take many seconds
        events += decoder.feed(piece)
    events += decoder.feed(b"\n\n")
    assert len(events) == 1 and len(events[0].data) == 300 * 65536
