"""The Assistants fold's rules a user reads in ``reconstruct``: a message's text grows only from its
own deltas while the stream is open, the error event's detail is named in full, and a run's
lifecycle is judged within the stream it moves in."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness import reconstruct
from harness.sse import ServerSentEvent

MESSAGE = {
    "id": "msg_1",
    "object": "thread.message",
    "status": "in_progress",
    "role": "assistant",
    "content": [{"type": "text", "text": {"value": "Hello", "annotations": []}}],
}
# the layout the API writes (compact, keys in its order) and one the fast path does not read
COMPACT_DELTA = (
    '{"id":"msg_1","object":"thread.message.delta","delta":{"content":'
    '[{"index":0,"type":"text","text":{"value":" world"}}]}}'
)
REORDERED_DELTA = json.dumps(
    {"delta": {"content": [{"type": "text", "index": 0, "text": {"value": " world"}}]}, "id": "msg_1"}
)


def _created() -> ServerSentEvent:
    return ServerSentEvent("thread.message.created", json.dumps(MESSAGE))


def _text(events: list[ServerSentEvent]) -> Any:
    transcript = reconstruct(events)
    return transcript.messages[0]["content"][0]["text"]["value"]


@pytest.mark.parametrize("data", [COMPACT_DELTA, REORDERED_DELTA], ids=["compact", "reordered"])
def test_a_message_delta_appends_to_its_message(data: str) -> None:
    assert _text([_created(), ServerSentEvent("thread.message.delta", data)]) == "Hello world"


@pytest.mark.parametrize("data", [COMPACT_DELTA, REORDERED_DELTA], ids=["compact", "reordered"])
def test_a_delta_after_done_changes_nothing(data: str) -> None:
    streamed = [_created(), ServerSentEvent("thread.message.delta", COMPACT_DELTA)]
    events = [*streamed, ServerSentEvent("done", "[DONE]"), ServerSentEvent("thread.message.delta", data)]
    transcript = reconstruct(events)
    assert transcript.messages[0]["content"][0]["text"]["value"] == "Hello world"
    assert "event-after-done" in {d.code for d in transcript.diagnostics}


@pytest.mark.parametrize("data", [COMPACT_DELTA, REORDERED_DELTA], ids=["compact", "reordered"])
def test_a_step_delta_naming_a_message_id_never_writes_into_the_message(data: str) -> None:
    """The event's name says what it is: a run-step delta is never folded as message text, even
    when its data looks like a message delta."""
    events = [_created(), ServerSentEvent("thread.message.delta", COMPACT_DELTA)]
    assert _text([*events, ServerSentEvent("thread.run.step.delta", data)]) == "Hello world"


def test_an_error_event_names_its_code_type_and_message() -> None:
    detail = {"code": "rate_limit_exceeded", "type": "requests", "message": "Slow down"}
    transcript = reconstruct([ServerSentEvent("error", json.dumps({"error": detail}))])
    (message,) = [d.message for d in transcript.diagnostics if d.code == "error-event"]
    assert "code='rate_limit_exceeded'" in message
    assert "type='requests'" in message
    assert "message='Slow down'" in message


def _run_event(status: str) -> ServerSentEvent:
    run = {"id": "run_1", "object": "thread.run", "status": status, "thread_id": "thread_1"}
    return ServerSentEvent(f"thread.run.{status}", json.dumps(run))


def test_a_run_queued_again_later_in_the_submit_stream_goes_backwards() -> None:
    """Submitting tool outputs opens a new stream in which the run is queued again (allowed); once
    it has moved on in that stream, going back is reported."""
    first = [_run_event(s) for s in ("queued", "in_progress", "requires_action")]
    second = [_run_event(s) for s in ("queued", "in_progress", "requires_action", "queued")]
    done = ServerSentEvent("done", "[DONE]")
    transcript = reconstruct([[*first, done], [*second, done]])
    backwards = [d for d in transcript.diagnostics if d.code == "run-status-backwards"]
    assert len(backwards) == 1 and "'requires_action' to 'queued'" in backwards[0].message
    allowed = reconstruct([[*first, done], [*second[:3], done]])
    assert not [d for d in allowed.diagnostics if d.code == "run-status-backwards"]
