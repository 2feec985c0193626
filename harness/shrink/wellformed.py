"""Whether a candidate still follows the run-stream protocol as far as the original did.

The problems are those ``harness validate`` counts as errors (reconstruction
diagnostics, with a missing ``done`` and an unfinished run forgiven after a
recorded ``error`` event or an early close), plus references a shrunk
cassette must not break: steps and messages name a run present in the
cassette, a stream with step or message events carries an event of their
run, a ``message_creation`` step names a message present, and a run that
finished leaves none of its steps or messages open. A candidate is accepted
when it has no kind of problem the original did not already have.
"""

from __future__ import annotations

from typing import Any

from harness.cassette.model import Cassette
from harness.reconstruct import codes, reconstruct
from harness.reconstruct.lifecycle import ERROR, RUN_TERMINAL_STATUSES
from harness.sse import ServerSentEvent, parse_sse

DANGLING_RUN = "dangling-run-id"
DANGLING_MESSAGE = "dangling-message-id"
STREAM_WITHOUT_RUN = "stream-without-run"
LEFT_OPEN = "left-open-after-run"

_FORGIVEN = frozenset(
    {
        codes.STATUS_MISMATCH,
        codes.UNKNOWN_EVENT,
        codes.ERROR_EVENT,
        codes.DELTA_AFTER_TERMINAL,
    }
)
_ENDED_EARLY = frozenset({codes.MISSING_DONE, codes.RUN_NOT_FINISHED})
_OPEN_STATUSES = frozenset({"in_progress", "queued"})


def protocol_problems(cassette: Cassette) -> frozenset[str]:
    """The kinds of protocol problems in ``cassette`` (empty when it is well-formed)."""
    streams = [parse_sse(stream.frames) for stream in cassette.streams]
    pairs = zip(cassette.streams, streams, strict=True)
    ended_early = {
        number
        for number, (stream, events) in enumerate(pairs)
        if stream.cut is not None or any(event.event == ERROR for event in events)
    }
    transcript = reconstruct(streams)
    found = {
        diagnostic.code
        for diagnostic in transcript.diagnostics
        if diagnostic.code not in _FORGIVEN
        and not (diagnostic.code in _ENDED_EARLY and diagnostic.stream in ended_early)
    }
    found |= _reference_problems(transcript.runs, transcript.run_steps, transcript.messages)
    if any(_stream_without_run(events) for events in streams):
        found.add(STREAM_WITHOUT_RUN)
    return frozenset(found)


def _reference_problems(runs: list[Any], steps: list[Any], messages: list[Any]) -> set[str]:
    found: set[str] = set()
    run_status = {run.get("id"): run.get("status") for run in runs if isinstance(run, dict)}
    message_ids = {message.get("id") for message in messages if isinstance(message, dict)}
    for item in [*steps, *messages]:
        if not isinstance(item, dict):
            continue
        run_id = item.get("run_id")
        if run_id is not None and run_id not in run_status:
            found.add(DANGLING_RUN)
        if run_status.get(run_id) in RUN_TERMINAL_STATUSES and item.get("status") in _OPEN_STATUSES:
            found.add(LEFT_OPEN)
        details = item.get("step_details")
        creation = details.get("message_creation") if isinstance(details, dict) else None
        if isinstance(creation, dict) and creation.get("message_id") not in message_ids:
            found.add(DANGLING_MESSAGE)
    return found


def _stream_without_run(events: list[ServerSentEvent]) -> bool:
    has_objects = any(event.event.startswith(("thread.run.step.", "thread.message.")) for event in events)
    has_run = any(
        event.event.startswith("thread.run.") and not event.event.startswith("thread.run.step.")
        for event in events
    )
    return has_objects and not has_run


class WellFormedness:
    """Accepts candidates that add no kind of protocol problem to those of the original."""

    def __init__(self, original: Cassette) -> None:
        self.baseline = protocol_problems(original)

    def accepts(self, candidate: Cassette) -> bool:
        return protocol_problems(candidate) <= self.baseline
