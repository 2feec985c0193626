"""The built-in conversation over the Responses and Chat Completions APIs (``harness record --api``).

The same conversation as :mod:`harness.cli.conversation` plays over runs: one
user message, the same tools, every tool call answered with
:func:`~harness.cli.conversation.tool_output` until the reply needs no more,
so that one scenario recorded over every API tells the same conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import openai

from harness.cli.conversation import MAX_TOOL_ROUNDS, TOOLS, USER_MESSAGE, Say, tool_output
from harness.emulator.scenarios import DELTAS_KEY, SCENARIO_KEY

INSTRUCTIONS = "Answer briefly; use the tools when they help."
RESPONSES_TOOLS: list[Any] = [{"type": "function", **tool["function"]} for tool in TOOLS]
_TERMINAL_RESPONSE_EVENTS = ("response.completed", "response.incomplete", "response.failed")


def _metadata(scenario: str, deltas: int | None) -> dict[str, str]:
    return {SCENARIO_KEY: scenario} | ({DELTAS_KEY: str(deltas)} if deltas is not None else {})


def drive_responses(
    client: openai.OpenAI,
    scenario: str,
    *,
    deltas: int | None = None,
    model: str = "gpt-4o",
    say: Say = lambda line: None,
) -> str:
    """Stream responses with ``client.responses.stream``, answering function calls through
    ``previous_response_id``; returns the final status (``error`` when the SDK raised)."""
    request: dict[str, Any] = {
        "model": model,
        "instructions": INSTRUCTIONS,
        "input": USER_MESSAGE,
        "tools": RESPONSES_TOOLS,
        "metadata": _metadata(scenario, deltas),
    }
    for _ in range(MAX_TOOL_ROUNDS + 1):
        final = _stream(say, client.responses.stream, request, _final_response)
        if final is None:
            return "error"
        calls = [item for item in final.output if item.type == "function_call"]
        if not calls:
            return str(final.status)
        say(f"sending {len(calls)} function call output(s)")
        request = {
            "model": model,
            "previous_response_id": final.id,
            "tools": RESPONSES_TOOLS,
            "input": [
                {
                    "type": "function_call_output",
                    "call_id": c.call_id,
                    "output": tool_output(c.name, c.arguments),
                }
                for c in calls
            ],
        }
    return "requires_action"


def _final_response(stream: Any) -> Any:
    """The API's own terminal object (the SDK's getter raises for incomplete and failed ones)."""
    final = None
    for event in stream:
        if event.type in _TERMINAL_RESPONSE_EVENTS:
            final = event.response
    return final


def drive_chat(
    client: openai.OpenAI,
    scenario: str,
    *,
    deltas: int | None = None,
    model: str = "gpt-4o",
    say: Say = lambda line: None,
) -> str:
    """Stream completions with ``client.chat.completions.stream``, sending each tool call's output
    back as a ``tool`` message; returns the last finish reason (``error`` when the SDK raised)."""
    messages: list[Any] = [
        {"role": "system", "content": INSTRUCTIONS},
        {"role": "user", "content": USER_MESSAGE},
    ]
    for _ in range(MAX_TOOL_ROUNDS + 1):
        request: dict[str, Any] = {
            "model": model,
            "messages": messages,
            "tools": TOOLS,
            "metadata": _metadata(scenario, deltas),
            "stream_options": {"include_usage": True},
        }
        completion = _stream(say, client.chat.completions.stream, request, _final_completion)
        if completion is None or not completion.choices:
            return "error"
        choice = completion.choices[0]
        calls = list(choice.message.tool_calls or [])
        if not calls:
            return str(choice.finish_reason)
        say(f"sending {len(calls)} tool output(s)")
        messages = [
            *messages,
            choice.message.model_dump(exclude_none=True, exclude={"parsed"}),
            *(
                {
                    "role": "tool",
                    "tool_call_id": c.id,
                    "content": tool_output(c.function.name, c.function.arguments),
                }
                for c in calls
            ),
        ]
    return "tool_calls"


def _final_completion(stream: Any) -> Any:
    """The accumulated completion (the SDK's getter raises on ``finish_reason: "length"``)."""
    for _ in stream:
        pass
    return stream.current_completion_snapshot


def _stream(
    say: Say, open_stream: Callable[..., Any], request: dict[str, Any], final_of: Callable[[Any], Any]
) -> Any:
    try:
        with open_stream(**request) as stream:
            final = final_of(stream)
    except openai.OpenAIError as error:
        say(f"stream ended with {type(error).__name__}: {error}")
        return None
    say(f"stream: {_described(final)}")
    return final


def _described(final: Any) -> str:
    """``response resp_... completed`` or ``chat.completion chatcmpl-... tool_calls``."""
    if final is None:
        return "no terminal event"
    choices = getattr(final, "choices", None)
    ending = choices[0].finish_reason if choices else getattr(final, "status", None)
    return f"{getattr(final, 'object', '?')} {getattr(final, 'id', '-')} {ending}"
