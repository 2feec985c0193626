"""Turning a recorded stream plus replay options into the exact reads to serve."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from harness.cassette.frames import Frames
from harness.cassette.frames import frame_ends as ends_of
from harness.cassette.model import RecordedStream
from harness.replay.chunking import AS_RECORDED, Chunking, arrival_times, chunk_ends
from harness.replay.faults import CutAfter, DelayBefore, DisconnectAfter, Fault

# A replay at a recorded pace never sleeps longer than this before one read, nor in all
# (injected delays are the caller's own and are not capped).
MAX_WAIT_SECONDS = 60.0
MAX_TOTAL_WAIT_SECONDS = 600.0


@dataclass(frozen=True)
class ReplayPlan:
    """The reads to serve: read ``n`` holds the stream's bytes from ``ends[n-1]`` to ``ends[n]``,
    served after waiting ``waits[n]`` seconds. Reads are cut from the body (or the frames) as
    they are served, so a long stream is never held twice. When ``error`` is set, the stream ends by
    raising a protocol error with that message."""

    frames: Sequence[bytes]
    ends: list[int]
    waits: list[float]
    error: str | None = None

    def reads(self) -> Iterator[tuple[float, bytes]]:
        if isinstance(self.frames, Frames):  # the body is there whole: each read is one slice of it
            body, start = self.frames.body, 0
            for wait, end in zip(self.waits, self.ends, strict=True):
                yield wait, body[start:end]
                start = end
            return
        frames = iter(self.frames)
        pending = b""  # bytes of the current frame not yet served
        position = 0
        for wait, end in zip(self.waits, self.ends, strict=True):
            need = end - position
            if len(pending) >= need:
                data, pending = pending[:need], pending[need:]
            else:
                pieces = [pending]
                have = len(pending)
                while have < need:
                    frame = next(frames)
                    pieces.append(frame)
                    have += len(frame)
                joined = b"".join(pieces)
                data, pending = joined[:need], joined[need:]
            position = end
            yield wait, data


def plan_stream(
    stream: RecordedStream,
    chunking: Chunking = AS_RECORDED,
    speed: float = 0.0,
    faults: list[Fault] | tuple[Fault, ...] = (),
) -> ReplayPlan:
    frame_ends = ends_of(stream.frames)
    limit = frame_ends[-1] if frame_ends else 0
    error = stream.cut if stream.cut and stream.cut.startswith("connection-error") else None
    for fault in faults:
        if isinstance(fault, (CutAfter, DisconnectAfter)) and fault.event < len(frame_ends):
            cut_at = frame_ends[fault.event]
            if cut_at <= limit:
                limit = cut_at
                error = (
                    f"fault injected: connection lost after event {fault.event}"
                    if isinstance(fault, DisconnectAfter)
                    else None
                )
    ends = chunk_ends(stream, chunking, limit)
    waits = [0.0] * len(ends)
    if speed > 0:
        times = arrival_times(stream, ends)
        previous = 0.0
        budget = MAX_TOTAL_WAIT_SECONDS
        for number, moment in enumerate(times):
            waits[number] = min(max(0.0, moment - previous) * speed, MAX_WAIT_SECONDS, budget)
            budget -= waits[number]
            previous = max(previous, moment)
    for fault in faults:
        if isinstance(fault, DelayBefore) and 0 <= fault.event < len(frame_ends):
            first_byte = frame_ends[fault.event - 1] if fault.event else 0
            read = bisect.bisect_right(ends, first_byte)
            if read < len(waits):
                waits[read] += fault.seconds
    return ReplayPlan(stream.frames, ends, waits, error)
