"""``POST /v1/responses`` and ``GET /v1/responses/{id}`` of the emulator.

A request that answers earlier function calls (``function_call_output`` input
items, with or without ``previous_response_id``) continues the conversation
that made them; any other request starts a new one, playing the scenario its
``metadata`` or last user message picks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from harness.emulator.api_error import ApiError
from harness.emulator.api_simulation import ApiRequest
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
from harness.emulator.responses import ResponseSimulation
from harness.emulator.script import JsonObject

if TYPE_CHECKING:
    from harness.emulator.app import Emulator

_USER_TEXT_TYPES = ("input_text", "text", "output_text")


class ResponsesApi:
    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator
        self._responses: dict[str, JsonObject] = {}
        self._by_response: dict[str, Conversation[ResponseSimulation]] = {}
        self._conversations: Conversations[ResponseSimulation] = Conversations(emulator, "responses")

    def routes(self) -> list[Route]:
        return [
            ("POST", re.compile(r"/responses"), self._create),
            ("GET", re.compile(r"/responses/([^/]+)"), self._retrieve),
        ]

    def _retrieve(self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]) -> JsonObject:
        found = self._responses.get(ids[0])
        if found is None:
            raise ApiError(404, f"Response with id '{ids[0]}' not found.", param="response_id")
        return found

    def _create(
        self, request: EmulatorRequest, body: JsonObject, _: tuple[str, ...]
    ) -> JsonObject | EmulatorResponse:
        require_model(body)
        items = _input_items(body.get("input"))
        previous = body.get("previous_response_id")
        if previous is not None and previous not in self._responses:
            raise ApiError(
                400,
                f"Previous response with id '{previous}' not found.",
                param="previous_response_id",
                code="previous_response_not_found",
            )
        outputs = {
            str(item.get("call_id")): _output_text(item.get("output"))
            for item in items
            if item.get("type") == "function_call_output"
        }
        ask = ApiRequest(body, self._emulator.message_deltas, estimated_tokens(str(body.get("input"))))
        conversation = self._conversations.resume_or_start(
            self._waiting_conversation(previous, outputs),
            ask,
            outputs,
            last_user_text(items, _USER_TEXT_TYPES),
            lambda deltas: self._simulation(ask, deltas),
        )
        self._by_response[conversation.simulation.response["id"]] = conversation
        streamed = self._conversations.answer(conversation, bool(body.get("stream")))
        return conversation.simulation.response if streamed is None else streamed

    def _waiting_conversation(
        self, previous: Any, outputs: dict[str, str]
    ) -> Conversation[ResponseSimulation] | None:
        waiting = self._by_response.get(previous) if isinstance(previous, str) else None
        if waiting is not None and not waiting.simulation.pending_call_ids:
            waiting = None  # a new turn after a finished reply: a new scenario
        for call_id in outputs:
            found = self._conversations.waiting_on(call_id)
            if found is None:
                raise ApiError(
                    400,
                    f"No tool call found for function call output with call_id {call_id}.",
                    param="input",
                )
            waiting = waiting or found
        if waiting is None:
            return None
        missing = self._conversations.answered(waiting, outputs)
        if missing:
            raise ApiError(400, f"No tool output found for function call {missing[0]}.", param="input")
        return waiting

    def _simulation(self, ask: ApiRequest, deltas: int | None) -> ResponseSimulation:
        ask.message_deltas = deltas
        return ResponseSimulation(
            ask,
            self._emulator.ids,
            Timeline(self._emulator.clock),
            self._emulator.new_rng(),
            store_response=lambda response: self._responses.__setitem__(response["id"], response),
        )


def _input_items(value: Any) -> list[JsonObject]:
    if isinstance(value, str):
        return [{"type": "message", "role": "user", "content": value}]
    if value is None:
        return []
    if not isinstance(value, list):
        raise ApiError(
            400, "Invalid type for 'input': expected a string or an array of input items.", param="input"
        )
    return [item for item in value if isinstance(item, dict)]


def _output_text(output: Any) -> str:
    if isinstance(output, str):
        return output
    return text_of(output, _USER_TEXT_TYPES)
