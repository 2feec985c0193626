"""What a scenario says, in no API's words: the beats every emulated API renders its own way.

A scenario (:mod:`harness.emulator.scenarios`) is a generator written once
against :class:`Simulation`; the Assistants run simulation, the Responses
simulation and the Chat Completions simulation each implement it, so one
scenario plays the same conversation over every API (the migration check
relies on that). A simulation yields :class:`Emission` items; :data:`PAUSE`
stops the current HTTP stream until the client sends tool outputs, and
:data:`ABORT` cuts it without the normal end.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from harness.emulator.ids import IdFactory

if TYPE_CHECKING:
    from harness.emulator.api_simulation import ApiRequest

JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Emission:
    """One event; ``data`` is a live object (serialized when emitted) or ready JSON text.

    ``name`` is the SSE ``event:`` field; ``"message"`` (the SSE default) writes no
    ``event:`` line, as Chat Completions streams are framed.
    """

    name: str
    data: JsonObject | str
    pace: float = 1.0


@dataclass(frozen=True, slots=True)
class StreamStop:
    """Ends the current HTTP stream; ``done`` says whether the stream ends normally."""

    done: bool


PAUSE = StreamStop(done=True)
ABORT = StreamStop(done=False)

Item = Emission | StreamStop
Items = Generator[Item, None, None]


def dumps(data: Any) -> str:
    """JSON the way the API writes stream data: compact, raw UTF-8."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@dataclass
class FunctionCall:
    name: str
    arguments: str
    call_id: str = ""


@dataclass(frozen=True)
class Citation:
    """A citation riding on one piece of text; each API writes it in its own shape.

    ``kind`` is ``file_path`` (a generated file), ``file_citation`` (an uploaded
    file) or ``url_citation`` (a web page); ``marker`` is the cited span of the
    text and ``start`` its character offset.
    """

    kind: str
    marker: str
    start: int
    file_id: str = ""
    filename: str = ""
    url: str = ""
    title: str = ""

    @property
    def end(self) -> int:
        return self.start + len(self.marker)


@dataclass
class TextPlan:
    """A text part streamed as ``pieces``; ``citations[i]`` ride on the delta of piece ``i``."""

    pieces: list[str]
    citations: dict[int, list[Citation]] = field(default_factory=dict)


class Simulation(Protocol):
    """The beats a scenario plays; each API's simulation renders them as that API streams."""

    ids: IdFactory
    rng: random.Random
    tool_outputs: dict[str, str]

    @property
    def message_deltas(self) -> int | None:
        """The number of text deltas asked for (None: the scenario's own text)."""
        ...

    def functions(self) -> list[JsonObject]:
        """The function tools of the request: ``{"name", "parameters", ...}`` each."""
        ...

    def token_limit(self) -> int | None:
        """The output-token limit of the request, if any."""
        ...

    def start(self) -> Items: ...

    def complete(self) -> Items: ...

    def complete_incomplete(self) -> Items:
        """The reply stopped at the token limit."""
        ...

    def message_step(
        self,
        plan: TextPlan,
        *,
        image_file_id: str | None = None,
        ending: str = "completed",
        stop_after: int | None = None,
    ) -> Items: ...

    def refusal_step(self, pieces: list[str]) -> Items: ...

    def reasoning_step(self, summary: list[str]) -> Items:
        """Reasoning before the answer (APIs that do not stream it only count its tokens)."""
        ...

    def web_search_step(self, query: str) -> Items: ...

    def function_calls_step(self, calls: list[FunctionCall]) -> Items:
        """Stream the calls, stop for the client's tool outputs (``tool_outputs``), go on."""
        ...

    def code_interpreter_step(self, code: str, output: JsonObject) -> Items: ...

    def file_search_step(self, results: list[JsonObject]) -> Items: ...

    def fail(self) -> Items: ...

    def cancel(self) -> Items: ...

    def expire(self) -> Items: ...

    def stream_error(self, request_id: str) -> Items:
        """An ``error`` event cuts the stream."""
        ...


class OnCalls(Protocol):
    """Told the ids of the tool calls a simulation now waits on."""

    def __call__(self, call_ids: list[str], /) -> None: ...


class CallingSimulation(Simulation, Protocol):
    """A simulation whose tool calls end one HTTP exchange and whose outputs start the next."""

    pending_call_ids: list[str]
    on_calls: OnCalls

    def continue_with(self, request: ApiRequest, outputs: dict[str, str]) -> None:
        """The next request brought ``outputs`` for the pending calls: go on from there."""
        ...


Scenario = Callable[[Simulation], Items]


class Unsupported(Exception):
    """A scenario beat the API has no way to say (web search in the Assistants API...)."""


def unsupported(reason: str) -> Items:
    """The beat of a simulation whose API cannot say it (raises when the scenario reaches it)."""
    raise Unsupported(reason)
    yield  # pragma: no cover - makes this a generator
