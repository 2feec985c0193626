"""The Assistants run-stream rules, through ``reconstruct``: a finished run never changes its status,
and the codes users read (``harness inspect --format json``, ``validate``) keep their names."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness import reconstruct
from harness.diagnostics import Diagnostic
from harness.protocols import PROTOCOLS, SEVERITIES, StreamProtocol, by_name
from harness.protocols.assistants import EVENT_STATUS
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


def _implied(name: str) -> str:
    """The API's rule: ``thread.OBJECT.STATUS`` carries STATUS, and ``*.created`` the first status of
    its object's lifecycle (a run starts queued, a step or a message in progress)."""
    if name.endswith(".created"):
        return "queued" if name == "thread.run.created" else "in_progress"
    return name.rpartition(".")[2]


def _snapshot(name: str, status: str) -> ServerSentEvent:
    kind = (
        "thread.run.step" if ".step." in name else "thread.message" if ".message." in name else "thread.run"
    )
    data = {"id": "obj_1", "object": kind, "status": status, "run_id": "run_1", "thread_id": "thread_1"}
    return ServerSentEvent(name, json.dumps(data))


@pytest.mark.parametrize("name", sorted(EVENT_STATUS))
def test_a_snapshot_carrying_the_status_its_event_names_is_no_mismatch(name: str) -> None:
    codes = [d.code for d in reconstruct([_snapshot(name, _implied(name))]).diagnostics]
    assert "status-mismatch" not in codes
    wrong = "in_progress" if _implied(name) != "in_progress" else "completed"
    mismatch = [d for d in reconstruct([_snapshot(name, wrong)]).diagnostics if d.code == "status-mismatch"]
    assert len(mismatch) == 1
    assert f"expected {_implied(name)!r}" in mismatch[0].message


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda protocol: protocol.name)
def test_every_code_a_protocol_emits_has_a_known_severity(protocol: StreamProtocol) -> None:
    for code in protocol.codes:
        assert protocol.severity(Diagnostic(code, "m")) in SEVERITIES, code


def test_a_broken_end_of_stream_is_an_error_and_a_legacy_shape_a_warning() -> None:
    assistants = by_name("assistants")
    events = [
        ServerSentEvent("done", "[DONE]"),
        ServerSentEvent("done", "[DONE]"),
        ServerSentEvent("thread.run.x", "{}"),
    ]
    breaks = reconstruct([ServerSentEvent("thread.done", "[DONE]"), *events]).diagnostics
    assert {d.code for d in breaks} == {"malformed-done", "event-after-done"}
    assert {assistants.severity(d) for d in breaks} == {"error"}
    legacy = Diagnostic("reference-deviation", "the assistants=v1 retrieval tool")
    assert assistants.severity(legacy) == "warning"
    assert assistants.severity(Diagnostic("reference-deviation", "instructions is null")) == "info"


def test_only_a_reference_deviation_about_a_legacy_shape_is_a_warning() -> None:
    assistants = by_name("assistants")
    assert assistants.severity(Diagnostic("unknown-field", "the assistants=v1 file_ids")) == "info"


STEP = {
    "id": "step_1",
    "object": "thread.run.step",
    "assistant_id": "asst_1",
    "created_at": 1,
    "run_id": "run_1",
    "thread_id": "thread_1",
    "type": "tool_calls",
    "step_details": {"type": "tool_calls", "tool_calls": []},
}


@pytest.mark.parametrize("status", ["in_progress", "cancelled", "failed", "completed", "expired"])
def test_every_run_step_status_of_the_reference_conforms(status: str) -> None:
    name = "thread.run.step.created" if status == "in_progress" else f"thread.run.step.{status}"
    event = ServerSentEvent(name, json.dumps({**STEP, "status": status}))
    assert list(by_name("assistants").conformance([event], 0)) == []
    odd = ServerSentEvent(name, json.dumps({**STEP, "status": "paused"}))
    assert [d.code for d in by_name("assistants").conformance([odd], 0)] == [
        "reference-deviation",
        "status-mismatch",
    ]


@pytest.mark.parametrize(
    ("path", "claimed"),
    [
        ("/v1/threads/thread_1/runs", True),
        ("/v1/threads/thread_1/runs/run_1/submit_tool_outputs", True),
        ("/v1/threads/runs", True),
        ("/v1/threads/runs/", True),
        ("/v1/threads", False),
        ("/v1/threads/thread_1/messages", False),
        ("/v1/evals/eval_1/runs", False),
        ("/v1/chat/completions", False),
        ("/v1/responses", False),
    ],
)
def test_the_requests_that_open_a_run_stream(path: str, claimed: bool) -> None:
    assert by_name("assistants").claims_request("POST", path, b"{}") is claimed


def test_a_long_status_in_a_mismatch_is_shortened_to_sixty_characters() -> None:
    status = "s" * 100
    (mismatch,) = [
        d
        for d in reconstruct([_snapshot("thread.run.completed", status)]).diagnostics
        if d.code == "status-mismatch"
    ]
    shown = repr(status)[:57] + "..."
    assert (
        mismatch.message
        == f"thread.run.completed carries status {shown}, expected 'completed'; the data is kept"
    )


@pytest.mark.parametrize("resumed", ["queued", "in_progress"])
def test_a_run_resumed_after_tool_outputs_on_a_new_stream_is_not_backwards(resumed: str) -> None:
    first = _events("queued", "in_progress", "requires_action")
    second = _events(resumed, "completed")
    assert reconstruct([first, second]).diagnostics == []
    same_stream = [*first[:-1], *second]
    assert [d.code for d in reconstruct(same_stream).diagnostics] == ["run-status-backwards"]


def test_an_error_event_shows_its_message_in_the_timeline() -> None:
    """The rule Responses and Chat Completions follow too (``fold_support.error_message``): the
    message, nested or not; an error that is a bare text is that text; a message that is not a
    string is shown as its JSON value would read; an error with no message shows nothing."""
    datas = ['{"error": {"message": "nested"}}', '{"message": "bare"}', '{"error": "text"}', '{"message": 5}']
    datas += ['{"error": {"code": "server_error"}}']
    events = [ServerSentEvent("error", data) for data in datas]
    assert reconstruct(events, views=True).event_texts == ["nested", "bare", "text", "5", ""]
