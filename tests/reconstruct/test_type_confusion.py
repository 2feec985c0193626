"""Hostile payloads: a list, an object, a number or null where the stream has a string (or any
other value), in every event kind reconstruction handles; the fold never raises and never reports
its own ``internal-error``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness import reconstruct
from harness.reconstruct import codes
from harness.sse import ServerSentEvent, parse_sse
from tests.reconstruct.corpus import CORPUS_FILES
from tests.support.json_places import places, replaced

CONFUSIONS: list[Any] = [[], ["x"], {}, {"a": 1}, 0, 1.5, None, True, "x"]


def _shortest_streams() -> dict[str, tuple[list[ServerSentEvent], int]]:
    """For each event name: the shortest corpus stream holding it, and where."""
    found: dict[str, tuple[list[ServerSentEvent], int]] = {}
    for path in CORPUS_FILES:
        events = parse_sse(path.read_bytes())
        for position, event in enumerate(events):
            known = found.get(event.event)
            if known is None or len(events) < len(known[0]):
                found[event.event] = (events, position)
    return found


STREAMS = _shortest_streams()


def _cases() -> list[tuple[str, tuple[Any, ...]]]:
    cases = []
    for name, (events, position) in sorted(STREAMS.items()):
        if name == "done":
            continue
        for place in places(json.loads(events[position].data)):
            cases.append((name, place))
    return cases


def test_every_handled_event_kind_is_covered() -> None:
    names = {name for name, _ in _cases()}
    assert {
        "thread.created",
        "thread.run.created",
        "thread.run.completed",
        "thread.run.step.created",
        "thread.run.step.delta",
        "thread.message.created",
        "thread.message.delta",
        "thread.message.completed",
        "thread.run.requires_action",
    } <= names


@pytest.mark.parametrize(("name", "place"), _cases(), ids=lambda value: str(value))
def test_a_value_of_another_type_is_a_diagnostic_not_a_crash(name: str, place: tuple[Any, ...]) -> None:
    events, position = STREAMS[name]
    payload = json.loads(events[position].data)
    for value in CONFUSIONS:
        hostile = replaced(payload, place, value)
        changed = [*events[:position], ServerSentEvent(name, json.dumps(hostile)), *events[position + 1 :]]
        transcript = reconstruct(changed)
        transcript.to_dict()
        assert codes.INTERNAL_ERROR not in transcript.diagnostic_codes(), (place, value)


@pytest.mark.parametrize("value", CONFUSIONS, ids=repr)
def test_a_run_status_of_any_type_ends_the_stream_with_a_diagnostic(value: Any) -> None:
    events, position = STREAMS["thread.run.completed"]
    payload = dict(json.loads(events[position].data), status=value)
    changed = [*events[:position], ServerSentEvent("thread.run.completed", json.dumps(payload))]
    transcript = reconstruct(changed)
    assert codes.INTERNAL_ERROR not in transcript.diagnostic_codes()
    assert codes.STATUS_MISMATCH in transcript.diagnostic_codes()
