"""Where the emulator's Unix timestamps come from.

Each run keeps its own :class:`Timeline`: the scenario moves it forward by the
seconds a real model would have spent (queueing, thinking, running code), so the
timestamps inside one stream look like a real one even when no real time passes.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""
        ...

    def observe(self, timestamp: float) -> None:
        """Told the latest simulated time, so a fixed clock never runs backwards."""
        ...


class SystemClock:
    """Wall-clock time; simulated seconds of one run do not leak into the next."""

    def now(self) -> float:
        return time.time()

    def observe(self, timestamp: float) -> None:
        return None


class FixedClock:
    """A clock that only moves when runs simulate time: same requests, same timestamps."""

    # Late 2025, when the newest captures in the corpus were made.
    DEFAULT_START = 1_761_861_531

    def __init__(self, start: float = DEFAULT_START) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def observe(self, timestamp: float) -> None:
        with self._lock:
            self._now = max(self._now, timestamp)


class Timeline:
    """Simulated time of one run, starting from the clock and moved forward by the scenario."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._now = clock.now()

    def now(self) -> int:
        return int(self._now)

    def elapse(self, seconds: float) -> int:
        self._now += seconds
        self._clock.observe(self._now)
        return int(self._now)

    def catch_up(self) -> None:
        """Resume after a pause (requires_action): never earlier than the clock."""
        self._now = max(self._now, self._clock.now())
