"""Server-sent events -> typed run-stream events.

:func:`typed_event` never raises on what a server (or a cassette) sends: an
unknown event name, data that is not JSON or a payload of the wrong shape is
kept as it came, with a diagnostic saying so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from pydantic import ValidationError

from harness.diagnostics import Diagnostic
from harness.models._base import HarnessModel
from harness.models.conformance import diagnose
from harness.models.deltas import MessageDeltaEvent, RunStepDeltaEvent
from harness.models.errors import ErrorObject, ErrorPayload
from harness.models.message import Message
from harness.models.run import Run
from harness.models.step import RunStep
from harness.models.thread import Thread
from harness.protocols.assistants import (
    DONE,
    DONE_DATA,
    ERROR,
    INVALID_JSON,
    MALFORMED_DONE,
    MESSAGE_DELTA,
    MESSAGE_EVENTS,
    RUN_EVENTS,
    STATUS_MISMATCH,
    STEP_DELTA,
    STEP_EVENTS,
    THREAD_CREATED,
    UNEXPECTED_PAYLOAD,
    UNKNOWN_EVENT,
    status_mismatch,
)
from harness.sse import ServerSentEvent

#: Every event name of a run stream -> the model of its data (``None`` for ``done``).
#: ``error`` data is :class:`ErrorPayload` (``{"error": {...}}``) or, bare, :class:`ErrorObject`.
EVENT_PAYLOADS: Mapping[str, type[HarnessModel] | None] = {
    THREAD_CREATED: Thread,
    **dict.fromkeys(RUN_EVENTS, Run),
    **dict.fromkeys(STEP_EVENTS, RunStep),
    STEP_DELTA: RunStepDeltaEvent,
    **dict.fromkeys(MESSAGE_EVENTS, Message),
    MESSAGE_DELTA: MessageDeltaEvent,
    ERROR: ErrorPayload,
    DONE: None,
}

EventKind: TypeAlias = Literal["payload", "done", "unknown", "invalid"]


@dataclass(frozen=True, slots=True)
class TypedEvent:
    """One event of a run stream, typed where possible, raw always.

    ``kind`` is ``"payload"`` (``payload`` holds the model), ``"done"`` (the
    end marker), ``"unknown"`` (an event name outside the run-stream
    vocabulary) or ``"invalid"`` (data that is not JSON, or JSON no model
    fits). ``data`` is the event's data exactly as received; ``value`` its
    parsed JSON (``None`` when it is not JSON, and for ``done``).
    """

    index: int
    event: str
    data: str
    kind: EventKind
    payload: HarnessModel | None = None
    value: Any = None
    diagnostics: tuple[Diagnostic, ...] = ()


def payload_model(event: str, value: Any) -> type[HarnessModel] | None:
    """The model for ``value`` sent as ``event``, or ``None`` for ``done`` and unknown names."""
    if event == ERROR and isinstance(value, dict) and "error" not in value:
        return ErrorObject
    return EVENT_PAYLOADS.get(event)


def typed_event(
    sse: ServerSentEvent, index: int, *, stream: int | None = None, check: bool = True
) -> TypedEvent:
    """Type one event. ``index`` (and ``stream``) place its diagnostics.

    With ``check`` (the default) the diagnostics include what
    :func:`harness.models.diagnose` finds in the payload, and a
    ``status-mismatch`` when the event name implies another status than the
    data carries (real streams send ``thread.run.completed`` for an
    ``incomplete`` run; the rule is :func:`harness.protocols.assistants.status_mismatch`,
    the one reconstruction applies).
    """
    name, data = sse.event, sse.data
    found: list[Diagnostic] = []

    def add(code: str, message: str) -> None:
        found.append(Diagnostic(code, message, stream=stream, event=index))

    if name == DONE or data == DONE_DATA:
        if name != DONE:
            add(MALFORMED_DONE, f"{DONE_DATA} sent as event {name!r}, not 'done'")
        elif data != DONE_DATA:
            add(MALFORMED_DONE, f"'done' carries {_excerpt(data)} instead of {DONE_DATA}")
        return TypedEvent(index, name, data, "done", diagnostics=tuple(found))

    known = name in EVENT_PAYLOADS
    try:
        value = json.loads(data)
    except (ValueError, RecursionError) as exc:
        if known:
            add(INVALID_JSON, f"data of {name!r} is not JSON ({exc}): {_excerpt(data)}")
        else:
            add(UNKNOWN_EVENT, f"event {name!r} is not a run-stream event; kept as sent")
        return TypedEvent(index, name, data, "invalid" if known else "unknown", diagnostics=tuple(found))

    if not known:
        add(UNKNOWN_EVENT, f"event {name!r} is not a run-stream event; kept as sent")
        return TypedEvent(index, name, data, "unknown", value=value, diagnostics=tuple(found))

    model = payload_model(name, value)
    assert model is not None  # only `done` maps to None
    try:
        payload = model.model_validate(value)
    except ValidationError:
        add(UNEXPECTED_PAYLOAD, f"data of {name!r} does not fit {model.__name__}: {_excerpt(data)}")
        return TypedEvent(index, name, data, "invalid", value=value, diagnostics=tuple(found))

    if check:
        found.extend(diagnose(payload, stream=stream, event=index))
        problem = status_mismatch(name, value.get("status") if isinstance(value, dict) else None)
        if problem is not None:
            found.append(Diagnostic(STATUS_MISMATCH, problem, stream=stream, event=index, path="status"))
    return TypedEvent(index, name, data, "payload", payload, value, tuple(found))


def typed_events(
    events: Iterable[ServerSentEvent], *, stream: int | None = None, check: bool = True
) -> list[TypedEvent]:
    """:func:`typed_event` for every event of one stream, indexed from 0."""
    return [typed_event(sse, position, stream=stream, check=check) for position, sse in enumerate(events)]


def _excerpt(text: str) -> str:
    return repr(text) if len(text) <= 60 else repr(text[:57] + "...")
