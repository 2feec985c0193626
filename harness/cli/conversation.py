"""The built-in run conversation ``harness record`` and ``harness demo`` drive through the openai SDK.

Create an assistant (its metadata picks the emulator scenario), a thread and
a user message; stream a run with an ``AssistantEventHandler``; while the
run requires action, answer every tool call with :func:`tool_output` and
stream the continuation; stop when the run is terminal.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openai
from openai.lib.streaming import AssistantEventHandler

from harness.emulator.running import EMULATOR_API_KEY as FAKE_KEY  # what the commands' clients send
from harness.emulator.scenarios import DELTAS_KEY, SCENARIO_KEY

USER_MESSAGE = "What should I wear today?"
MAX_TOOL_ROUNDS = 8

__all__ = [
    "FAKE_KEY",
    "MAX_TOOL_ROUNDS",
    "TOOLS",
    "USER_MESSAGE",
    "Outcome",
    "Say",
    "drive_conversation",
    "tool_output",
]

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": "The current weather at a location",
            "parameters": {"type": "object", "properties": {"location": {"type": "string"}}},
        },
    },
    {
        "type": "function",
        "function": {"name": "get_local_time", "parameters": {"type": "object", "properties": {}}},
    },
]

Say = Callable[[str], None]


def tool_output(name: str, arguments: str) -> str:
    """The local "function" every tool call is answered with: deterministic, and simple enough
    for a client in another language to compute the same (``tests/node`` does)."""
    return f"{name} returned ok for {arguments}"


@dataclass
class Outcome:
    """What the SDK's event handlers saw over the whole conversation."""

    assistant_id: str = ""
    thread_id: str = ""
    events: int = 0
    streams: int = 0
    runs: list[dict[str, Any]] = field(default_factory=list)  # the final run of each stream
    run_steps: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id, later streams win
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: str | None = None  # an error the SDK raised (an `error` event, a lost connection)

    @property
    def final_status(self) -> str:
        if self.error is not None:
            return "error"
        return str(self.runs[-1].get("status")) if self.runs else "no run"


class _CountingHandler(AssistantEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.events = 0

    def on_event(self, event: Any) -> None:
        self.events += 1


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_unset=True, warnings=False)  # type: ignore[no-any-return]


def drive_conversation(
    client: openai.OpenAI,
    scenario: str,
    *,
    deltas: int | None = None,
    model: str = "gpt-4o",
    say: Say = lambda line: None,
) -> Outcome:
    """Play the conversation of ``scenario`` through ``client``; see the module docstring."""
    metadata = {SCENARIO_KEY: scenario} | ({DELTAS_KEY: str(deltas)} if deltas is not None else {})
    outcome = Outcome()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assistant = client.beta.assistants.create(
            model=model,
            instructions="Answer briefly; use the tools when they help.",
            tools=TOOLS,  # type: ignore[arg-type]
            metadata=metadata,
        )
        thread = client.beta.threads.create()
        client.beta.threads.messages.create(thread_id=thread.id, role="user", content=USER_MESSAGE)
        outcome.assistant_id, outcome.thread_id = assistant.id, thread.id
        say(f"assistant {assistant.id} (scenario {scenario}), thread {thread.id}")
        run = _stream(
            outcome,
            say,
            lambda handler: client.beta.threads.runs.stream(
                thread_id=thread.id, assistant_id=assistant.id, event_handler=handler
            ),
        )
        rounds = 0
        while run is not None and run.status == "requires_action" and outcome.error is None:
            rounds += 1
            if rounds > MAX_TOOL_ROUNDS:
                outcome.error = f"the run still requires action after {MAX_TOOL_ROUNDS} tool-output rounds"
                break
            outputs = _tool_outputs(run)
            say(f"submitting {len(outputs)} tool output(s)")
            run = _stream(outcome, say, _submitter(client, run.thread_id, run.id, outputs))
    return outcome


def _submitter(
    client: openai.OpenAI, thread_id: str, run_id: str, outputs: list[Any]
) -> Callable[[_CountingHandler], Any]:
    def submit(handler: _CountingHandler) -> Any:
        return client.beta.threads.runs.submit_tool_outputs_stream(
            thread_id=thread_id, run_id=run_id, tool_outputs=outputs, event_handler=handler
        )

    return submit


def _tool_outputs(run: Any) -> list[Any]:
    calls = run.required_action.submit_tool_outputs.tool_calls if run.required_action else []
    return [
        {"tool_call_id": call.id, "output": tool_output(call.function.name, call.function.arguments)}
        for call in calls
    ]


def _stream(outcome: Outcome, say: Say, open_stream: Callable[[_CountingHandler], Any]) -> Any:
    """One streamed response; returns the SDK's final run of it (None if it never saw one)."""
    handler = _CountingHandler()
    try:
        with open_stream(handler) as stream:
            stream.until_done()
    except openai.OpenAIError as error:
        outcome.error = f"{type(error).__name__}: {error}"
    outcome.streams += 1
    outcome.events += handler.events
    for step in _final(handler.get_final_run_steps):
        outcome.run_steps[step.id] = _dump(step)
    for message in _final(handler.get_final_messages):
        outcome.messages[message.id] = _dump(message)
    run = handler.current_run
    if run is not None:
        outcome.runs.append(_dump(run))
    status = run.status if run is not None else "no run"
    then = f", then {outcome.error}" if outcome.error else ""
    say(f"stream {outcome.streams}: {handler.events} events, run {run.id if run else '-'} {status}{then}")
    return run


def _final(getter: Callable[[], list[Any]]) -> list[Any]:
    # The SDK's getters raise RuntimeError when the stream held no such object.
    try:
        return getter()
    except RuntimeError:
        return []
