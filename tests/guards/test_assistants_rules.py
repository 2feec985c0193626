"""The Assistants run-stream rules, through ``reconstruct``: a finished run never changes its status,
and the codes users read (``harness inspect --format json``, ``validate``) keep their names."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness import reconstruct
from harness.sse import ServerSentEvent


def _run(status: str) -> dict[str, Any]:
    return {"id": "run_1", "object": "thread.run", "status": status, "thread_id": "thread_1"}


def _events(*statuses: str, done: bool = True) -> list[ServerSentEvent]:
    events = [ServerSentEvent(f"thread.run.{status}", json.dumps(_run(status))) for status in statuses]
    return [*events, ServerSentEvent("done", "[DONE]")] if done else events


@pytest.mark.parametrize(
    ("first", "then"), [("completed", "failed"), ("cancelled", "expired"), ("failed", "completed")]
)
def test_a_finished_run_moving_to_another_final_status_goes_backwards(first: str, then: str) -> None:
    transcript = reconstruct(_events("queued", "in_progress", first, then))
    found = [(d.code, d.event) for d in transcript.diagnostics]
    assert found == [("run-status-backwards", 3)]
    assert transcript.final_run is not None and transcript.final_run["status"] == then


def test_a_run_moving_forward_is_not_reported() -> None:
    assert reconstruct(_events("queued", "in_progress", "requires_action")).diagnostics == []


def test_a_stream_ending_with_its_run_unfinished_says_run_not_finished() -> None:
    transcript = reconstruct(_events("queued", "in_progress"))
    assert [d.code for d in transcript.diagnostics] == ["run-not-finished"]
    assert transcript.to_dict()["diagnostics"][0]["code"] == "run-not-finished"
