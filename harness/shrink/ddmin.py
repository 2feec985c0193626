"""Delta debugging (ddmin): the smallest subset of items on which a test still fails.

The result is 1-minimal in the usual sense: removing any single remaining
item makes the test pass (unless the budget ran out first, see
:class:`harness.shrink.budget.BudgetSpent`, which propagates).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def ddmin(items: Sequence[T], still_fails: Callable[[list[T]], bool]) -> list[T]:
    """Reduce ``items`` (on which the test is known to fail) to a 1-minimal failing subset."""
    current = list(items)
    if not current or still_fails([]):
        return []
    granularity = 2
    while len(current) >= 2:
        chunks = _split(current, granularity)
        reduced = next((chunk for chunk in chunks if still_fails(chunk)), None)
        if reduced is not None:
            current, granularity = reduced, 2
            continue
        if granularity > 2:  # with two chunks the complements are the chunks, already tried
            complement = next((rest for rest in _complements(chunks) if still_fails(rest)), None)
            if complement is not None:
                current, granularity = complement, max(granularity - 1, 2)
                continue
        if granularity >= len(current):
            break
        granularity = min(granularity * 2, len(current))
    return current


def _split(items: list[T], parts: int) -> list[list[T]]:
    size, extra = divmod(len(items), parts)
    chunks: list[list[T]] = []
    start = 0
    for number in range(parts):
        end = start + size + (1 if number < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def _complements(chunks: list[list[T]]) -> list[list[T]]:
    return [
        [item for other, chunk in enumerate(chunks) if other != number for item in chunk]
        for number in range(len(chunks))
    ]
