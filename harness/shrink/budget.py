"""How many checks, and until when, a shrink may run."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]


class BudgetSpent(Exception):
    """The check limit or the deadline was reached; the search stops with the best cassette so far."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Budget:
    max_checks: int
    deadline: float | None = None  # a clock() value
    checks: int = 0
    clock: Clock = field(default=time.monotonic)

    def charge(self) -> None:
        """Account for one more check, or raise :class:`BudgetSpent` if none is left."""
        if self.checks >= self.max_checks:
            raise BudgetSpent(f"reached the limit of {self.max_checks} checks")
        if self.timed_out():
            raise BudgetSpent("reached the time limit")
        self.checks += 1

    def timed_out(self) -> bool:
        return self.deadline is not None and self.clock() >= self.deadline
