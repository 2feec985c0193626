"""Server-sent events -> typed events: every name mapped, nothing raised, nothing lost."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.models import (
    EVENT_PAYLOADS,
    ErrorObject,
    ErrorPayload,
    Message,
    MessageDeltaEvent,
    Run,
    RunStep,
    RunStepDeltaEvent,
    Thread,
    typed_event,
    typed_events,
)
from harness.sse import ServerSentEvent, parse_sse

from .corpus import events

# The vocabulary as MISSION.md lists it.
MISSION_EVENTS = [
    "thread.created",
    "thread.run.created",
    "thread.run.queued",
    "thread.run.in_progress",
    "thread.run.requires_action",
    "thread.run.completed",
    "thread.run.incomplete",
    "thread.run.failed",
    "thread.run.cancelling",
    "thread.run.cancelled",
    "thread.run.expired",
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.run.step.delta",
    "thread.run.step.completed",
    "thread.run.step.failed",
    "thread.run.step.cancelled",
    "thread.run.step.expired",
    "thread.message.created",
    "thread.message.in_progress",
    "thread.message.delta",
    "thread.message.completed",
    "thread.message.incomplete",
    "error",
    "done",
]


def test_every_event_name_has_a_payload_model() -> None:
    assert sorted(EVENT_PAYLOADS) == sorted(MISSION_EVENTS)
    assert EVENT_PAYLOADS["thread.created"] is Thread
    assert EVENT_PAYLOADS["thread.run.expired"] is Run
    assert EVENT_PAYLOADS["thread.run.step.failed"] is RunStep
    assert EVENT_PAYLOADS["thread.run.step.delta"] is RunStepDeltaEvent
    assert EVENT_PAYLOADS["thread.message.incomplete"] is Message
    assert EVENT_PAYLOADS["thread.message.delta"] is MessageDeltaEvent
    assert EVENT_PAYLOADS["error"] is ErrorPayload
    assert EVENT_PAYLOADS["done"] is None


def test_done() -> None:
    item = typed_event(ServerSentEvent("done", "[DONE]"), 5)
    assert (item.kind, item.index, item.payload, item.diagnostics) == ("done", 5, None, ())
    # A stream whose last event has no final blank line still ends with `done`.
    last = typed_events(events("021-simple-openai-v2-thread-and-run.sse"))[-1]
    assert (last.event, last.kind, last.diagnostics) == ("done", "done", ())


@pytest.mark.parametrize(("name", "data"), [("done", "bye"), ("done", ""), ("message", "[DONE]")])
def test_malformed_done(name: str, data: str) -> None:
    item = typed_event(ServerSentEvent(name, data), 2, stream=1)
    assert item.kind == "done" and item.data == data
    [finding] = item.diagnostics
    assert (finding.code, finding.stream, finding.event) == ("malformed-done", 1, 2)


def test_unknown_event_is_kept() -> None:
    data = '{"id":"x","object":"thread.run.step.annotation","note":[1]}'
    item = typed_event(ServerSentEvent("thread.run.step.annotated", data), 3)
    assert item.kind == "unknown" and item.payload is None
    assert item.data == data and item.value == json.loads(data)
    [finding] = item.diagnostics
    assert (finding.code, finding.event) == ("unknown-event", 3)
    assert "thread.run.step.annotated" in finding.message
    ping = typed_event(ServerSentEvent("ping", "not json"), 4)
    assert ping.kind == "unknown" and ping.value is None and ping.data == "not json"


def test_invalid_json_is_kept_with_a_diagnostic() -> None:
    item = typed_event(ServerSentEvent("thread.message.delta", '{"id": "msg_1", "delta": '), 9)
    assert item.kind == "invalid" and item.payload is None and item.value is None
    assert item.data == '{"id": "msg_1", "delta": '
    [finding] = item.diagnostics
    assert (finding.code, finding.event) == ("invalid-json", 9)


def test_json_of_the_wrong_shape_is_kept_with_a_diagnostic() -> None:
    item = typed_event(ServerSentEvent("thread.run.created", "[1, 2]"), 0)
    assert item.kind == "invalid" and item.value == [1, 2]
    assert [d.code for d in item.diagnostics] == ["unexpected-payload"]


def test_error_event_wrapped_and_bare() -> None:
    wrapped = {
        "error": {
            "message": "Sorry, something went wrong.",
            "type": "server_error",
            "param": None,
            "code": "server_error",
        }
    }
    item = typed_event(ServerSentEvent("error", json.dumps(wrapped)), 40)
    assert isinstance(item.payload, ErrorPayload) and item.payload.error is not None
    assert item.payload.error.code == "server_error"
    assert item.payload.to_dict() == wrapped and item.diagnostics == ()
    bare = wrapped["error"]
    item = typed_event(ServerSentEvent("error", json.dumps(bare)), 40)
    assert isinstance(item.payload, ErrorObject) and item.payload.to_dict() == bare


def test_payload_diagnostics_carry_stream_event_and_path() -> None:
    data = json.dumps({"id": "run_1", "object": "thread.run", "status": "completed", "surprise": 1})
    item = typed_event(ServerSentEvent("thread.run.failed", data), 6, stream=2)
    assert isinstance(item.payload, Run)
    found = {(d.code, d.path) for d in item.diagnostics}
    assert ("unknown-field", "surprise") in found
    assert ("status-mismatch", "status") in found
    assert ("reference-deviation", "assistant_id") in found
    assert all((d.stream, d.event) == (2, 6) for d in item.diagnostics)
    quiet = typed_event(ServerSentEvent("thread.run.failed", data), 6, check=False)
    assert quiet.diagnostics == () and quiet.payload == item.payload


def test_created_and_delta_events_name_no_status() -> None:
    data = json.dumps({"id": "run_1", "object": "thread.run", "status": "queued"})
    assert "status-mismatch" not in {
        d.code for d in typed_event(ServerSentEvent("thread.run.created", data), 0).diagnostics
    }


def test_typed_events_over_a_body() -> None:
    body = (
        b'event: thread.created\ndata: {"id":"thread_1","object":"thread","created_at":1}\n\n'
        b"event: mystery\ndata: {}\n\n"
        b"event: done\ndata: [DONE]\n\n"
    )
    items = typed_events(parse_sse(body), stream=0)
    assert [(item.index, item.kind) for item in items] == [(0, "payload"), (1, "unknown"), (2, "done")]
    assert [d.code for item in items for d in item.diagnostics] == ["unknown-event"]


def test_public_names() -> None:
    import harness.models

    assert all(hasattr(harness.models, name) for name in harness.models.__all__)
    # (pytest rewrites the package of its plugin, adding "@py_*" names)
    public = {name for name in vars(harness.models) if not name.startswith(("_", "@"))}
    submodules = {
        "conformance",
        "deltas",
        "errors",
        "events",
        "message",
        "params",
        "run",
        "step",
        "thread",
        "tools",
        "common",
    }
    assert public - submodules == set(harness.models.__all__)


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(MISSION_EVENTS) | st.text(max_size=12),
    data=st.text(max_size=40) | st.sampled_from(['{"status": 1}', "[]", "null", '{"error": 5}', "[DONE]"]),
    index=st.integers(min_value=0, max_value=10),
)
def test_typed_event_never_raises_and_keeps_the_data(name: str, data: str, index: int) -> None:
    item = typed_event(ServerSentEvent(name, data), index)
    assert (item.event, item.data, item.index) == (name, data, index)
    if item.payload is not None:
        assert item.payload.to_dict() == json.loads(data)
    assert all(d.event == index for d in item.diagnostics)
