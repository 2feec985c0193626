"""Keeping a stream's chunk table true to its events after someone edits the events by hand.

A recorded stream keeps its body as events and, beside them, how the bytes
arrived: chunk sizes and arrival times. Editing an event (a word changed, a
line deleted, a status changed) changes the bytes, so the recorded table no
longer adds up. The rule, documented in the README's cassette-format section:

* No table at all (both lists absent or empty): one chunk per event, all
  arriving at once.
* A table that adds up to the events' bytes is taken as recorded.
* Otherwise the table is *refit*. Recorded cuts are matched against the
  edited events from both ends: going forward from the start, every cut that
  falls on an event boundary of the edited stream is kept where it is; going
  backward from the end, every cut that falls on an event boundary at the
  same distance from the end is kept (moved by the size change). Those events
  keep their recorded chunk boundaries and arrival times. The events between
  the two (the edited part) get one chunk each, arriving when the first
  recorded chunk after them did. A refit is reported as a
  :class:`ChunkTableRefit` warning naming the file and the stream.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.cassette.frames import frame_ends


class ChunkTableRefit(UserWarning):
    """A stream whose chunk table did not match its (edited) events was refit on load."""


@dataclass(frozen=True, slots=True)
class ChunkTable:
    sizes: list[int]
    times: list[float]
    kept: int = 0  # after a refit: how many recorded chunk boundaries were kept


def fit_chunk_table(
    frames: Sequence[bytes],
    sizes: list[int],
    times: list[float],
    *,
    path: str | Path | None,
    where: str,
) -> ChunkTable:
    """The chunk table to use for ``frames``: as recorded when it fits, else refit with a warning."""
    fitting = fitting_chunk_table(frames, sizes, times)
    if fitting is not None:
        return fitting
    ends = frame_ends(frames)
    total = ends[-1] if ends else 0
    refit = refit_chunk_table(frames, sizes, times)
    place = f"{path}: {where}" if path is not None else where
    warnings.warn(
        ChunkTableRefit(
            f"{place}: the chunk table ({len(sizes)} chunks, {sum(sizes)} bytes) does not match the "
            f"events ({len(frames)} events, {total} bytes), as after a hand edit; refit to "
            f"{len(refit.sizes)} chunks, {refit.kept} of the recorded boundaries kept"
        ),
        stacklevel=2,
    )
    return refit


def fitting_chunk_table(frames: Sequence[bytes], sizes: list[int], times: list[float]) -> ChunkTable | None:
    """The table as recorded when it adds up to ``frames`` (none at all: one chunk per event, at
    once); None when it must be refit."""
    if not sizes and not times:
        return one_chunk_per_event(frames, 0.0)
    ends = frame_ends(frames)
    if len(sizes) == len(times) and sum(sizes) == (ends[-1] if ends else 0):
        return ChunkTable(sizes, times)
    return None


def one_chunk_per_event(frames: Sequence[bytes], arrival: float) -> ChunkTable:
    sizes = [len(frame) for frame in frames if frame]
    return ChunkTable(sizes, [arrival] * len(sizes))


def refit_chunk_table(frames: Sequence[bytes], sizes: list[int], times: list[float]) -> ChunkTable:
    """The refit rule of the module docstring, for a table that does not add up to ``frames``."""
    if len(sizes) != len(times):
        return one_chunk_per_event(frames, max(times, default=0.0))
    old_total = sum(sizes)
    new_ends = list(frame_ends(frames))
    new_total = new_ends[-1] if new_ends else 0
    boundaries = set(new_ends)
    from_end = {new_total - end for end in [0, *new_ends]}
    cuts = list(zip(itertools.accumulate(sizes), times, strict=True))

    head = 0  # bytes at the start whose recorded cuts are kept as they were
    for cut, _ in cuts:
        if cut not in boundaries or cut > new_total:
            break
        head = cut
    tail = 0  # bytes at the end likewise, counted from the end
    for cut, _ in reversed([(0, 0.0), *cuts[:-1]]):
        distance = old_total - cut
        if distance not in from_end or distance > new_total - head or cut < head:
            break
        tail = distance
    edited_start, edited_end = head, new_total - tail
    kept: dict[int, float] = {}
    for cut, moment in cuts:
        if cut <= head:
            kept[cut] = moment
        elif old_total - cut <= tail:  # an untouched event before the edit keeps its own time
            kept.setdefault(new_total - (old_total - cut), moment)
    arrival = next(
        (moment for cut, moment in cuts if cut > head and old_total - cut <= tail),
        max(times, default=0.0),
    )
    recorded = len(kept)
    for end in new_ends:
        if edited_start < end < edited_end or (end == edited_end and end not in kept):
            kept.setdefault(end, arrival)
    if new_total:
        kept.setdefault(new_total, max(times, default=0.0))
    ordered = sorted(position for position in kept if 0 < position <= new_total)
    new_sizes = [end - start for start, end in zip([0, *ordered], ordered, strict=False)]
    new_times = _monotonic([kept[position] for position in ordered])
    return ChunkTable(new_sizes, new_times, kept=recorded)


def _monotonic(times: list[float]) -> list[float]:
    result: list[float] = []
    for moment in times:
        result.append(max(moment, result[-1]) if result else moment)
    return result
