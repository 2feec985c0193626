"""Python's own count of the memory a piece of work allocates (``tracemalloc``): the same on any
machine and under any load."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


def peak_of(work: Callable[[], Result]) -> tuple[Result, int]:
    """What ``work`` returns, and the most memory held at once while it ran beyond what was held
    before."""
    tracemalloc.start()
    try:
        result = work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def peak_memory(work: Callable[[], object]) -> int:
    """The most memory held at once while ``work`` ran, beyond what was held before."""
    return peak_of(work)[1]
