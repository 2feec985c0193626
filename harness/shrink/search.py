"""The shrink search: passes of ddmin and rewrites, repeated until none makes the cassette smaller.

Passes, in order: drop whole exchanges; drop steps and messages (all their
events together) and single other events (run snapshots, ``thread.created``,
``error``); drop single deltas, then any single event; join consecutive deltas of the same part;
shorten streamed strings. With ``allow_malformed`` every event may go,
``done`` included, and nothing is repaired or refused; otherwise each
candidate gets its terminal snapshots brought in line with its deltas and is
dropped, without running the check, when it breaks the protocol more than
the original did.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from harness.cassette.model import Cassette
from harness.errors import HarnessError
from harness.shrink.budget import Budget, BudgetSpent, Clock
from harness.shrink.ddmin import ddmin
from harness.shrink.drafts import Draft, cassette_from_draft, draft_from_cassette, event_count
from harness.shrink.merges import apply_merges, merge_runs
from harness.shrink.repair import agree_snapshots
from harness.shrink.shorten import shorter_versions, streamed_strings, with_string
from harness.shrink.units import (
    Unit,
    delta_units,
    event_units,
    lifecycle_units,
    only_exchanges,
    without_places,
)
from harness.shrink.wellformed import WellFormedness

DEFAULT_MAX_CHECKS = 500


class NothingToShrinkError(HarnessError):
    """The check does not fail on the cassette as given, so there is no failure to keep."""


@dataclass(frozen=True)
class ShrinkProgress:
    phase: str
    checks: int
    events: int


@dataclass(frozen=True)
class ShrinkResult:
    cassette: Cassette
    checks: int
    events_before: int
    events_after: int
    stopped: str | None = None  # why the search ended early (time or check limit); None when it finished


Predicate = Callable[[Cassette], bool]


def shrink_cassette(
    cassette: Cassette,
    still_fails: Predicate,
    *,
    allow_malformed: bool = False,
    max_checks: int = DEFAULT_MAX_CHECKS,
    deadline: float | None = None,
    progress: Callable[[ShrinkProgress], None] | None = None,
    clock: Clock = time.monotonic,
) -> ShrinkResult:
    """The smallest cassette found on which ``still_fails`` is still true.

    ``still_fails(candidate)`` is called once on ``cassette`` first (raising
    :class:`NothingToShrinkError` if it is false there, :class:`BudgetSpent` if even
    that check cannot run in time), then on smaller
    candidates; every call counts against ``max_checks``. ``deadline`` is a
    ``clock()`` value (:func:`time.monotonic` by default) after which no new
    check starts. The input cassette is never modified.
    """
    search = _Search(
        cassette, still_fails, allow_malformed, Budget(max_checks, deadline, clock=clock), progress
    )
    before = event_count(search.best)
    search.check_original()
    stopped: str | None = None
    try:
        search.run()
    except BudgetSpent as spent:
        stopped = spent.reason
    result = cassette_from_draft(search.best, cassette)
    return ShrinkResult(result, search.budget.checks, before, event_count(search.best), stopped)


class _Search:
    def __init__(
        self,
        cassette: Cassette,
        still_fails: Predicate,
        allow_malformed: bool,
        budget: Budget,
        progress: Callable[[ShrinkProgress], None] | None,
    ) -> None:
        self.template = cassette
        self.still_fails = still_fails
        self.allow_malformed = allow_malformed
        self.wellformed = None if allow_malformed else WellFormedness(cassette)
        self.budget = budget
        self.progress = progress
        self.best: Draft = draft_from_cassette(cassette)
        self.phase = "original"

    def check_original(self) -> None:
        self.budget.charge()
        if not self.still_fails(cassette_from_draft(self.best, self.template)):
            raise NothingToShrinkError("the check passes on the cassette as given: no failure to keep")

    def run(self) -> None:
        while True:
            size = self._size()
            self._drop_exchanges()
            self._drop_units("steps and messages", lifecycle_units)
            self._drop_units("deltas", delta_units)
            self._drop_units("single events", partial(event_units, with_done=self.allow_malformed))
            self._merge_deltas()
            self._shorten_strings()
            if self._size() >= size:
                return

    def _size(self) -> tuple[int, int]:
        return event_count(self.best), sum(len(f.raw) for part in self.best for f in part.frames or ())

    def _test(self, draft: Draft) -> bool:
        """Whether the check still fails on ``draft``; a success becomes the new best."""
        if self.budget.timed_out():  # refused candidates cost time too, without a check
            raise BudgetSpent("reached the time limit")
        if not self.allow_malformed:
            draft = agree_snapshots(draft)
        candidate = cassette_from_draft(draft, self.template)
        if self.wellformed is not None and not self.wellformed.accepts(candidate):
            return False
        self.budget.charge()
        if not self.still_fails(candidate):
            return False
        self.best = draft
        if self.progress is not None:
            self.progress(ShrinkProgress(self.phase, self.budget.checks, event_count(draft)))
        return True

    def _start(self, phase: str) -> Draft:
        self.phase = phase
        if self.budget.timed_out():
            raise BudgetSpent("reached the time limit")
        return self.best

    def _drop_exchanges(self) -> None:
        base = self._start("exchanges")
        ddmin(range(len(base)), lambda kept: self._test(only_exchanges(base, set(kept))))

    def _drop_units(self, phase: str, units_of: Callable[[Draft], list[Unit]]) -> None:
        base = self._start(phase)
        units = units_of(base)

        def fails(kept: list[Unit]) -> bool:
            kept_set = set(kept)
            dropped = [place for unit in units if unit not in kept_set for place in unit]
            return self._test(without_places(base, dropped))

        ddmin(units, fails)

    def _merge_deltas(self) -> None:
        runs = merge_runs(self._start("joining deltas"))
        if not runs or self._test(apply_merges(self.best, runs)):
            return
        for run in reversed(runs):  # later runs first, so the positions of earlier ones stay valid
            self._test(apply_merges(self.best, [run]))

    def _shorten_strings(self) -> None:
        base = self._start("shortening text")
        for place, path, value in reversed(streamed_strings(base)):
            current: str | None = value
            while current is not None:
                current = next(
                    (
                        shorter
                        for shorter in shorter_versions(current)
                        if self._test(with_string(self.best, place, path, shorter))
                    ),
                    None,
                )


def deadline_after(seconds: float | None, clock: Clock = time.monotonic) -> float | None:
    """The ``clock()`` deadline ``seconds`` from now (None stays None)."""
    return None if seconds is None else clock() + seconds
