"""How a replay serves its streams: chunking, speed and faults (validated by :mod:`harness.options`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness import options
from harness.replay.chunking import AS_RECORDED, Chunking
from harness.replay.faults import Fault


@dataclass(frozen=True)
class ReplayOptions:
    chunking: Chunking = AS_RECORDED
    speed: float = 0.0
    faults: tuple[Fault, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "speed", options.speed(self.speed))

    @classmethod
    def of(
        cls, chunking: str | Chunking = "recorded", speed: object = 0.0, faults: Sequence[Fault] = ()
    ) -> ReplayOptions:
        """From user-facing values (``chunking="random:3"``, ``speed="1.5"``), each checked."""
        return cls(options.chunking(chunking), options.speed(speed), tuple(faults))
