"""A raw ``.sse`` file is cut into bodies a window at a time exactly as when it was decoded whole,
and ``inspect``'s streaming cut agrees with the loader's."""

from __future__ import annotations

import random

import pytest

from harness.cassette.formats.raw_sse import DONE_DATA, iter_bodies, read_sse, split_bodies
from harness.protocols import PROTOCOLS
from harness.sse import SSEDecoder, parse_sse

EVENTS = [
    b'event: thread.message.delta\ndata: {"id":"msg_1","delta":{}}\n\n',
    b"event: done\ndata: [DONE]\n\n",
    b"data: [DONE]\n\n",
    b'event: response.created\ndata: {"type":"response.created"}\n\n',
    b'event: response.output_text.delta\ndata: {"delta":"x"}\n\n',
    b'event: response.completed\ndata: {"type":"response.completed"}\n\n',
    b'data: {"choices":[]}\n\n',
    b'event: thread.run.created\r\ndata: {"id":"run_1"}\r\n\r\n',
    b": a comment\n\n",
    b"\n",
    b"event: thread.message.delta\ndata: " + b"y" * 70_000 + b"\n\n",  # past a window
]


def _reference_split(data: bytes) -> list[list[bytes]]:
    """The cut as it was made before bodies were split a window at a time: every event decoded."""
    decoder = SSEDecoder()
    events = decoder.feed(data) + decoder.close()
    bodies: list[list[bytes]] = [[]]
    start, previous = 0, None
    for number, (event, end) in enumerate(zip(events, decoder.event_ends, strict=True)):
        if previous is not None and any(p.starts_next_stream(event.event, previous) for p in PROTOCOLS):
            bodies.append([])
        bodies[-1].append(data[start:end])
        start, previous = end, event.event
        if event.data == DONE_DATA and number < len(events) - 1:
            bodies.append([])
            previous = None
    if start < len(data):
        bodies[-1].append(data[start:])
    return bodies


def _files() -> list[bytes]:
    chosen = random.Random(16)
    files = [b"", b"\xef\xbb\xbf" + EVENTS[0], EVENTS[0] + b"data: unterminated", EVENTS[1] + b": tail\n"]
    for _ in range(12):
        files.append(b"".join(chosen.choice(EVENTS) for _ in range(chosen.randrange(1, 600))))
    return files


@pytest.mark.parametrize("data", _files(), ids=lambda data: f"{len(data)}-bytes")
def test_bodies_are_cut_as_when_the_file_was_decoded_whole(data: bytes) -> None:
    bodies = split_bodies(data)
    assert bodies == _reference_split(data)
    assert b"".join(body.body for body in bodies) == data
    streamed = [list(body) for body in iter_bodies(parse_sse(data))]
    assert streamed == [parse_sse(body.body) for body in bodies]


def test_a_file_of_one_body_is_kept_as_it_was_read_not_copied() -> None:
    data = b"".join(EVENTS[:1] * 5_000) + EVENTS[1]
    (stream,) = read_sse(data).streams
    assert stream.body is data
    assert len(stream.frames) == 5_001
