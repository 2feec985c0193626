"""A clock for code that takes one (``clock: Callable[[], float]``): time moves only when told."""

from __future__ import annotations


class FakeClock:
    """``clock()`` reads the time, then moves it on by ``step``; ``advance(s)`` moves it by ``s``."""

    def __init__(self, start: float = 1000.0, step: float = 0.0) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> float:
        now = self.now
        self.now += self.step
        return now

    def advance(self, seconds: float) -> None:
        self.now += seconds
