"""What the search drops together: whole exchanges, the lifecycle of a step or message, single events."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace

from harness.protocols.assistants import DELTA_EVENTS, DONE, DONE_DATA, OBJECT_EVENT_PREFIXES
from harness.shrink.drafts import Draft, Frame

#: Where a frame is: (exchange number, frame number in its stream).
Place = tuple[int, int]
#: Frames that are kept or dropped together.
Unit = tuple[Place, ...]


def is_done(frame: Frame) -> bool:
    return frame.event is not None and (frame.event.event == DONE or frame.event.data == DONE_DATA)


def object_id(frame: Frame) -> str | None:
    """The step or message an event is about, None for any other event."""
    if not frame.name.startswith(OBJECT_EVENT_PREFIXES) or not isinstance(frame.payload, dict):
        return None
    found = frame.payload.get("id")
    return found if isinstance(found, str) else None


def _places(draft: Draft) -> Iterable[tuple[Place, Frame]]:
    for exchange_number, part in enumerate(draft):
        for frame_number, frame in enumerate(part.frames or ()):
            yield (exchange_number, frame_number), frame


def lifecycle_units(draft: Draft) -> list[Unit]:
    """Every step and message of a stream with all its events (created, in_progress, deltas,
    terminal), and each other event on its own; ``done`` and bytes that are no event are kept."""
    units: list[Unit] = []
    groups: dict[tuple[int, str], list[Place]] = {}
    for place, frame in _places(draft):
        if frame.event is None or is_done(frame):
            continue
        owner = object_id(frame)
        if owner is None:
            units.append((place,))
        else:
            groups.setdefault((place[0], owner), []).append(place)
    units.extend(tuple(group) for group in groups.values())
    return sorted(units)


def delta_units(draft: Draft) -> list[Unit]:
    return [(place,) for place, frame in _places(draft) if frame.name in DELTA_EVENTS]


def event_units(draft: Draft, *, with_done: bool) -> list[Unit]:
    """Every event on its own; ``done`` too when ``with_done`` (for searches allowed to break the
    protocol)."""
    return [
        (place,)
        for place, frame in _places(draft)
        if frame.event is not None and (with_done or not is_done(frame))
    ]


def without_places(draft: Draft, dropped: Collection[Place]) -> Draft:
    if not dropped:
        return draft
    by_exchange: dict[int, set[int]] = {}
    for exchange_number, frame_number in dropped:
        by_exchange.setdefault(exchange_number, set()).add(frame_number)
    parts = list(draft)
    for exchange_number, frame_numbers in by_exchange.items():
        part = parts[exchange_number]
        kept = tuple(frame for number, frame in enumerate(part.frames or ()) if number not in frame_numbers)
        parts[exchange_number] = replace(part, frames=kept)
    return tuple(parts)


def only_exchanges(draft: Draft, kept: Collection[int]) -> Draft:
    return tuple(part for number, part in enumerate(draft) if number in kept)
