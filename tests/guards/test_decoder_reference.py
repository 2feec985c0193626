"""The event-stream decoder against the WHATWG interpretation rules, written out plainly here as a
reference: random streams of every field kind, line end, BOM and invalid UTF-8, decoded whole, byte
by byte and in random splits, give the reference's events and event ends (seeded, so reproducible)."""

from __future__ import annotations

import random
import re

import pytest

from harness.sse import ServerSentEvent, SSEDecoder, iter_sse, parse_sse

BOM = b"\xef\xbb\xbf"
LINE_END = re.compile(rb"\r\n|\r|\n")
LONG = 1 << 16  # the decoder takes lines past this size another way


def reference(body: bytes) -> tuple[list[ServerSentEvent], list[int]]:
    """Events and the offset just past the line that dispatched each (the body's length at its end)."""
    events: list[ServerSentEvent] = []
    ends: list[int] = []
    state: dict[str, object] = {"name": None, "data": [], "id": None, "retry": None}

    def dispatch(end: int) -> None:
        data = state["data"]
        assert isinstance(data, list)
        if data:
            name = state["name"] or "message"
            retry = state["retry"]
            assert isinstance(name, str) and (retry is None or isinstance(retry, int))
            last_id = state["id"]
            assert last_id is None or isinstance(last_id, str)
            events.append(ServerSentEvent(name, "\n".join(data), last_id, retry))
            ends.append(end)
        state.update(name=None, data=[], retry=None)

    def line(raw: bytes, end: int) -> None:
        if not raw:
            dispatch(end)
            return
        text = raw.decode("utf-8", "replace")
        if text.startswith(":"):
            return
        field, colon, value = text.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "data":
            data = state["data"]
            assert isinstance(data, list)
            data.append(value)
        elif field == "event":
            state["name"] = value
        elif field == "id" and "\0" not in value:
            state["id"] = value
        elif field == "retry" and value.isascii() and value.isdigit():
            state["retry"] = int(value)

    position = len(BOM) if body.startswith(BOM) else 0
    for match in LINE_END.finditer(body, position):
        line(body[position : match.start()], match.end())
        position = match.end()
    if position < len(body):
        line(body[position:], len(body))
    dispatch(len(body))
    return events, ends


VALUES = [
    b"",
    b"x",
    b'{"a": 1}',
    b" two  spaces ",
    b"a:b",
    b"\xc3\xa9\xf0\x9f\x8c\x8d",
    b"\xff\xfe",
    b"[DONE]",
]
NAMES = [b"thread.run.created", b"message", b"", b"error", b"\xe2\x80\x99"]


def _line(rng: random.Random) -> bytes:
    kind = rng.randrange(16)
    value = rng.choice(VALUES)
    if kind < 4:
        return b"data:" + rng.choice([b"", b" ", b"  "]) + value
    if kind < 6:
        return b"event:" + rng.choice([b"", b" "]) + rng.choice(NAMES)
    if kind == 6:
        return rng.choice([b"data", b"event", b"id", b"retry"])
    if kind == 7:
        return b"id:" + rng.choice([b" 7", b"a\x00b", b"", b" \xff"])
    if kind == 8:
        return b"retry:" + rng.choice([b" 250", b"250", b" 2x", b" ", b"  3", b" \xd9\xa3"])
    if kind == 9:
        return b":" + value
    if kind == 10:
        return b"unknown: " + value
    return b""  # a blank line dispatches


def _stream(rng: random.Random, *, long_lines: bool = False) -> bytes:
    ends = rng.choice([[b"\n"], [b"\r\n"], [b"\r"], [b"\n", b"\r\n", b"\r"]])
    usual = rng.random() < 0.5  # mostly servers' own shape: event, one data line, a blank line
    parts = [BOM] if rng.random() < 0.2 else []
    for _ in range(rng.randrange(1, 12)):
        if usual and rng.random() < 0.6:
            lines = [b"event: " + rng.choice(NAMES), b"data: " + rng.choice(VALUES), b""]
        else:
            lines = [_line(rng) for _ in range(rng.randrange(1, 5))]
        if long_lines and rng.random() < 0.4:
            long = b"L" * (LONG + rng.randrange(-2, 3))
            kind = rng.randrange(4)
            if kind == 0:
                lines.insert(0, b"data: " + long)
            elif kind == 1:  # an event of the usual shape whose data is long
                lines[:0] = [b"event: " + rng.choice(NAMES), b"data: " + long, b""]
            else:  # long lines that are no data: a comment, another field
                lines.insert(0, rng.choice([b": ", b"event: ", b"id: ", b"unknown: "]) + long)
        parts += [piece + rng.choice(ends) for piece in lines]
    body = b"".join(parts)
    cut = rng.random()
    if cut < 0.15:
        body = body.rstrip(b"\r\n")  # the last event dispatched by the end of the stream
    elif cut < 0.25:
        body = body[: rng.randrange(len(body) + 1)]
    return body


def _fed(body: bytes, sizes: list[int]) -> tuple[list[ServerSentEvent], list[int]]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    position = 0
    for size in sizes:
        events += decoder.feed(body[position : position + size])
        position += size
    events += decoder.feed(body[position:])
    events += decoder.close()
    return events, decoder.event_ends


def _splits(rng: random.Random, length: int, largest: int) -> list[int]:
    sizes: list[int] = []
    while sum(sizes) < length:
        sizes.append(rng.randint(0, largest))
    return sizes


@pytest.mark.parametrize("seed", range(8))
def test_random_streams_decode_as_the_reference_in_any_split(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(60):
        body = _stream(rng)
        expected = reference(body)
        assert _fed(body, []) == expected, body
        assert _fed(body, [1] * len(body)) == expected, body
        assert _fed(body, _splits(rng, len(body), 7)) == expected, body
        assert _fed(body, _splits(rng, len(body), 300)) == expected, body
        assert parse_sse(body) == expected[0]


@pytest.mark.parametrize("seed", range(3))
def test_streams_with_long_lines_decode_as_the_reference_in_any_split(seed: int) -> None:
    rng = random.Random(100 + seed)
    for _ in range(6):
        body = _stream(rng, long_lines=True)
        expected = reference(body)
        assert _fed(body, []) == expected
        assert _fed(body, _splits(rng, len(body), 40_000)) == expected
        assert _fed(body, _splits(rng, len(body), 5_000)) == expected


def test_text_and_chunk_iterables_decode_as_bytes() -> None:
    body = BOM + b"event: e\r\ndata: \xc3\xa9\r\n\r\ndata: last"
    expected = reference(body)[0]
    assert parse_sse(body.decode("utf-8")) == expected
    assert parse_sse(iter([body[:5], body[5:]])) == expected
    assert list(iter_sse([body[n : n + 3] for n in range(0, len(body), 3)])) == expected
