"""What the Responses and Chat Completions emulations share: picking a scenario, answering unstreamed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from harness.emulator import scenarios
from harness.emulator.api_error import ApiError
from harness.emulator.api_simulation import ApiRequest
from harness.emulator.driver import ScriptDriver
from harness.emulator.exchange import EmulatorRequest, EmulatorResponse
from harness.emulator.script import CallingSimulation, Emission, JsonObject, Scenario

if TYPE_CHECKING:
    from harness.emulator.app import Emulator

# An API's route: method, path pattern (after /v1), handler of (request, JSON body, path groups).
Route = tuple[str, "re.Pattern[str]", Callable[[EmulatorRequest, JsonObject, tuple[str, ...]], Any]]


def pick_scenario(
    api: str,
    *,
    metadata: Mapping[str, Any],
    user_text: str,
    default_scenario: str,
    default_deltas: int | None,
) -> tuple[Scenario, int | None]:
    """The scenario a new conversation of ``api`` plays (see :mod:`harness.emulator.scenarios`)."""
    try:
        name, deltas = scenarios.select_by(
            metadata=[metadata],
            user_text=user_text,
            default_scenario=default_scenario,
            default_deltas=default_deltas,
        )
    except ValueError as exc:
        raise ApiError(
            400, f"Invalid '{scenarios.DELTAS_KEY}': expected an integer.", param="metadata"
        ) from exc
    playable = scenarios.API_SCENARIOS[api]
    if name not in playable:
        raise ApiError(
            400,
            f"Unknown emulator scenario '{name}' for this API. "
            f"Expected one of: {', '.join(sorted(playable))}.",
            param="metadata",
        )
    return scenarios.SCENARIOS[name], deltas


def play_without_stream(driver: ScriptDriver) -> list[Emission]:
    """Run the scenario to its next stop; an ``error`` event becomes the HTTP error it would be."""
    emitted = driver.drain()
    for emission in emitted:
        if emission.name == "error":
            data = json.loads(emission.data) if isinstance(emission.data, str) else emission.data
            error = data.get("error", data)
            raise ApiError(500, str(error.get("message")), type_="server_error")
    return emitted


def text_of(content: Any, text_types: tuple[str, ...]) -> str:
    """The text of a message ``content``: a string, or the parts whose type is in ``text_types``."""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    return " ".join(
        str(part.get("text", ""))
        for part in content
        if isinstance(part, dict) and part.get("type") in text_types
    )


def require_model(body: Mapping[str, Any]) -> str:
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise ApiError(
            400, "Missing required parameter: 'model'.", param="model", code="missing_required_parameter"
        )
    return model


def estimated_tokens(text: str) -> int:
    return 8 + len(text) // 4


def last_user_text(messages: list[JsonObject], text_types: tuple[str, ...]) -> str:
    users = [message for message in messages if message.get("role") == "user"]
    return text_of(users[-1].get("content"), text_types) if users else ""


SimulationT = TypeVar("SimulationT", bound=CallingSimulation)


@dataclass
class Conversation(Generic[SimulationT]):
    simulation: SimulationT
    driver: ScriptDriver


class Conversations(Generic[SimulationT]):
    """The conversations of one emulated API, found again by the tool calls they wait on."""

    def __init__(
        self, emulator: Emulator, api: str, *, done_frame: bytes | None = None, named_events: bool = True
    ) -> None:
        """``done_frame`` ends every stream of the API; without ``named_events`` its frames carry
        only ``data:`` lines."""
        self._emulator = emulator
        self._api = api
        self._done_frame = done_frame
        self._named_events = named_events
        self._by_call: dict[str, Conversation[SimulationT]] = {}

    def start(
        self, body: JsonObject, user_text: str, build: Callable[[int | None], SimulationT]
    ) -> Conversation[SimulationT]:
        """A new conversation playing the scenario the request picks; ``build(deltas)`` simulates it."""
        scenario, deltas = pick_scenario(
            self._api,
            metadata=body.get("metadata") or {},
            user_text=user_text,
            default_scenario=self._emulator.default_scenario,
            default_deltas=self._emulator.message_deltas,
        )
        simulation = build(deltas)
        conversation = Conversation(simulation, ScriptDriver(simulation, scenario(simulation)))
        simulation.on_calls = lambda call_ids: self._by_call.update(dict.fromkeys(call_ids, conversation))
        return conversation

    def resume_or_start(
        self,
        waiting: Conversation[SimulationT] | None,
        request: ApiRequest,
        outputs: dict[str, str],
        user_text: str,
        build: Callable[[int | None], SimulationT],
    ) -> Conversation[SimulationT]:
        """The conversation a request speaks in: ``waiting`` (the one whose calls its ``outputs``
        answer) goes on with it; without one, a new conversation (see :meth:`start`)."""
        if waiting is None:
            return self.start(request.body, user_text, build)
        waiting.simulation.continue_with(request, outputs)
        waiting.driver.resume()
        return waiting

    def answer(self, conversation: Conversation[SimulationT], stream: bool) -> EmulatorResponse | None:
        """The event stream of the conversation's next turn; None when the request asked for no
        stream: the turn was played and its object is the answer."""
        if stream:
            return self._emulator.stream(
                conversation.driver, done_frame=self._done_frame, named_events=self._named_events
            )
        play_without_stream(conversation.driver)
        return None

    def waiting_on(self, call_id: str) -> Conversation[SimulationT] | None:
        return self._by_call.get(call_id)

    def answered(self, conversation: Conversation[SimulationT], outputs: Mapping[str, str]) -> list[str]:
        """Claims the calls ``outputs`` answer; returns the calls of the conversation left unanswered."""
        missing = [call for call in conversation.simulation.pending_call_ids if call not in outputs]
        if not missing:
            for call_id in outputs:
                self._by_call.pop(call_id, None)
        return missing
