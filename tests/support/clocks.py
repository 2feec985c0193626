"""Clocks and sleeps for tests: time moves only when told, and waits are noted, not waited."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


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


class FakeTime:
    """Stands in for the ``time`` module inside one module under test
    (``monkeypatch.setattr(module, "time", FakeTime(sleep=...))``): the functions given are
    replaced, every other name is the real ``time``'s."""

    def __init__(self, **replaced: Callable[..., Any]) -> None:
        self.__dict__.update(replaced)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


class SleepLog:
    """A ``sleep`` that waits for nothing and notes each wait in ``log``; tests may append their
    own marks (event names) to ``log`` to see where the waits fall."""

    def __init__(self, then: Callable[[], None] | None = None) -> None:
        self.log: list[float | str] = []
        self._then = then

    def __call__(self, seconds: float) -> None:
        self.log.append(float(seconds))
        if self._then is not None:
            self._then()

    @property
    def waits(self) -> list[float]:
        return [entry for entry in self.log if isinstance(entry, float)]
