"""Cross-references a folded Assistants conversation must keep (shrink refuses candidates that break them).

Steps and messages name a run present in the cassette, a stream with step or
message events carries an event of their run, a ``message_creation`` step
names a message present, and a run that finished leaves none of its steps or
messages open.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.protocols.assistants import (
    EVENT_PREFIX,
    OBJECT_EVENT_PREFIXES,
    OPEN_STATUSES,
    RUN_TERMINAL_STATUSES,
)

DANGLING_RUN = "dangling-run-id"
DANGLING_MESSAGE = "dangling-message-id"
STREAM_WITHOUT_RUN = "stream-without-run"
LEFT_OPEN = "left-open-after-run"

_RUN_EVENT_PREFIX = EVENT_PREFIX + "run."


def wellformedness_problems(transcript: Any, streams: Sequence[Sequence[str]]) -> set[str]:
    found = _reference_problems(transcript.runs, transcript.run_steps, transcript.messages)
    if any(_stream_without_run(names) for names in streams):
        found.add(STREAM_WITHOUT_RUN)
    return found


def _reference_problems(runs: list[Any], steps: list[Any], messages: list[Any]) -> set[str]:
    found: set[str] = set()
    run_status = {_key(run.get("id")): run.get("status") for run in runs if isinstance(run, dict)}
    message_ids = {_key(message.get("id")) for message in messages if isinstance(message, dict)}
    for item in [*steps, *messages]:
        if not isinstance(item, dict):
            continue
        run_id = _key(item.get("run_id"))
        if run_id is not None and run_id not in run_status:
            found.add(DANGLING_RUN)
        if (
            _key(run_status.get(run_id)) in RUN_TERMINAL_STATUSES
            and _key(item.get("status")) in OPEN_STATUSES
        ):
            found.add(LEFT_OPEN)
        details = item.get("step_details")
        creation = details.get("message_creation") if isinstance(details, dict) else None
        if isinstance(creation, dict) and _key(creation.get("message_id")) not in message_ids:
            found.add(DANGLING_MESSAGE)
    return found


def _key(value: Any) -> Any:
    """``value`` when it can be looked up in a set (ids and statuses are strings; hostile data is not)."""
    return value if value is None or type(value) in (str, int, float, bool) else repr(value)


def _stream_without_run(names: Sequence[str]) -> bool:
    has_objects = any(name.startswith(OBJECT_EVENT_PREFIXES) for name in names)
    has_run = any(
        name.startswith(_RUN_EVENT_PREFIX) and not name.startswith(OBJECT_EVENT_PREFIXES) for name in names
    )
    return has_objects and not has_run
