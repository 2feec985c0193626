"""Helpers shared by the emulator tests: requests through the core, SDK clients, event collection."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openai import AssistantEventHandler
from openai.types.beta import AssistantStreamEvent
from openai.types.shared import ErrorObject
from pydantic import TypeAdapter

from harness.emulator import Emulator, EmulatorRequest
from harness.sse import ServerSentEvent, parse_sse

FAKE_KEY = "sk-test-fake-emulator-key"
CORPUS = Path(__file__).resolve().parents[2] / "cassettes" / "real"
FILE_SEARCH_INCLUDE = "step_details.tool_calls[*].file_search.results[*].content"
WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_current_weather",
        "description": "Gets the user's current weather",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}},
    },
}
TIME_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {"name": "get_local_time", "parameters": {"type": "object", "properties": {}}},
}
STREAM_EVENT = TypeAdapter(AssistantStreamEvent)


def call(emulator: Emulator, method: str, target: str, body: Any = None) -> tuple[int, bytes]:
    """One request through the transport-neutral core."""
    payload = b"" if body is None else json.dumps(body).encode()
    response = emulator.handle(EmulatorRequest.from_target(method, target, {}, payload))
    return response.status, response.read()


def call_json(emulator: Emulator, method: str, target: str, body: Any = None) -> Any:
    status, payload = call(emulator, method, target, body)
    assert status == 200, payload
    return json.loads(payload)


def stream_scenario(
    emulator: Emulator,
    scenario: str,
    *,
    tools: list[dict[str, Any]] | None = None,
    create_and_run: bool = False,
) -> list[list[ServerSentEvent]]:
    """Every stream of one conversation (two for tool scenarios), through the core."""
    assistant = call_json(
        emulator,
        "POST",
        "/v1/assistants",
        {
            "model": "gpt-4o",
            "instructions": "Answer briefly.",
            "tools": tools or [],
            "metadata": {"emulator_scenario": scenario},
        },
    )
    thread_body = {
        "messages": [{"role": "user", "content": "Hello there"}],
        "tool_resources": {"code_interpreter": {"file_ids": []}},
    }
    query = f"?include[]={FILE_SEARCH_INCLUDE}"
    if create_and_run:
        status, body = call(
            emulator,
            "POST",
            "/v1/threads/runs" + query,
            {"assistant_id": assistant["id"], "stream": True, "thread": thread_body},
        )
    else:
        thread = call_json(emulator, "POST", "/v1/threads", thread_body)
        status, body = call(
            emulator,
            "POST",
            f"/v1/threads/{thread['id']}/runs" + query,
            {"assistant_id": assistant["id"], "stream": True},
        )
    assert status == 200, body
    streams = [parse_sse(body)]
    last_run = json.loads(streams[-1][-2].data) if len(streams[-1]) >= 2 else {}
    if last_run.get("status") == "requires_action":
        calls = last_run["required_action"]["submit_tool_outputs"]["tool_calls"]
        outputs = [{"tool_call_id": c["id"], "output": "warm and sunny"} for c in calls]
        status, body = call(
            emulator,
            "POST",
            f"/v1/threads/{last_run['thread_id']}/runs/{last_run['id']}/submit_tool_outputs",
            {"tool_outputs": outputs, "stream": True},
        )
        assert status == 200, body
        streams.append(parse_sse(body))
    return streams


def validate_event(event: ServerSentEvent) -> None:
    """Strict validation with the SDK's own discriminated union of stream events."""
    if event.event == "done":
        assert event.data == "[DONE]"
        return
    data = json.loads(event.data)
    if event.event == "error":
        # On the wire the error object is wrapped in {"error": ...} (the SDK raises APIError
        # from it); the SDK's ErrorEvent type describes the inner object.
        ErrorObject.model_validate(data["error"])
        return
    STREAM_EVENT.validate_python({"event": event.event, "data": data})


class RecordingHandler(AssistantEventHandler):
    """Keeps what the SDK's event handler saw."""

    def __init__(self) -> None:
        super().__init__()
        self.event_names: list[str] = []
        self.text_deltas: list[str] = []
        self.tool_argument_fragments: list[str] = []
        self.finished_steps: list[Any] = []
        self.refusal_deltas: list[str] = []

    def on_event(self, event: AssistantStreamEvent) -> None:
        self.event_names.append(event.event)
        if event.event == "thread.message.delta":
            for part in event.data.delta.content or []:
                if part.type == "refusal" and part.refusal:
                    self.refusal_deltas.append(part.refusal)

    def on_run_step_done(self, run_step: Any) -> None:
        self.finished_steps.append(run_step)

    def on_text_delta(self, delta: Any, snapshot: Any) -> None:
        if delta.value:
            self.text_deltas.append(delta.value)

    def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None:
        if delta.type == "function" and delta.function is not None and delta.function.arguments:
            self.tool_argument_fragments.append(delta.function.arguments)


def key_paths(value: Any, prefix: str = "") -> Iterator[str]:
    """Every key path of a JSON value; list items share the ``[]`` segment."""
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            yield from key_paths(item, path)
    elif isinstance(value, list):
        for item in value:
            yield from key_paths(item, prefix + "[]")
