"""What the Assistants fold says about payloads it cannot apply: the code, the event, the place in
the payload and the words a user reads (``harness validate`` and ``inspect`` print them as is)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness import reconstruct
from harness.diagnostics import Diagnostic
from harness.reconstruct.fold import MAX_NESTING
from harness.sse import ServerSentEvent

MESSAGE = {
    "id": "msg_1",
    "object": "thread.message",
    "status": "in_progress",
    "role": "assistant",
    "content": [],
}


def _findings(events: list[tuple[str, Any]], code: str) -> list[Diagnostic]:
    stream = [
        ServerSentEvent(name, data if isinstance(data, str) else json.dumps(data)) for name, data in events
    ]
    return [found for found in reconstruct(stream).diagnostics if found.code == code]


def test_a_delta_without_its_delta_object_is_named_at_its_event_and_field() -> None:
    found = _findings(
        [
            ("thread.message.created", MESSAGE),
            ("thread.message.delta", {"id": "msg_1", "object": "thread.message.delta"}),
        ],
        "unexpected-payload",
    )
    assert [(item.message, item.event, item.path) for item in found] == [
        ("thread.message.delta for msg_1 has no 'delta' object", 1, "delta")
    ]


def test_a_status_the_event_name_contradicts_points_at_the_status_field() -> None:
    run = {"id": "run_1", "object": "thread.run", "status": "failed"}
    found = _findings([("thread.run.completed", run)], "status-mismatch")
    assert [(item.event, item.path) for item in found] == [(0, "status")]


@pytest.mark.parametrize("payload", [{}, {"error": {}}], ids=["empty", "empty-error"])
def test_an_error_event_without_detail_says_so(payload: dict[str, Any]) -> None:
    found = _findings([("error", payload)], "error-event")
    assert [item.message for item in found] == ["the server sent an error event: no detail"]


def _nested_lists(levels: int) -> Any:
    value: Any = []
    for _ in range(levels - 1):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("levels", "refused"), [(MAX_NESTING - 2, False), (MAX_NESTING + 1, True)], ids=["at-limit", "deeper"]
)
def test_lists_nested_past_the_limit_are_refused_and_up_to_it_are_read(levels: int, refused: bool) -> None:
    # the message object is one level and its field another: the field's lists fill the rest
    message = {**MESSAGE, "metadata": {"deep": _nested_lists(levels)}}
    found = _findings([("thread.message.created", message)], "unexpected-payload")
    assert [item.message for item in found] == (
        [f"thread.message.created data is nested more than {MAX_NESTING} levels; ignored"] if refused else []
    )


def test_a_malformed_done_quotes_at_most_thirty_characters_of_its_data() -> None:
    found = _findings([("done", "x" * 100)], "malformed-done")
    assert [item.message for item in found] == [
        f"expected 'event: done' with 'data: [DONE]', got 'done' with {'x' * 30!r}"
    ]


TEXT_MESSAGE = {**MESSAGE, "content": [{"type": "text", "text": {"value": "Hi", "annotations": []}}]}
# the API's compact message-delta layout, broken after the part's index: not a delta of text ","
BROKEN_COMPACT_DELTA = '{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"}}]}}'
DELTA_WITH_EXTRA_KEY = (
    '{"id":"msg_1","object":"thread.message.delta","delta":{"content":'
    '[{"index":0,"type":"text","text":{"value":" there"},"extra":1}]}}'
)


def test_invalid_json_in_the_compact_delta_layout_is_reported_and_appends_nothing() -> None:
    events = [
        ServerSentEvent("thread.message.created", json.dumps(TEXT_MESSAGE)),
        ServerSentEvent("thread.message.delta", BROKEN_COMPACT_DELTA),
    ]
    transcript = reconstruct(events)
    assert transcript.messages[0]["content"][0]["text"]["value"] == "Hi"
    assert [(item.code, item.event) for item in transcript.diagnostics if item.code == "invalid-json"] == [
        ("invalid-json", 1)
    ]


def test_a_text_piece_with_a_key_more_is_merged_whole_and_the_key_is_named() -> None:
    events = [
        ServerSentEvent("thread.message.created", json.dumps(TEXT_MESSAGE)),
        ServerSentEvent("thread.message.delta", DELTA_WITH_EXTRA_KEY),
    ]
    transcript = reconstruct(events)
    assert transcript.messages[0]["content"][0] == {
        "type": "text",
        "text": {"value": "Hi there", "annotations": []},
        "extra": 1,
    }
    assert "unknown-field" in {item.code for item in transcript.diagnostics}
