"""Request bodies of the streaming calls load, round-trip and report what they do not know."""

from __future__ import annotations

from typing import Any

from harness.models import (
    FunctionTool,
    ImageFileContentPart,
    RunCreateAndStreamParams,
    RunCreateParams,
    SubmitToolOutputsParams,
    TextContentPart,
    ThreadCreateAndRunParams,
    ToolChoice,
    diagnose,
    unknown_fields,
)


def test_the_recorded_create_run_body() -> None:
    # The request body of cassettes/real/022 (see SOURCES.md).
    body = {
        "assistant_id": "asst_H2PoKkKFjw0n4FvvPS7f2M8f",
        "stream": True,
        "max_prompt_tokens": 256,
        "max_completion_tokens": 16,
    }
    params = RunCreateAndStreamParams.model_validate(body)
    assert params.stream is True and params.max_completion_tokens == 16
    assert params.to_dict() == body and diagnose(params) == []


def test_a_full_create_run_body() -> None:
    body: dict[str, Any] = {
        "assistant_id": "asst_1",
        "model": "gpt-4o",
        "instructions": None,
        "additional_instructions": "Be brief.",
        "additional_messages": [
            {
                "role": "user",
                "content": "Hi",
                "attachments": [{"file_id": "file-1", "tools": [{"type": "file_search"}]}],
                "metadata": {"k": "v"},
            },
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Look:"},
                    {"type": "image_file", "image_file": {"file_id": "file-2", "detail": "low"}},
                ],
            },
        ],
        "tools": [
            {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}, "strict": True}}
        ],
        "metadata": {},
        "temperature": 0.2,
        "top_p": 1,
        "stream": True,
        "max_prompt_tokens": None,
        "max_completion_tokens": 100,
        "truncation_strategy": {"type": "last_messages", "last_messages": 4},
        "tool_choice": {"type": "function", "function": {"name": "f"}},
        "parallel_tool_calls": False,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "s", "schema": {}, "strict": True},
        },
        "reasoning_effort": "low",
    }
    params = RunCreateParams.model_validate(body)
    assert params.to_dict() == body
    assert diagnose(params) == []
    assert params.additional_messages is not None
    parts = params.additional_messages[1].content
    assert isinstance(parts, list)
    assert [type(part) for part in parts] == [TextContentPart, ImageFileContentPart]
    assert params.additional_messages[0].content == "Hi"
    assert params.tools is not None and isinstance(params.tools[0], FunctionTool)
    assert isinstance(params.tool_choice, ToolChoice)


def test_thread_create_and_run_body() -> None:
    body = {
        "assistant_id": "asst_1",
        "stream": True,
        "thread": {
            "messages": [{"role": "user", "content": "Solve 3x + 11 = 14"}],
            "metadata": {},
            "tool_resources": {
                "file_search": {
                    "vector_stores": [{"file_ids": ["file-1"], "chunking_strategy": {"type": "auto"}}]
                }
            },
        },
        "tool_resources": {"code_interpreter": {"file_ids": []}},
        "tools": [{"type": "code_interpreter"}],
    }
    params = ThreadCreateAndRunParams.model_validate(body)
    assert params.to_dict() == body and diagnose(params) == []
    assert params.thread is not None and params.thread.messages is not None
    assert params.thread.messages[0].content == "Solve 3x + 11 = 14"


def test_submit_tool_outputs_body() -> None:
    body = {"tool_outputs": [{"tool_call_id": "call_1", "output": '{"p": 0.2}'}], "stream": True}
    params = SubmitToolOutputsParams.model_validate(body)
    assert params.tool_outputs is not None and params.tool_outputs[0].tool_call_id == "call_1"
    assert params.to_dict() == body and diagnose(params) == []


def test_unknown_body_keys_and_missing_required_ones() -> None:
    body = {"stream": True, "service_tier": "flex"}
    params = RunCreateParams.model_validate(body)
    assert params.to_dict() == body
    assert unknown_fields(params) == ["service_tier"]
    assert {(d.code, d.path) for d in diagnose(params)} == {
        ("unknown-field", "service_tier"),
        ("reference-deviation", "assistant_id"),
    }
