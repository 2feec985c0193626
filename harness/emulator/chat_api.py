"""``POST /v1/chat/completions`` of the emulator.

A request whose last messages answer the calls of an earlier completion
(``tool`` messages with their ``tool_call_id``) continues that conversation;
any other request starts a new one, playing the scenario its ``metadata`` or
last user message picks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harness.emulator.api_error import ApiError
from harness.emulator.chat import ChatRequest, ChatSimulation
from harness.emulator.clock import Timeline
from harness.emulator.conversations import (
    estimated_tokens,
    pick_scenario,
    play_without_stream,
    require_model,
    text_of,
)
from harness.emulator.driver import ScriptDriver
from harness.emulator.exchange import EmulatorRequest, EmulatorResponse
from harness.emulator.script import JsonObject

if TYPE_CHECKING:
    from harness.emulator.app import Emulator

Route = tuple[str, "re.Pattern[str]", Callable[[EmulatorRequest, JsonObject, tuple[str, ...]], Any]]

_DONE_FRAME = b"data: [DONE]\n\n"
_TEXT_TYPES = ("text",)


@dataclass
class _Conversation:
    simulation: ChatSimulation
    driver: ScriptDriver


class ChatApi:
    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator
        self._by_call: dict[str, _Conversation] = {}

    def routes(self) -> list[Route]:
        return [("POST", re.compile(r"/chat/completions"), self._create)]

    def _create(
        self, request: EmulatorRequest, body: JsonObject, _: tuple[str, ...]
    ) -> JsonObject | EmulatorResponse:
        require_model(body)
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise ApiError(
                400,
                "Missing required parameter: 'messages'.",
                param="messages",
                code="missing_required_parameter",
            )
        messages = [m for m in messages if isinstance(m, dict)]
        ask = ChatRequest(body, self._emulator.message_deltas, estimated_tokens(str(messages)))
        outputs = _trailing_tool_outputs(messages)
        conversation = self._waiting_conversation(outputs)
        if conversation is None:
            conversation = self._start(ask, messages)
        else:
            conversation.simulation.continue_with(ask, outputs)
            conversation.driver.resume()
        if body.get("stream"):
            return self._emulator.stream(conversation.driver, done_frame=_DONE_FRAME, named_events=False)
        play_without_stream(conversation.driver)
        return conversation.simulation.completion

    def _waiting_conversation(self, outputs: dict[str, str]) -> _Conversation | None:
        found = next((self._by_call[call] for call in outputs if call in self._by_call), None)
        if found is None:
            return None
        missing = [call for call in found.simulation.pending_call_ids if call not in outputs]
        if missing:
            raise ApiError(
                400,
                "An assistant message with 'tool_calls' must be followed by tool messages responding to "
                f"each 'tool_call_id'. The following tool_call_ids did not have response messages: "
                f"{', '.join(missing)}",
                param="messages",
            )
        for call_id in outputs:
            self._by_call.pop(call_id, None)
        return found

    def _start(self, ask: ChatRequest, messages: list[JsonObject]) -> _Conversation:
        users = [m for m in messages if m.get("role") == "user"]
        user_text = text_of(users[-1].get("content"), _TEXT_TYPES) if users else ""
        scenario, deltas = pick_scenario(
            "chat",
            metadata=ask.body.get("metadata") or {},
            user_text=user_text,
            default_scenario=self._emulator.default_scenario,
            default_deltas=self._emulator.message_deltas,
        )
        ask.message_deltas = deltas
        simulation = ChatSimulation(
            ask, self._emulator.ids, Timeline(self._emulator.clock), self._emulator.new_rng()
        )
        conversation = _Conversation(simulation, ScriptDriver(simulation, scenario(simulation)))
        simulation.on_calls = lambda call_ids: self._by_call.update(dict.fromkeys(call_ids, conversation))
        return conversation


def _trailing_tool_outputs(messages: list[JsonObject]) -> dict[str, str]:
    """The ``tool`` messages after the last assistant message, by call id."""
    outputs: dict[str, str] = {}
    for message in reversed(messages):
        if message.get("role") != "tool":
            break
        outputs[str(message.get("tool_call_id"))] = text_of(message.get("content"), _TEXT_TYPES)
    return dict(reversed(outputs.items()))
