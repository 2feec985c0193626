"""What the Responses and Chat Completions simulations share: the request one turn answers, and a
conversation that stops at its tool calls and goes on, in a new object, when a request brings
their outputs (the Assistants run continues the same run instead: :mod:`harness.emulator.simulation`)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from harness.emulator.clock import Timeline
from harness.emulator.ids import IdFactory
from harness.emulator.script import FunctionCall, JsonObject


@dataclass
class ApiRequest:
    """What the scenario and the streamed objects take from one request body."""

    body: JsonObject
    message_deltas: int | None
    prompt_tokens: int  # estimated from what the request sent


class ApiSimulation:
    """The state every turn-per-request simulation keeps; subclasses stream their API's objects."""

    def __init__(self, request: ApiRequest, ids: IdFactory, timeline: Timeline, rng: random.Random) -> None:
        self.request = request
        self.ids = ids
        self.timeline = timeline
        self.rng = rng
        self.tool_outputs: dict[str, str] = {}
        self.pending_call_ids: list[str] = []
        self.on_calls: Callable[[list[str]], None] = lambda call_ids: None

    @property
    def message_deltas(self) -> int | None:
        return self.request.message_deltas

    def continue_with(self, request: ApiRequest, outputs: dict[str, str]) -> None:
        """The client's next request answered the calls: the scenario goes on in a new object."""
        self.request = request
        self.tool_outputs.update(outputs)
        self.pending_call_ids = []
        self._next_turn()

    def _next_turn(self) -> None:
        """Start the object (completion, response) the next request streams."""
        raise NotImplementedError

    def _calls_made(self, calls: list[FunctionCall]) -> None:
        """The turn ends waiting on ``calls``: the conversation is found again by their ids."""
        self.pending_call_ids = [call.call_id for call in calls]
        self.on_calls(self.pending_call_ids)
