"""Nothing is dropped, nothing is coerced, nothing fails: unknown and deviating data is kept and reported."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.models import (
    REFERENCE,
    CodeInterpreterToolCall,
    HarnessModel,
    Message,
    MessageDeltaEvent,
    Run,
    RunStep,
    RunStepDeltaEvent,
    Thread,
    ToolCallsDetails,
    UnknownCodeInterpreterOutput,
    UnknownContent,
    UnknownContentDelta,
    UnknownStepDetails,
    UnknownTool,
    UnknownToolCall,
    UnknownToolCallDelta,
    diagnose,
    reference_deviations,
    unknown_fields,
)


def codes_and_paths(model: HarnessModel) -> set[tuple[str, str | None]]:
    return {(d.code, d.path) for d in diagnose(model)}


RUN: dict[str, Any] = {
    "id": "run_1",
    "object": "thread.run",
    "created_at": 1,
    "assistant_id": "asst_1",
    "thread_id": "thread_1",
    "status": "queued",
    "started_at": None,
    "expires_at": 2,
    "cancelled_at": None,
    "failed_at": None,
    "completed_at": None,
    "required_action": None,
    "last_error": None,
    "model": "gpt-4o",
    "instructions": "Be brief.",
    "tools": [{"type": "code_interpreter"}],
    "metadata": {},
    "temperature": 1.0,
    "top_p": 1.0,
    "max_completion_tokens": None,
    "max_prompt_tokens": None,
    "truncation_strategy": {"type": "auto", "last_messages": None},
    "incomplete_details": None,
    "usage": None,
    "response_format": "auto",
    "tool_choice": "auto",
    "parallel_tool_calls": True,
}


def test_a_reference_run_has_no_findings() -> None:
    run = Run.model_validate(RUN)
    assert diagnose(run) == []
    assert run.to_dict() == RUN


def test_unknown_fields_are_kept_and_reported_at_any_depth() -> None:
    value = {
        **RUN,
        "brand_new": {"nested": [1, 2]},
        "usage": {
            "prompt_tokens": 1,
            "completion_tokens": 2,
            "total_tokens": 3,
            "prompt_tokens_details": {"cached_tokens": 0},
        },
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {"x": 1}, "extra": True}}],
        "required_action": {
            "type": "submit_tool_outputs",
            "submit_tool_outputs": {
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "f", "arguments": "{}"},
                        "hint": "new",
                    }
                ]
            },
        },
    }
    run = Run.model_validate(value)
    assert run.to_dict() == value
    assert json.loads(run.to_json()) == value
    # An object's own unknown keys first, then those of its fields, in declaration order.
    assert unknown_fields(run) == [
        "brand_new",
        "required_action.submit_tool_outputs.tool_calls[0].hint",
        "tools[0].function.extra",
        "usage.prompt_tokens_details",
    ]
    assert run.model_extra == {"brand_new": {"nested": [1, 2]}}
    found = [d for d in diagnose(run, event=7) if d.code == "unknown-field"]
    assert [d.path for d in found] == unknown_fields(run)
    assert all(d.event == 7 for d in found)
    # `parameters` is free-form JSON schema: its keys are never "unknown".
    assert "tools[0].function.parameters.x" not in unknown_fields(run)


def test_unknown_types_fall_back_to_generic_models() -> None:
    step = RunStep.model_validate(
        {
            "id": "step_1",
            "object": "thread.run.step",
            "created_at": 1,
            "run_id": "run_1",
            "assistant_id": "a",
            "thread_id": "t",
            "type": "tool_calls",
            "status": "completed",
            "step_details": {
                "type": "tool_calls",
                "tool_calls": [
                    {"id": "call_1", "type": "web_browser", "web_browser": {"url": "https://example.com"}},
                    {
                        "id": "call_2",
                        "type": "code_interpreter",
                        "code_interpreter": {
                            "input": "1+1",
                            "outputs": [
                                {"type": "logs", "logs": "2"},
                                {"type": "audio", "audio": {"file_id": "f"}},
                            ],
                        },
                    },
                ],
            },
        }
    )
    assert isinstance(step.step_details, ToolCallsDetails)
    browser, code = step.step_details.tool_calls or []
    assert isinstance(browser, UnknownToolCall) and browser.type == "web_browser"
    assert browser.model_extra == {"web_browser": {"url": "https://example.com"}}
    assert isinstance(code, CodeInterpreterToolCall) and code.code_interpreter is not None
    assert isinstance((code.code_interpreter.outputs or [])[1], UnknownCodeInterpreterOutput)
    assert codes_and_paths(step) == {
        ("unknown-type", "step_details.tool_calls[0]"),
        ("unknown-type", "step_details.tool_calls[1].code_interpreter.outputs[1]"),
    }
    # The keys of an unknown object are reported once, through the object.
    assert unknown_fields(step) == []


def test_unknown_step_details_tool_and_content_types() -> None:
    step = RunStep.model_validate({"type": "thinking", "step_details": {"type": "thinking", "thoughts": []}})
    assert isinstance(step.step_details, UnknownStepDetails)
    run = Run.model_validate({**RUN, "tools": [{"type": "computer", "display": {"width": 1}}]})
    assert run.tools is not None and isinstance(run.tools[0], UnknownTool)
    assert ("unknown-type", "tools[0]") in codes_and_paths(run)
    message = Message.model_validate({"content": [{"type": "audio", "audio": {"id": "a"}}, "not-an-object"]})
    assert message.content is None  # one part is not an object at all: the whole list is kept as sent
    assert message.to_dict()["content"] == [{"type": "audio", "audio": {"id": "a"}}, "not-an-object"]
    assert ("reference-deviation", "content") in codes_and_paths(message)
    message = Message.model_validate({"content": [{"type": "audio", "audio": {"id": "a"}}]})
    assert message.content is not None and isinstance(message.content[0], UnknownContent)


def test_unknown_types_in_deltas() -> None:
    value = {
        "id": "msg_1",
        "object": "thread.message.delta",
        "delta": {"content": [{"index": 3, "type": "audio", "audio": {"data": "AAAA"}}]},
    }
    delta = MessageDeltaEvent.model_validate(value)
    assert delta.delta is not None and delta.delta.content is not None
    block = delta.delta.content[0]
    assert isinstance(block, UnknownContentDelta) and block.index == 3
    assert delta.to_dict() == value
    value = {
        "id": "step_1",
        "object": "thread.run.step.delta",
        "delta": {
            "step_details": {
                "type": "tool_calls",
                "tool_calls": [{"index": 1, "type": "mcp", "mcp": {"arguments": "{"}}],
            }
        },
    }
    step_delta = RunStepDeltaEvent.model_validate(value)
    assert step_delta.delta is not None
    details = step_delta.delta.step_details
    assert details is not None and details.type == "tool_calls"
    assert step_delta.to_dict() == value
    [piece] = getattr(details, "tool_calls", None) or []
    assert isinstance(piece, UnknownToolCallDelta) and piece.index == 1


def test_values_are_never_coerced() -> None:
    value = {**RUN, "temperature": 1, "top_p": 0.5, "created_at": "1714000000", "parallel_tool_calls": 1}
    run = Run.model_validate(value)
    assert run.temperature == 1 and isinstance(run.temperature, int)
    assert '"temperature":1,' in run.to_json()
    # A value of the wrong JSON type is not converted: the field stays unset, the value is kept.
    assert run.created_at is None and "created_at" not in run.model_fields_set
    assert run.invalid_fields.keys() == {"created_at", "parallel_tool_calls"}
    assert run.to_dict() == value
    assert json.loads(run.to_json()) == value
    assert unknown_fields(run) == []
    assert {
        ("reference-deviation", "created_at"),
        ("reference-deviation", "parallel_tool_calls"),
    } <= codes_and_paths(run)


def test_wrong_types_deep_inside_are_kept_where_they_are() -> None:
    value = {"id": "msg_1", "content": [{"type": "text", "text": {"value": 42, "annotations": []}}]}
    message = Message.model_validate(value)
    assert message.content is not None  # the rest of the message stays typed
    assert message.to_dict() == value
    assert ("reference-deviation", "content[0].text.value") in codes_and_paths(message)


def test_nulls_missing_keys_and_enums_outside_the_reference() -> None:
    value = {**RUN, "instructions": None, "status": "paused", "tool_choice": "sometimes"}
    del value["parallel_tool_calls"]
    run = Run.model_validate(value)
    assert run.to_dict() == value
    assert run.status == "paused"
    found = {d.path: d.message for d in reference_deviations(run)}
    assert found.keys() == {"instructions", "status", "tool_choice", "parallel_tool_calls"}
    assert "null" in found["instructions"] and "missing" in found["parallel_tool_calls"]
    assert "'paused'" in found["status"] and "queued" in found["status"]


def test_absent_stays_absent_and_null_stays_null() -> None:
    thread = Thread.model_validate({"id": "thread_1", "metadata": None})
    assert thread.to_dict() == {"id": "thread_1", "metadata": None}
    assert thread.to_json() == '{"id":"thread_1","metadata":null}'


def test_every_reference_entry_names_real_fields() -> None:
    for model, reference in REFERENCE.items():
        fields = set(model.model_fields)
        assert reference.required <= fields, model
        assert reference.nullable <= reference.required, model
        assert set(reference.enums) <= fields, model


JSON_LEAF = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
)
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
FIELD_NAMES = sorted(
    {
        name
        for model in (Run, RunStep, Message, Thread, MessageDeltaEvent, RunStepDeltaEvent)
        for name in model.model_fields
    }
    | {"type", "index", "text", "function", "tool_calls"}
)
KEYS = st.sampled_from(FIELD_NAMES) | st.text(max_size=10)
OBJECTS = st.dictionaries(
    KEYS,
    JSON
    | st.dictionaries(KEYS, JSON, max_size=4)
    | st.lists(st.dictionaries(KEYS, JSON, max_size=4), max_size=2),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(
    value=OBJECTS,
    model=st.sampled_from([Run, RunStep, Message, Thread, MessageDeltaEvent, RunStepDeltaEvent]),
)
def test_any_json_object_loads_and_round_trips(value: dict[str, Any], model: type[HarnessModel]) -> None:
    loaded = model.model_validate(value)
    assert loaded.to_dict() == value
    assert json.loads(loaded.to_json()) == value
    diagnose(loaded)  # never raises either


@settings(max_examples=100, deadline=None)
@given(
    extra=st.dictionaries(
        st.text(min_size=1, max_size=8).filter(lambda key: key not in Run.model_fields),
        JSON,
        min_size=1,
        max_size=4,
    )
)
def test_added_unknown_keys_are_exactly_the_unknown_fields(extra: dict[str, Any]) -> None:
    run = Run.model_validate({**RUN, **extra})
    assert unknown_fields(run) == list(extra)
    assert run.to_dict() == {**RUN, **extra}


def test_keys_that_look_like_python_internals_are_plain_data() -> None:
    value = {"to_dict": 1, "generic": 2, "_invalid": 3, "model_config": 4, "__class__": 5, "__dict__": 6}
    run = Run.model_validate(value)
    assert run.to_dict() == value
    assert unknown_fields(run) == list(value)
    assert run.generic is False
