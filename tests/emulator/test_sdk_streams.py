"""Every scenario driven through the official SDK's streaming helpers, over HTTP and in-process."""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from openai.types.beta.threads import Message, Run
from openai.types.beta.threads.runs import RunStep

from harness.emulator import SCENARIO_NAMES, Emulator
from tests.emulator.conftest import ClientFactory
from tests.emulator.support import TIME_TOOL, WEATHER_TOOL, RecordingHandler

TERMINAL_STATUS = {
    "text": "completed",
    "annotations": "completed",
    "tool-call": "completed",
    "parallel-tools": "completed",
    "code-interpreter": "completed",
    "file-search": "completed",
    "incomplete": "incomplete",
    "failed": "failed",
    "cancelled": "cancelled",
    "expired": "expired",
    "unicode": "completed",
    "reasoning": "completed",
    "refusal": "completed",
}


def _setup(client: openai.OpenAI, scenario: str) -> tuple[str, str]:
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        instructions="Answer briefly.",
        tools=[WEATHER_TOOL, TIME_TOOL],  # type: ignore[list-item]
        metadata={"emulator_scenario": scenario},
    )
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "What should I wear today?"}])
    return assistant.id, thread.id


def _revalidate(run: Run, steps: list[RunStep], messages: list[Message]) -> None:
    """The SDK builds these leniently; validate them strictly against its own types too."""
    Run.model_validate(run.model_dump(mode="json"))
    for step in steps:
        RunStep.model_validate(step.model_dump(mode="json"))
    for message in messages:
        Message.model_validate(message.model_dump(mode="json"))


def _finish_tool_calls(
    client: openai.OpenAI, run: Run
) -> tuple[RecordingHandler, Run, list[RunStep], list[Message]]:
    assert run.required_action is not None
    calls = run.required_action.submit_tool_outputs.tool_calls
    for tool_call in calls:
        json.loads(tool_call.function.arguments)
    outputs = [{"tool_call_id": c.id, "output": f"sunny ({c.function.name})"} for c in calls]
    handler = RecordingHandler()
    with client.beta.threads.runs.submit_tool_outputs_stream(
        thread_id=run.thread_id,
        run_id=run.id,
        tool_outputs=outputs,  # type: ignore[arg-type]
        event_handler=handler,
    ) as stream:
        stream.until_done()
    assert handler.event_names[0] == "thread.run.step.completed"
    assert "thread.run.created" not in handler.event_names
    return handler, handler.get_final_run(), handler.finished_steps, handler.get_final_messages()


@pytest.mark.parametrize("scenario", [s for s in SCENARIO_NAMES if s != "error"])
def test_runs_stream_with_event_handler(client_for: ClientFactory, scenario: str) -> None:
    client = client_for(Emulator(event_delay=0))
    assistant_id, thread_id = _setup(client, scenario)
    handler = RecordingHandler()
    with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=handler
    ) as stream:
        stream.until_done()
    run = handler.get_final_run()
    steps = handler.finished_steps
    assert len(handler.get_final_run_steps()) >= len(steps)
    assert handler.event_names[:3] == ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]

    if scenario in ("tool-call", "parallel-tools"):
        assert run.status == "requires_action"
        assert handler.event_names[-1] == "thread.run.requires_action"
        calls = run.required_action.submit_tool_outputs.tool_calls if run.required_action else []
        assert len(calls) == (1 if scenario == "tool-call" else 2)
        assert "".join(handler.tool_argument_fragments) == "".join(c.function.arguments for c in calls)
        continuation, run, steps, messages = _finish_tool_calls(client, run)
        assert "sunny (get_current_weather)" in messages[0].content[0].text.value  # type: ignore[union-attr]
        text_deltas = continuation.text_deltas
    else:
        messages = handler.get_final_messages()
        text_deltas = handler.text_deltas

    assert run.status == TERMINAL_STATUS[scenario]
    _revalidate(run, steps, messages)
    if scenario == "refusal":
        (part,) = messages[-1].content
        assert part.type == "refusal" and part.refusal == "".join(handler.refusal_deltas)
        return
    text_parts = [part for part in messages[-1].content if part.type == "text"]
    assert "".join(text_deltas) == text_parts[0].text.value
    _check_scenario_details(scenario, run, steps, messages)
    listed = client.beta.threads.messages.list(thread_id=thread_id, order="asc")
    assert listed.data[0].role == "user"


def _check_scenario_details(scenario: str, run: Run, steps: list[RunStep], messages: list[Message]) -> None:
    final = messages[-1]
    text = next(part.text for part in final.content if part.type == "text")
    if run.status in ("completed", "incomplete"):
        assert run.usage is not None and run.usage.total_tokens > 0
        assert run.expires_at is None
    if scenario in ("annotations", "file-search"):
        assert text.annotations
        for annotation in text.annotations:
            assert text.value[annotation.start_index : annotation.end_index] == annotation.text
        if scenario == "file-search":
            assert steps[0].step_details.type == "tool_calls"
            results = steps[0].step_details.tool_calls[0].file_search.results  # type: ignore[union-attr]
            assert results and results[0].file_id == text.annotations[0].file_citation.file_id  # type: ignore[union-attr]
    if scenario == "code-interpreter":
        kinds = [
            step.step_details.tool_calls[0].code_interpreter.outputs[0].type  # type: ignore[union-attr]
            for step in steps
            if step.step_details.type == "tool_calls"
        ]
        assert kinds == ["logs", "image"]
        assert final.content[0].type == "image_file"
    if scenario == "incomplete":
        assert final.status == "incomplete" and final.incomplete_details is not None
        assert run.incomplete_details is not None
    if scenario in ("failed", "cancelled", "expired"):
        reason = {"failed": "run_failed", "cancelled": "run_cancelled", "expired": "run_expired"}[scenario]
        assert final.incomplete_details is not None and final.incomplete_details.reason == reason
        assert steps[-1].status == scenario
    if scenario == "failed":
        assert run.last_error is not None and run.last_error.code == "server_error"
    if scenario == "unicode":
        assert "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466" in text.value


def test_error_event_raises_api_error(client_for: ClientFactory) -> None:
    client = client_for(Emulator(event_delay=0))
    assistant_id, thread_id = _setup(client, "error")
    handler = RecordingHandler()
    stream_manager = client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=handler
    )
    with pytest.raises(openai.APIError, match="server had an error"), stream_manager as stream:
        stream.until_done()
    assert "thread.message.delta" in handler.event_names
    runs = client.beta.threads.runs.list(thread_id=thread_id)
    assert runs.data[0].status == "failed"


def test_create_stream_true_iterates_typed_events(client_for: ClientFactory) -> None:
    client = client_for(Emulator(event_delay=0, scenario="parallel-tools"))
    assistant_id, thread_id = _setup(client, "parallel-tools")
    names = [
        event.event
        for event in client.beta.threads.runs.create(
            thread_id=thread_id, assistant_id=assistant_id, stream=True
        )
    ]
    assert names[0] == "thread.run.created" and names[-1] == "thread.run.requires_action"


def test_create_and_run_stream_starts_with_thread_created(client_for: ClientFactory) -> None:
    client = client_for(Emulator(event_delay=0))
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER_TOOL])  # type: ignore[list-item]
    events = list(
        client.beta.threads.create_and_run(
            assistant_id=assistant.id,
            stream=True,
            metadata={"emulator_scenario": "tool-call"},
            thread={"messages": [{"role": "user", "content": "Weather in Lima?"}]},
        )
    )
    assert [e.event for e in events[:2]] == ["thread.created", "thread.run.created"]
    run: Any = events[-1].data
    assert run.status == "requires_action"
    handler = RecordingHandler()
    with client.beta.threads.runs.submit_tool_outputs_stream(
        thread_id=run.thread_id,
        run_id=run.id,
        event_handler=handler,
        tool_outputs=[
            {"tool_call_id": run.required_action.submit_tool_outputs.tool_calls[0].id, "output": "22C"}
        ],
    ) as stream:
        stream.until_done()
    assert handler.get_final_run().status == "completed"
