"""Chunkings serve the reads they promise: one blob, single bytes, one event each, seeded splits."""

from __future__ import annotations

import random

import pytest

from harness.cassette.model import RecordedStream
from harness.replay.chunking import AS_RECORDED, Chunking, arrival_times, chunk_ends
from harness.replay.plan import plan_stream

FRAMES = [b"event: a\ndata: 1\n\n", b"event: b\ndata: 22\n\n", b"event: c\ndata: 333\n\n"]
BODY = b"".join(FRAMES)
FRAME_ENDS = [18, 37, 57]


def _stream(sizes: list[int] | None = None, times: list[float] | None = None) -> RecordedStream:
    sizes = sizes if sizes is not None else [10, 20, len(BODY) - 30]
    return RecordedStream(list(FRAMES), sizes, times if times is not None else [0.0] * len(sizes))


def _reads(chunking: str, stream: RecordedStream | None = None) -> list[bytes]:
    return [data for _, data in plan_stream(stream or _stream(), Chunking.parse(chunking)).reads()]


def test_whole_is_one_read_of_the_body() -> None:
    assert _reads("whole") == [BODY]
    assert chunk_ends(_stream(), Chunking("whole"), 30) == [30]


def test_byte_is_one_read_per_byte() -> None:
    assert _reads("byte") == [bytes([b]) for b in BODY]
    assert chunk_ends(_stream(), Chunking("byte"), 3) == [1, 2, 3]


def test_event_is_one_read_per_event_and_stops_at_a_cut() -> None:
    assert _reads("event") == FRAMES
    assert chunk_ends(_stream(), Chunking("event"), FRAME_ENDS[1]) == FRAME_ENDS[:2]
    assert chunk_ends(_stream(), Chunking("event"), 20) == [18, 20]


def test_recorded_follows_the_chunk_table_and_stops_at_a_cut() -> None:
    assert _reads("recorded") == [BODY[:10], BODY[10:30], BODY[30:]]
    assert chunk_ends(_stream(), AS_RECORDED, 30) == [10, 30]
    assert chunk_ends(_stream(), AS_RECORDED, 25) == [10, 25]
    # a chunk table shorter than the body: the rest comes in one last read
    assert chunk_ends(_stream([10, 5]), AS_RECORDED) == [10, 15, len(BODY)]
    assert chunk_ends(_stream([]), AS_RECORDED) == [len(BODY)]


def test_random_is_seeded_bounded_and_covers_the_body() -> None:
    first = chunk_ends(_stream(), Chunking("random", 7))
    assert first == chunk_ends(_stream(), Chunking.parse("random:7"))
    assert first != chunk_ends(_stream(), Chunking("random", 8))
    sizes = [end - start for start, end in zip([0, *first], first, strict=False)]
    assert all(1 <= size <= 64 for size in sizes) and first[-1] == len(BODY)
    # the splits of a seed are those of Python's seeded generator: a bug report's random:SEED
    # replays the same reads on every machine and version
    rng = random.Random(7)
    assert sizes[:-1] == [rng.randint(1, 64) for _ in sizes[:-1]]
    assert chunk_ends(_stream(), Chunking("random", 7), 5)[-1] == 5


@pytest.mark.parametrize("chunking", ["whole", "byte", "event", "random:3", "recorded"])
def test_an_empty_body_or_a_zero_length_has_no_reads(chunking: str) -> None:
    assert chunk_ends(RecordedStream([], [], []), Chunking.parse(chunking)) == []
    assert chunk_ends(_stream(), Chunking.parse(chunking), 0) == []
    assert chunk_ends(_stream(), Chunking.parse(chunking), 10_000)[-1] == len(BODY)


def test_parsing_and_naming_chunkings() -> None:
    assert Chunking() == AS_RECORDED == Chunking("recorded", 0)
    assert Chunking.parse("random") == Chunking("random", 0)
    assert str(Chunking.parse("random:42")) == "random:42"
    assert str(Chunking.parse("event")) == "event"
    chunking = Chunking("byte")
    assert Chunking.parse(chunking) is chunking


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("bogus", "unknown chunking 'bogus'; choose one of recorded, event, byte, random, whole (random "),
        ("random:x", "random chunking needs an integer seed, got 'x'"),
        ("byte:3", "only random chunking takes a seed, got 'byte:3'"),
        ("", "unknown chunking ''"),
    ],
)
def test_a_bad_chunking_is_refused_with_the_choices(value: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Chunking.parse(value)
    assert str(caught.value).startswith(message)


def test_arrival_times_are_those_of_the_recorded_chunk_holding_each_read_end() -> None:
    stream = _stream([10, 20, len(BODY) - 30], [0.1, 0.2, 0.3])
    assert arrival_times(stream, [5, 10, 11, 30, 31, len(BODY)]) == [0.1, 0.1, 0.2, 0.2, 0.3, 0.3]
    assert arrival_times(_stream([], []), [4, 8]) == [0.0, 0.0]
    # a chunk table that ends early: later reads take the last arrival time
    assert arrival_times(_stream([10], [0.5]), [10, 40]) == [0.5, 0.5]
