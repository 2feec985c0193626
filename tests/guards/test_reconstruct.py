"""Reconstruction, through ``reconstruct``: names replaced not concatenated, stubs keep their id,
streamed deltas checked against the final snapshot for run steps as for messages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness import reconstruct
from harness.reconstruct.transcript import Transcript
from harness.sse import ServerSentEvent

# Fields that name something are sent whole: a server repeating one must replace the value, never
# build "in_progressin_progresscompleted". Each with two values it may take in turn.
REPEATED_NAMES: dict[str, tuple[str, str]] = {
    "id": ("call_1", "call_2"),
    "type": ("text", "image_file"),
    "name": ("get_weather", "get_time"),
    "file_id": ("file-1", "file-2"),
    "object": ("thread.message", "thread.message.delta"),
    "role": ("assistant", "user"),
    "status": ("in_progress", "completed"),
    "ranker": ("auto", "default_2024_08_21"),
    "file_name": ("a.txt", "b.txt"),
    "detail": ("low", "high"),
    "url": ("https://example.com/a", "https://example.com/b"),
    "message_id": ("msg_1", "msg_2"),
    "run_id": ("run_1", "run_2"),
    "thread_id": ("thread_1", "thread_2"),
    "assistant_id": ("asst_1", "asst_2"),
}


def _event(name: str, data: dict[str, Any]) -> ServerSentEvent:
    return ServerSentEvent(name, json.dumps(data))


def _message(message_id: str, status: str, content: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": message_id,
        "object": "thread.message",
        "status": status,
        "role": "assistant",
        "content": content,
    }


def _step(step_id: str, status: str, calls: list[dict[str, Any]]) -> dict[str, Any]:
    details = {"type": "tool_calls", "tool_calls": calls}
    return {
        "id": step_id,
        "object": "thread.run.step",
        "type": "tool_calls",
        "status": status,
        "step_details": details,
    }


def _message_delta(message_id: str, content: list[dict[str, Any]]) -> ServerSentEvent:
    return _event(
        "thread.message.delta",
        {"id": message_id, "object": "thread.message.delta", "delta": {"content": content}},
    )


def _step_delta(step_id: str, calls: list[Any]) -> ServerSentEvent:
    delta = {"step_details": {"type": "tool_calls", "tool_calls": calls}}
    return _event("thread.run.step.delta", {"id": step_id, "object": "thread.run.step.delta", "delta": delta})


def _function(arguments: str, **extra: Any) -> dict[str, Any]:
    return {
        "index": 0,
        "id": "call_1",
        "type": "function",
        "function": {"name": "f", "arguments": arguments},
        **extra,
    }


def _codes(transcript: Transcript) -> list[str]:
    return [diagnostic.code for diagnostic in transcript.diagnostics]


@pytest.mark.parametrize("key", sorted(REPEATED_NAMES))
def test_a_naming_field_sent_twice_is_replaced_not_concatenated(key: str) -> None:
    before, after = REPEATED_NAMES[key]
    created = _event("thread.message.created", _message("msg_1", "in_progress", []))
    first = _message_delta("msg_1", [{"index": 0, key: before}])
    second = _message_delta("msg_1", [{"index": 0, key: after}])
    transcript = reconstruct([created, first, second])
    assert transcript.messages[0]["content"][0][key] == after

    step = _event("thread.run.step.created", _step("step_1", "in_progress", []))
    deltas = [_step_delta("step_1", [{"index": 0, "function": {key: value}}]) for value in (before, after)]
    steps = reconstruct([step, *deltas]).run_steps
    assert steps[0]["step_details"]["tool_calls"][0]["function"][key] == after


def test_streamed_text_fields_are_concatenated() -> None:
    created = _event("thread.message.created", _message("msg_1", "in_progress", []))
    pieces = [
        _message_delta("msg_1", [{"index": 0, "type": "text", "text": {"value": "Hel"}}]),
        _message_delta("msg_1", [{"index": 0, "type": "text", "text": {"value": "lo"}}]),
        _message_delta("msg_1", [{"index": 0, "type": "text", "text": {"value": ""}}]),
        _message_delta("msg_1", [{"index": 0, "type": "text", "text": {"value": "!", "annotations": []}}]),
    ]
    transcript = reconstruct([created, *pieces])
    assert transcript.messages[0]["content"] == [
        {"type": "text", "text": {"value": "Hello!", "annotations": []}}
    ]


def test_a_delta_for_an_unknown_message_builds_a_stub_that_keeps_its_id() -> None:
    delta = _message_delta("msg_ghost", [{"index": 0, "type": "text", "text": {"value": "boo"}}])
    transcript = reconstruct([delta])
    assert "delta-unknown-object" in _codes(transcript)
    (message,) = transcript.messages
    assert message["id"] == "msg_ghost" and message["object"] == "thread.message"
    assert message["content"] == [{"type": "text", "text": {"value": "boo"}}]
    diagnostic = next(d for d in transcript.diagnostics if d.code == "delta-unknown-object")
    assert "msg_ghost" in diagnostic.message and "thread.message.created" in diagnostic.message

    step_delta = _step_delta("step_ghost", [_function("{}")])
    (step,) = reconstruct([step_delta]).run_steps
    assert step["id"] == "step_ghost" and step["object"] == "thread.run.step"


def _step_stream(streamed: list[str], final: str) -> list[ServerSentEvent]:
    events = [_event("thread.run.step.created", _step("step_1", "in_progress", [_function("")]))]
    events += [_step_delta("step_1", [{"index": 0, "function": {"arguments": piece}}]) for piece in streamed]
    events.append(_event("thread.run.step.completed", _step("step_1", "completed", [_function(final)])))
    return events


def test_run_step_deltas_that_disagree_with_the_final_step_are_reported() -> None:
    transcript = reconstruct(_step_stream(['{"city": ', '"Paris"}'], '{"city": "Rome"}'))
    mismatches = [d for d in transcript.diagnostics if d.code == "delta-snapshot-mismatch"]
    assert len(mismatches) == 1
    assert mismatches[0].event == 3 and mismatches[0].path == "step_details"
    assert mismatches[0].message.startswith("step_1: 2 deltas (last at event 2) disagree with this snapshot")
    # the final snapshot wins
    final = transcript.run_steps[0]["step_details"]["tool_calls"][0]["function"]["arguments"]
    assert final == '{"city": "Rome"}'


def test_run_step_deltas_that_agree_with_the_final_step_are_not_reported() -> None:
    transcript = reconstruct(_step_stream(['{"city": ', '"Paris"}'], '{"city": "Paris"}'))
    assert "delta-snapshot-mismatch" not in _codes(transcript)


def test_message_deltas_that_disagree_with_the_final_message_are_reported() -> None:
    part = {"type": "text", "text": {"value": "Hello", "annotations": []}}
    events = [
        _event("thread.message.created", _message("msg_1", "in_progress", [])),
        _message_delta("msg_1", [{"index": 0, "type": "text", "text": {"value": "Hel"}}]),
        _message_delta("msg_1", [{"index": 0, "type": "text", "text": {"value": "p"}}]),
        _event("thread.message.completed", _message("msg_1", "completed", [part])),
    ]
    mismatch = [d for d in reconstruct(events).diagnostics if d.code == "delta-snapshot-mismatch"]
    assert len(mismatch) == 1 and mismatch[0].message.startswith("msg_1: 2 deltas (last at event 2)")
    agreeing = [*events[:2], _message_delta("msg_1", [{"index": 0, "type": "text", "text": {"value": "lo"}}])]
    assert "delta-snapshot-mismatch" not in _codes(reconstruct([*agreeing, events[3]]))


def test_a_delta_after_the_terminal_snapshot_is_ignored_and_reported() -> None:
    events = [
        *_step_stream(["{}"], "{}"),
        _step_delta("step_1", [{"index": 0, "function": {"arguments": "x"}}]),
    ]
    transcript = reconstruct(events)
    assert _codes(transcript).count("delta-after-terminal") == 1
    assert transcript.run_steps[0]["step_details"]["tool_calls"][0]["function"]["arguments"] == "{}"


def test_indexed_entries_fold_by_index_not_arrival() -> None:
    created = _event("thread.run.step.created", _step("step_1", "in_progress", []))
    deltas = [
        _step_delta("step_1", [{"index": 1, "id": "call_b", "function": {"arguments": "B"}}]),
        _step_delta("step_1", [{"index": 0, "id": "call_a", "function": {"arguments": "A"}}]),
        _step_delta(
            "step_1",
            [{"index": 1, "function": {"arguments": "b"}}, {"index": 0, "function": {"arguments": "a"}}],
        ),
        _step_delta("step_1", [{"index": -1, "function": {}}, "not an object"]),
    ]
    transcript = reconstruct([created, *deltas])
    calls = transcript.run_steps[0]["step_details"]["tool_calls"]
    assert [(call["id"], call["function"]["arguments"]) for call in calls] == [
        ("call_a", "Aa"),
        ("call_b", "Bb"),
    ]
    assert all("index" not in call for call in calls)
    assert _codes(transcript).count("invalid-delta") == 2


def test_deltas_continue_a_list_the_created_snapshot_already_holds() -> None:
    part = {"type": "text", "text": {"value": "Hi", "annotations": []}}
    created = _event("thread.message.created", _message("msg_1", "in_progress", [part]))
    more = _message_delta("msg_1", [{"index": 0, "type": "text", "text": {"value": " there"}}])
    second = _message_delta("msg_1", [{"index": 1, "type": "text", "text": {"value": "P.S."}}])
    content = reconstruct([created, more, second]).messages[0]["content"]
    assert content == [
        {"type": "text", "text": {"value": "Hi there", "annotations": []}},
        {"type": "text", "text": {"value": "P.S."}},
    ]


def test_entries_of_a_snapshot_list_are_placed_by_their_own_index_when_valid() -> None:
    def call(index: object, name: str) -> dict[str, Any]:
        return {
            "index": index,
            "id": f"call_{name}",
            "type": "function",
            "function": {"name": name, "arguments": name},
        }

    def folded(calls: list[dict[str, Any]], delta_index: int) -> list[tuple[str, str]]:
        created = _event("thread.run.step.created", _step("step_1", "in_progress", calls))
        delta = _step_delta("step_1", [{"index": delta_index, "function": {"arguments": "+"}}])
        step = reconstruct([created, delta]).run_steps[0]
        return [(c["id"], c["function"]["arguments"]) for c in step["step_details"]["tool_calls"]]

    assert folded([call(1, "b"), call(0, "a")], 1) == [("call_a", "a"), ("call_b", "b+")]
    # an index that is not a non-negative integer is no index: the entry keeps its position
    assert folded([call(True, "a"), call(-1, "b")], 1) == [("call_a", "a"), ("call_b", "b+")]
    assert folded([call("0", "a")], 0) == [("call_a", "a+")]


def test_a_null_in_a_delta_adds_a_missing_field_but_never_erases_one() -> None:
    part = {"type": "text", "text": {"value": "Hi", "annotations": []}}
    created = _event("thread.message.created", _message("msg_1", "in_progress", [part]))
    delta = _message_delta(
        "msg_1", [{"index": 0, "type": "text", "text": {"value": "!", "annotations": None, "extra": None}}]
    )
    (message,) = reconstruct([created, delta]).messages
    assert message["content"] == [
        {"type": "text", "text": {"value": "Hi!", "annotations": [], "extra": None}}
    ]


def test_plain_lists_in_deltas_are_appended() -> None:
    created = _event("thread.message.created", {**_message("msg_1", "in_progress", []), "attachments": []})
    first = _event("thread.message.delta", {"id": "msg_1", "delta": {"attachments": [{"file_id": "a"}]}})
    second = _event("thread.message.delta", {"id": "msg_1", "delta": {"attachments": [{"file_id": "b"}]}})
    (message,) = reconstruct([created, first, second]).messages
    assert message["attachments"] == [{"file_id": "a"}, {"file_id": "b"}]
    fresh = reconstruct(
        [_event("thread.message.created", _message("msg_1", "in_progress", [])), first, second]
    )
    assert fresh.messages[0]["attachments"] == [{"file_id": "a"}, {"file_id": "b"}]


def test_many_text_deltas_are_counted_when_they_disagree_with_the_final_message() -> None:
    part = {"type": "text", "text": {"value": "Hello", "annotations": []}}
    pieces = ["H", "e", "y", "!"]
    events = [
        _event("thread.message.created", _message("msg_1", "in_progress", [])),
        *(
            _message_delta("msg_1", [{"index": 0, "type": "text", "text": {"value": piece}}])
            for piece in pieces
        ),
        _event("thread.message.completed", _message("msg_1", "completed", [part])),
    ]
    (mismatch,) = [d for d in reconstruct(events).diagnostics if d.code == "delta-snapshot-mismatch"]
    assert mismatch.message.startswith("msg_1: 4 deltas (last at event 4) disagree with this snapshot")


def test_a_delta_for_an_unknown_object_names_its_kind() -> None:
    message = reconstruct([_message_delta("msg_x", [])]).diagnostics[0]
    assert (
        "but no message with that id was created; expected a thread.message.created first" in message.message
    )
    step = reconstruct([_step_delta("step_x", [])]).diagnostics[0]
    assert (
        "but no run step with that id was created; expected a thread.run.step.created first" in step.message
    )


@pytest.mark.parametrize("data", ["x{}", "[1", "{} {}", '"a" 1'])
def test_data_that_is_not_one_json_value_is_invalid_json(data: str) -> None:
    (diagnostic,) = reconstruct([ServerSentEvent("thread.run.created", data)]).diagnostics[:1]
    assert diagnostic.code == "invalid-json" and diagnostic.event == 0


def test_invalid_json_is_quoted_to_sixty_characters() -> None:
    data = "{" + "x" * 100
    (diagnostic,) = [
        d
        for d in reconstruct([ServerSentEvent("thread.run.created", data)]).diagnostics
        if d.code == "invalid-json"
    ]
    assert diagnostic.message.startswith("thread.run.created data is not JSON (")
    assert diagnostic.message.endswith(f": {data[:60]!r}")
