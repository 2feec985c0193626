"""``random:SEED`` over a long body: reads of 1 to 64 bytes, the same on every machine and version."""

from __future__ import annotations

import random

from harness.cassette.model import RecordedStream
from harness.replay.chunking import Chunking
from harness.replay.plan import plan_stream

FRAMES = [f"event: e\ndata: {n:04d}\n\n".encode() for n in range(200)]


def test_random_reads_over_a_long_body_are_python_s_seeded_draws_of_one_to_64_bytes() -> None:
    body = b"".join(FRAMES)
    stream = RecordedStream(list(FRAMES), [len(body)], [0.0])
    reads = [data for _, data in plan_stream(stream, Chunking.parse("random:16")).reads()]
    assert b"".join(reads) == body
    sizes = [len(data) for data in reads]
    rng = random.Random(16)
    assert sizes[:-1] == [rng.randint(1, 64) for _ in sizes[:-1]]
    assert max(sizes) == 64 and min(sizes) >= 1
