"""``POST /v1/chat/completions`` of the emulator.

A request whose last messages answer the calls of an earlier completion
(``tool`` messages with their ``tool_call_id``) continues that conversation;
any other request starts a new one, playing the scenario its ``metadata`` or
last user message picks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from harness.emulator.api_error import ApiError
from harness.emulator.api_simulation import ApiRequest
from harness.emulator.chat import ChatSimulation
from harness.emulator.clock import Timeline
from harness.emulator.conversations import (
    Conversation,
    Conversations,
    Route,
    estimated_tokens,
    last_user_text,
    require_model,
    text_of,
)
from harness.emulator.exchange import EmulatorRequest, EmulatorResponse
from harness.emulator.script import JsonObject
from harness.protocols import chat_vocabulary as vocabulary

if TYPE_CHECKING:
    from harness.emulator.app import Emulator

_DONE_FRAME = f"data: {vocabulary.DONE_DATA}\n\n".encode()
_TEXT_TYPES = ("text",)


class ChatApi:
    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator
        self._conversations: Conversations[ChatSimulation] = Conversations(
            emulator, "chat", done_frame=_DONE_FRAME, named_events=False
        )

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
        ask = ApiRequest(body, self._emulator.message_deltas, estimated_tokens(str(messages)))
        outputs = _trailing_tool_outputs(messages)
        conversation = self._conversations.resume_or_start(
            self._waiting_conversation(outputs),
            ask,
            outputs,
            last_user_text(messages, _TEXT_TYPES),
            lambda deltas: self._simulation(ask, deltas),
        )
        streamed = self._conversations.answer(conversation, bool(body.get("stream")))
        return conversation.simulation.completion if streamed is None else streamed

    def _simulation(self, ask: ApiRequest, deltas: int | None) -> ChatSimulation:
        ask.message_deltas = deltas
        return ChatSimulation(
            ask, self._emulator.ids, Timeline(self._emulator.clock), self._emulator.new_rng()
        )

    def _waiting_conversation(self, outputs: dict[str, str]) -> Conversation[ChatSimulation] | None:
        found = next((c for c in map(self._conversations.waiting_on, outputs) if c is not None), None)
        if found is None:
            return None
        missing = self._conversations.answered(found, outputs)
        if missing:
            raise ApiError(
                400,
                "An assistant message with 'tool_calls' must be followed by tool messages responding to "
                f"each 'tool_call_id'. The following tool_call_ids did not have response messages: "
                f"{', '.join(missing)}",
                param="messages",
            )
        return found


def _trailing_tool_outputs(messages: list[JsonObject]) -> dict[str, str]:
    """The ``tool`` messages after the last assistant message, by call id."""
    outputs: dict[str, str] = {}
    for message in reversed(messages):
        if message.get("role") != "tool":
            break
        outputs[str(message.get("tool_call_id"))] = text_of(message.get("content"), _TEXT_TYPES)
    return dict(reversed(outputs.items()))
