"""Every event of every real stream loads, round-trips exactly, and is typed as expected."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from harness.models import (
    CodeInterpreterImageOutput,
    CodeInterpreterLogsOutput,
    CodeInterpreterToolCall,
    CodeInterpreterToolCallDelta,
    ErrorPayload,
    FileCitationAnnotation,
    FileCitationDeltaAnnotation,
    FileSearchToolCall,
    FunctionToolCall,
    FunctionToolCallDelta,
    ImageFileContent,
    ImageFileDeltaBlock,
    Message,
    MessageDeltaEvent,
    RetrievalTool,
    Run,
    RunStep,
    RunStepDeltaEvent,
    TextContent,
    TextDeltaBlock,
    Thread,
    ToolCallsDelta,
    ToolCallsDetails,
    TypedEvent,
    payload_model,
    typed_events,
)

from .corpus import ERROR_BODY, SSE_FILES, all_events, events

ALL_EVENTS = all_events()


def typed(name: str) -> list[TypedEvent]:
    return typed_events(events(name))


def only(items: list[TypedEvent], event: str) -> TypedEvent:
    [found] = [item for item in items if item.event == event]
    return found


def test_the_corpus_is_there() -> None:
    assert len(SSE_FILES) == 21
    assert len(ALL_EVENTS) == 2030


@pytest.mark.parametrize("path", SSE_FILES, ids=lambda path: path.name[:3])
def test_every_event_round_trips_exactly(path: Path) -> None:
    for item in typed(path.name):
        if item.event == "done":
            assert item.kind == "done"
            continue
        assert item.kind == "payload", item
        assert item.payload is not None
        assert item.payload.to_dict() == json.loads(item.data)
        assert item.payload.model_dump(mode="json", exclude_unset=True) == item.value
        # Fields are declared in the server's order, so even the bytes come back.
        assert item.payload.to_json() == item.data


def test_plain_dicts_validate_directly() -> None:
    # Reconstruction folds raw dicts and validates only final objects.
    for _, _, sse in ALL_EVENTS:
        if sse.event == "done":
            continue
        value = json.loads(sse.data)
        model = payload_model(sse.event, value)
        assert model is not None
        assert model.model_validate(value).to_dict() == value
        assert model.model_validate_json(sse.data).to_dict() == value


def test_payload_classes_by_event() -> None:
    seen: dict[str, set[str]] = {}
    for path in SSE_FILES:
        for item in typed(path.name):
            if item.payload is not None:
                seen.setdefault(item.event, set()).add(type(item.payload).__name__)
    assert seen["thread.created"] == {Thread.__name__}
    assert seen["thread.run.step.delta"] == {RunStepDeltaEvent.__name__}
    assert seen["thread.message.delta"] == {MessageDeltaEvent.__name__}
    for name, classes in seen.items():
        if name.endswith(".delta") or name == "thread.created":
            continue
        if name.startswith("thread.run.step."):
            assert classes == {RunStep.__name__}
        elif name.startswith("thread.run."):
            assert classes == {Run.__name__}
        else:
            assert name.startswith("thread.message.") and classes == {Message.__name__}


def test_nothing_in_the_corpus_is_unknown() -> None:
    codes = Counter(d.code for path in SSE_FILES for item in typed(path.name) for d in item.diagnostics)
    assert not {
        "unknown-field",
        "unknown-type",
        "unknown-event",
        "invalid-json",
        "unexpected-payload",
        "malformed-done",
    } & set(codes)


def test_real_deviations_from_the_reference_are_reported() -> None:
    found = Counter(
        (path.name[:3], d.code, d.path)
        for path in SSE_FILES
        for item in typed(path.name)
        for d in item.diagnostics
    )
    # `"instructions": null` on every run event of the dotnet recordings.
    assert found[("008", "reference-deviation", "instructions")] == 4
    # Runs recorded before mid-2024 lack `parallel_tool_calls`.
    assert found[("001", "reference-deviation", "parallel_tool_calls")] == 4
    assert found[("008", "reference-deviation", "parallel_tool_calls")] == 0
    # The v1 `retrieval` tool, listed second in the run's tools.
    assert found[("016", "reference-deviation", "tools[1]")] == 4
    # An event named thread.run.completed whose data says "incomplete".
    assert found[("002", "status-mismatch", "status")] == 1
    assert sum(count for (_, code, _), count in found.items() if code == "status-mismatch") == 1


def test_incomplete_run_named_completed() -> None:
    items = typed("002-ruby-openai-v2-run-incomplete-max-tokens.sse")
    run = only(items, "thread.run.completed").payload
    assert isinstance(run, Run)
    assert run.status == "incomplete"
    assert run.incomplete_details is not None and run.incomplete_details.reason == "max_prompt_tokens"
    message = only(items, "thread.message.incomplete").payload
    assert isinstance(message, Message)
    assert message.incomplete_details is not None and message.incomplete_details.reason == "max_tokens"


def test_v1_shapes() -> None:
    items = typed("016-simple-openai-v1-run-function-retrieval-tools.sse")
    run = only(items, "thread.run.created").payload
    assert isinstance(run, Run)
    assert run.tools is not None and any(isinstance(tool, RetrievalTool) for tool in run.tools)
    assert run.file_ids and run.file_ids[0].startswith("file-")
    message = only(items, "thread.message.completed").payload
    assert isinstance(message, Message) and message.file_ids == [] and message.attachments is None


def test_usage_details_the_sdk_lacks() -> None:
    run = only(typed("008-openai-dotnet-plain-text-run-oct2025.sse"), "thread.run.completed").payload
    assert isinstance(run, Run) and run.usage is not None
    assert run.usage.prompt_token_details is not None and run.usage.prompt_token_details.cached_tokens == 0
    assert run.usage.completion_tokens_details is not None
    assert run.usage.completion_tokens_details.reasoning_tokens == 0
    assert run.reasoning_effort is None and "reasoning_effort" in run.model_fields_set
    assert run.instructions is None and "instructions" in run.model_fields_set


def test_function_call_steps_and_required_action() -> None:
    first = typed("010-openai-dotnet-function-requires-action-oct2025.sse")
    run = only(first, "thread.run.requires_action").payload
    assert isinstance(run, Run) and run.required_action is not None
    assert run.required_action.submit_tool_outputs is not None
    [call] = run.required_action.submit_tool_outputs.tool_calls or []
    assert call.function is not None and call.function.name
    deltas = [item.payload for item in first if item.event == "thread.run.step.delta"]
    pieces = []
    for delta in deltas:
        assert isinstance(delta, RunStepDeltaEvent) and delta.delta is not None
        details = delta.delta.step_details
        assert isinstance(details, ToolCallsDelta)
        for piece in details.tool_calls or []:
            assert isinstance(piece, FunctionToolCallDelta) and piece.index == 0
            assert piece.function is not None
            pieces.append(piece.function.arguments or "")
    assert "".join(pieces) == call.function.arguments

    second = typed("011-openai-dotnet-submit-tool-outputs-oct2025.sse")
    step = second[0].payload
    assert second[0].event == "thread.run.step.completed" and isinstance(step, RunStep)
    assert isinstance(step.step_details, ToolCallsDetails)
    [done_call] = step.step_details.tool_calls or []
    assert isinstance(done_call, FunctionToolCall) and done_call.id == call.id
    assert done_call.function is not None and done_call.function.output is not None


def test_code_interpreter_with_image_output() -> None:
    items = typed("017-simple-openai-v1-thread-and-run-code-interpreter.sse")
    steps = [item.payload for item in items if item.event == "thread.run.step.completed"]
    outputs = [
        output
        for step in steps
        if isinstance(step, RunStep) and isinstance(step.step_details, ToolCallsDetails)
        for call in step.step_details.tool_calls or []
        if isinstance(call, CodeInterpreterToolCall) and call.code_interpreter is not None
        for output in call.code_interpreter.outputs or []
    ]
    kinds = {type(output) for output in outputs}
    assert CodeInterpreterImageOutput in kinds
    image = next(output for output in outputs if isinstance(output, CodeInterpreterImageOutput))
    assert image.image is not None and image.image.file_id
    input_pieces = [
        piece
        for item in items
        if isinstance(item.payload, RunStepDeltaEvent)
        and item.payload.delta is not None
        and isinstance(item.payload.delta.step_details, ToolCallsDelta)
        for piece in item.payload.delta.step_details.tool_calls or []
    ]
    assert all(isinstance(piece, CodeInterpreterToolCallDelta) for piece in input_pieces)
    content_deltas = [
        block
        for item in items
        if isinstance(item.payload, MessageDeltaEvent) and item.payload.delta is not None
        for block in item.payload.delta.content or []
    ]
    assert any(isinstance(block, ImageFileDeltaBlock) and block.index == 0 for block in content_deltas)
    message = [item.payload for item in items if item.event == "thread.message.completed"][-1]
    assert isinstance(message, Message) and message.content is not None
    assert [type(part) for part in message.content] == [ImageFileContent, TextContent]


def test_logs_output_in_a_step_delta() -> None:
    items = typed("003-openllmetry-code-interpreter-gpt4turbo-a.sse")
    details = [
        item.payload.delta.step_details
        for item in items
        if isinstance(item.payload, RunStepDeltaEvent) and item.payload.delta is not None
    ]
    outputs = [
        output
        for detail in details
        if isinstance(detail, ToolCallsDelta)
        for piece in detail.tool_calls or []
        if isinstance(piece, CodeInterpreterToolCallDelta) and piece.code_interpreter is not None
        for output in piece.code_interpreter.outputs or []
    ]
    [logs] = outputs
    assert isinstance(logs, CodeInterpreterLogsOutput)
    assert logs.index == 0 and logs.logs


def test_file_search_and_citations() -> None:
    items = typed("014-openai-dotnet-file-search-citation-oct2025.sse")
    steps = [item.payload for item in items if item.event == "thread.run.step.completed"]
    calls = [
        call
        for step in steps
        if isinstance(step, RunStep) and isinstance(step.step_details, ToolCallsDetails)
        for call in step.step_details.tool_calls or []
    ]
    [search] = [call for call in calls if isinstance(call, FileSearchToolCall)]
    assert search.file_search is not None and search.file_search.results
    result = search.file_search.results[0]
    assert result.attributes == {} and result.content and result.content[0].text
    annotations = [
        annotation
        for item in items
        if isinstance(item.payload, MessageDeltaEvent) and item.payload.delta is not None
        for block in item.payload.delta.content or []
        if isinstance(block, TextDeltaBlock) and block.text is not None
        for annotation in block.text.annotations or []
    ]
    [cited] = annotations
    assert isinstance(cited, FileCitationDeltaAnnotation) and cited.file_citation is not None
    assert cited.file_citation.quote == "" and cited.index == 0
    message = only(items, "thread.message.completed").payload
    assert isinstance(message, Message) and message.content
    text = message.content[0]
    assert isinstance(text, TextContent) and text.text is not None and text.text.annotations
    final = text.text.annotations[0]
    assert isinstance(final, FileCitationAnnotation)
    assert final.file_citation is not None and "quote" not in final.file_citation.model_fields_set


def test_the_http_400_error_body() -> None:
    value = json.loads(ERROR_BODY.read_text())
    payload = ErrorPayload.model_validate(value)
    assert payload.error is not None and payload.error.code == "invalid_thread"
    assert payload.error.param is None and "param" in payload.error.model_fields_set
    assert payload.to_dict() == value
