"""How a replayed stream is cut into the reads a client sees."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass

from harness.cassette.frames import frame_ends as ends_of
from harness.cassette.model import RecordedStream

STRATEGIES = ("recorded", "event", "byte", "random", "whole")


@dataclass(frozen=True)
class Chunking:
    """``recorded`` (as received), ``event`` (one read per event), ``byte``, ``random``
    (seeded splits, deterministic), ``whole`` (the body in one read)."""

    strategy: str = "recorded"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ValueError(
                f"unknown chunking {self.strategy!r}; choose one of {', '.join(STRATEGIES)}"
                " (random may take a seed: random:42)"
            )

    @classmethod
    def parse(cls, value: str | Chunking) -> Chunking:
        """``"recorded"``, ``"event"``, ``"byte"``, ``"whole"``, ``"random"`` or ``"random:SEED"``."""
        if isinstance(value, Chunking):
            return value
        name, _, seed = value.partition(":")
        if seed and name == "random":
            try:
                return cls("random", int(seed))
            except ValueError:
                raise ValueError(f"random chunking needs an integer seed, got {seed!r}") from None
        if seed:
            raise ValueError(f"only random chunking takes a seed, got {value!r}")
        return cls(name)

    def __str__(self) -> str:
        return f"random:{self.seed}" if self.strategy == "random" else self.strategy


AS_RECORDED = Chunking()


def chunk_ends(stream: RecordedStream, chunking: Chunking, length: int | None = None) -> list[int]:
    """Offsets into the body where each read ends, for the first ``length`` bytes."""
    frame_ends = ends_of(stream.frames)
    total = frame_ends[-1] if frame_ends else 0
    length = total if length is None else min(length, total)
    if length == 0:
        return []
    strategy = chunking.strategy
    if strategy == "whole":
        return [length]
    if strategy == "byte":
        return list(range(1, length + 1))
    if strategy == "event":
        count = bisect.bisect_left(frame_ends, length) + 1  # the events up to the one holding the end
        return [min(end, length) for end in frame_ends[:count]]
    if strategy == "random":
        rng = random.Random(chunking.seed)
        ends, position = [], 0
        while position < length:
            position = min(length, position + rng.randint(1, 64))
            ends.append(position)
        return ends
    ends, position = [], 0
    for size in stream.chunk_sizes:
        position += size
        ends.append(min(position, length))
        if position >= length:
            break
    if not ends or ends[-1] < length:
        ends.append(length)
    return ends


def arrival_times(stream: RecordedStream, ends: list[int]) -> list[float]:
    """When each read's last byte arrived while recording (for timed replay)."""
    if not stream.chunk_times:
        return [0.0] * len(ends)
    recorded_ends, position = [], 0
    for size in stream.chunk_sizes:
        position += size
        recorded_ends.append(position)
    last = len(stream.chunk_times) - 1
    return [stream.chunk_times[min(bisect.bisect_left(recorded_ends, end), last)] for end in ends]
