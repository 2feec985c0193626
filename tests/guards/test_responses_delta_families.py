"""Every streamed field of the Responses API (text, refusal, reasoning text and summaries, function
and MCP arguments, custom tool input, code interpreter code) grows from its own deltas, and its
``.done`` event is checked against what the deltas gave."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.protocols import by_name, fold
from harness.protocols.responses_vocabulary import DELTA_TARGETS, DeltaTarget
from harness.sse import ServerSentEvent

# the output item each delta family streams into, the type of its part (None: a field of the item),
# the field that grows, and the done event with its field: spelt out, as the API names them
ITEM_TYPES = {
    "response.output_text.delta": ("message", "output_text", "text", "response.output_text.done", "text"),
    "response.refusal.delta": ("message", "refusal", "refusal", "response.refusal.done", "refusal"),
    "response.reasoning_text.delta": (
        "reasoning",
        "reasoning_text",
        "text",
        "response.reasoning_text.done",
        "text",
    ),
    "response.reasoning_summary_text.delta": (
        "reasoning",
        "summary_text",
        "text",
        "response.reasoning_summary_text.done",
        "text",
    ),
    "response.function_call_arguments.delta": (
        "function_call",
        None,
        "arguments",
        "response.function_call_arguments.done",
        "arguments",
    ),
    "response.mcp_call_arguments.delta": (
        "mcp_call",
        None,
        "arguments",
        "response.mcp_call_arguments.done",
        "arguments",
    ),
    "response.custom_tool_call_input.delta": (
        "custom_tool_call",
        None,
        "input",
        "response.custom_tool_call_input.done",
        "input",
    ),
    "response.code_interpreter_call_code.delta": (
        "code_interpreter_call",
        None,
        "code",
        "response.code_interpreter_call_code.done",
        "code",
    ),
}


def test_every_delta_family_is_listed_here() -> None:
    assert set(DELTA_TARGETS) == set(ITEM_TYPES)


def _event(name: str, **payload: Any) -> ServerSentEvent:
    return ServerSentEvent(name, json.dumps({"type": name, **payload}))


def _stream(name: str, target: DeltaTarget, done_with: str | None) -> list[ServerSentEvent]:
    item_type, part_type, field, done_event, done_field = ITEM_TYPES[name]
    item: dict[str, Any] = {"type": item_type, "id": "item_1", "status": "in_progress"}
    item[target.parts or field] = [] if target.parts else ""
    response = {"id": "resp_1", "object": "response", "status": "in_progress", "output": []}
    events = [
        _event("response.created", sequence_number=0, response=response),
        _event("response.output_item.added", sequence_number=1, output_index=0, item=item),
    ]
    where: dict[str, Any] = {"output_index": 0, "item_id": "item_1"}
    if target.parts and target.part_index:
        where[target.part_index] = 0
        added = (
            "response.reasoning_summary_part.added"
            if target.parts == "summary"
            else "response.content_part.added"
        )
        events.append(_event(added, sequence_number=2, part={"type": part_type, field: ""}, **where))
    for piece in ("sk-fake-", "split"):
        events.append(_event(name, sequence_number=len(events), delta=piece, **where))
    if done_with is not None:
        events.append(_event(done_event, sequence_number=len(events), **{done_field: done_with}, **where))
    return events


def _folded(name: str, done_with: str | None) -> tuple[Any, set[str]]:
    target = DELTA_TARGETS[name]
    report = fold(by_name("responses"), [_stream(name, target, done_with)]).to_dict()
    item = report["responses"][0]["output"][0]
    field = ITEM_TYPES[name][2]
    value = item[target.parts][0][field] if target.parts else item[field]
    return value, {diagnostic["code"] for diagnostic in report["diagnostics"]}


@pytest.mark.parametrize("name", sorted(ITEM_TYPES))
def test_the_deltas_build_the_field(name: str) -> None:
    value, codes = _folded(name, None)
    assert value == "sk-fake-split"
    assert "internal-error" not in codes


@pytest.mark.parametrize("name", sorted(ITEM_TYPES))
def test_a_done_event_that_agrees_is_quiet_and_one_that_differs_is_reported(name: str) -> None:
    assert "delta-done-mismatch" not in _folded(name, "sk-fake-split")[1]
    value, codes = _folded(name, "sk-fake-other")
    assert "delta-done-mismatch" in codes
    assert value == "sk-fake-other"  # the done event repeats the whole string: it is what the API meant


@pytest.mark.parametrize("name", sorted(ITEM_TYPES))
def test_the_streamed_strings_rule_names_each_piece(name: str) -> None:
    """What scrubbing joins to find a key split across deltas: every piece, under one key."""
    protocol = by_name("responses")
    pieces = [
        list(protocol.streamed_strings(event.event, json.loads(event.data)))
        for event in _stream(name, DELTA_TARGETS[name], None)
        if event.event == name
    ]
    assert [[found.value for found in each] for each in pieces] == [["sk-fake-"], ["split"]]
    assert pieces[0][0].key == pieces[1][0].key
