"""The Assistants run stream: its vocabulary, diagnostic codes, streamed strings and detection.

Event names (``thread.run.*``, ``thread.run.step.*``, ``thread.message.*``, ``thread.created``,
``error``, ``done``), the status each snapshot event implies, terminal statuses, the order a run's
status moves in, and every diagnostic code reconstruction and validation emit, with its default
severity. The fold is :mod:`harness.reconstruct.fold`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from harness.protocols.base import JsonPath, Severity, StreamedString

if TYPE_CHECKING:
    from harness.cassette.model import Exchange
    from harness.conversation.view import ConversationView
    from harness.diagnostics import Diagnostic
    from harness.protocols.base import Folder
    from harness.protocols.fold_support import DiagnosticSink
    from harness.sse.event import ServerSentEvent

NAME = "assistants"

# -- vocabulary ----------------------------------------------------------------------------------

RUN_TERMINAL_STATUSES = frozenset({"completed", "incomplete", "failed", "cancelled", "expired"})
#: A run in one of these is still going (the emulator keeps driving it; a poll moves it on).
RUN_ACTIVE_STATUSES = frozenset({"queued", "in_progress", "requires_action", "cancelling"})
RUN_STATUSES = RUN_TERMINAL_STATUSES | RUN_ACTIVE_STATUSES
STEP_STATUSES = frozenset({"in_progress", "cancelled", "failed", "completed", "expired"})
MESSAGE_STATUSES = frozenset({"in_progress", "incomplete", "completed"})
#: Steps and messages a finished run must not leave in these.
OPEN_STATUSES = frozenset({"in_progress", "queued"})

#: Snapshot event name -> the status its data is expected to carry (``*.created`` the first one).
RUN_EVENT_STATUS: Mapping[str, str] = {
    "thread.run.created": "queued",
    "thread.run.queued": "queued",
    "thread.run.in_progress": "in_progress",
    "thread.run.requires_action": "requires_action",
    "thread.run.completed": "completed",
    "thread.run.incomplete": "incomplete",
    "thread.run.failed": "failed",
    "thread.run.cancelling": "cancelling",
    "thread.run.cancelled": "cancelled",
    "thread.run.expired": "expired",
}
STEP_EVENT_STATUS: Mapping[str, str] = {
    "thread.run.step.created": "in_progress",
    "thread.run.step.in_progress": "in_progress",
    "thread.run.step.completed": "completed",
    "thread.run.step.failed": "failed",
    "thread.run.step.cancelled": "cancelled",
    "thread.run.step.expired": "expired",
}
MESSAGE_EVENT_STATUS: Mapping[str, str] = {
    "thread.message.created": "in_progress",
    "thread.message.in_progress": "in_progress",
    "thread.message.completed": "completed",
    "thread.message.incomplete": "incomplete",
}
#: Every snapshot event -> the status it implies (the one rule behind ``status-mismatch``).
EVENT_STATUS: Mapping[str, str] = {**RUN_EVENT_STATUS, **STEP_EVENT_STATUS, **MESSAGE_EVENT_STATUS}

RUN_EVENTS = tuple(RUN_EVENT_STATUS)
STEP_EVENTS = tuple(STEP_EVENT_STATUS)
MESSAGE_EVENTS = tuple(MESSAGE_EVENT_STATUS)
STEP_TERMINAL_EVENTS = frozenset(
    name for name, status in STEP_EVENT_STATUS.items() if status != "in_progress"
)
MESSAGE_TERMINAL_EVENTS = frozenset(
    name for name, status in MESSAGE_EVENT_STATUS.items() if status != "in_progress"
)

STEP_DELTA = "thread.run.step.delta"
MESSAGE_DELTA = "thread.message.delta"
THREAD_CREATED = "thread.created"
ERROR = "error"
DONE = "done"
DONE_DATA = "[DONE]"
DELTA_EVENTS = frozenset({STEP_DELTA, MESSAGE_DELTA})
EVENT_NAMES = frozenset({*EVENT_STATUS, *DELTA_EVENTS, THREAD_CREATED, ERROR, DONE})

#: Prefixes of the events that belong to a run stream (``error`` and ``done`` are shared with others).
EVENT_PREFIX = "thread."
#: Events about a run's steps and messages (their run is named by a ``thread.run.*`` event).
OBJECT_EVENT_PREFIXES = ("thread.run.step.", "thread.message.")

_RUN_STATUS_RANK = {
    "queued": 0,
    "in_progress": 1,
    "requires_action": 2,
    "cancelling": 3,
    **dict.fromkeys(RUN_TERMINAL_STATUSES, 4),
}


def expected_status(name: str) -> str | None:
    """The status the event ``name`` implies its data carries; ``None`` for events naming none."""
    return EVENT_STATUS.get(name)


def status_mismatch(name: str, status: object) -> str | None:
    """What is wrong when the event ``name`` carries ``status`` (its data's, ``None`` when absent),
    or ``None`` when nothing is. The rule: every snapshot event implies one status (``*.created`` the
    first of its object's lifecycle) and any other value, a missing one included, is a mismatch."""
    expected = EVENT_STATUS.get(name)
    if expected is None or (type(status) is str and status == expected):
        return None
    return f"{name} carries status {_short_repr(status)}, expected {expected!r}; the data is kept"


def _short_repr(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def run_status_goes_backwards(previous: object, current: object, *, new_stream: bool) -> bool:
    """Whether a run moving from ``previous`` to ``current`` contradicts the run lifecycle.

    A run only moves forward (queued, in_progress, requires_action,
    cancelling, a terminal status), with one loop: once tool outputs are
    submitted, which opens a new stream, a ``requires_action`` run is queued
    and in progress again. A terminal status is final. Unknown statuses (and
    values that are not strings) are not judged.
    """
    if type(previous) is not str or type(current) is not str or previous == current:
        return False
    if previous in RUN_TERMINAL_STATUSES:
        return True
    before = _RUN_STATUS_RANK.get(previous)
    after = _RUN_STATUS_RANK.get(current)
    if before is None or after is None or after >= before:
        return False
    return not (previous == "requires_action" and new_stream and current in ("queued", "in_progress"))


# -- diagnostic codes --------------------------------------------------------------------------------

INVALID_JSON = "invalid-json"  # data is not JSON
UNEXPECTED_PAYLOAD = "unexpected-payload"  # JSON, but not an object with a string `id` / a `delta` object
UNKNOWN_EVENT = "unknown-event"  # event name outside the run-stream vocabulary (kept in `events`)
ERROR_EVENT = "error-event"  # the server sent an `error` event
STATUS_MISMATCH = "status-mismatch"  # event name implies one status, the data carries another (data wins)
RUN_STATUS_BACKWARDS = "run-status-backwards"  # a run's status moved against its lifecycle
DELTA_UNKNOWN_OBJECT = "delta-unknown-object"  # a delta for an id no snapshot introduced
DELTA_AFTER_TERMINAL = "delta-after-terminal"  # a delta for an object already completed (ignored)
INVALID_DELTA = "invalid-delta"  # a delta piece without a usable `index`, or not an object (skipped)
DELTA_SNAPSHOT_MISMATCH = "delta-snapshot-mismatch"  # accumulated deltas disagree with the terminal snapshot
EVENT_AFTER_DONE = "event-after-done"  # events after `done` (kept in `events`, not applied)
MALFORMED_DONE = "malformed-done"  # `done` without `[DONE]` data, or `[DONE]` under another name
MISSING_DONE = "missing-done"  # the stream ended without `done`
RUN_NOT_FINISHED = "run-not-finished"  # a stream ended with its run neither terminal nor requires_action
EMPTY_STREAM = "empty-stream"  # a stream without a single event
INTERNAL_ERROR = "internal-error"  # reconstruction itself failed on this event (a harness bug; please report)
UNKNOWN_FIELD = "unknown-field"  # a key no model declares (kept, dumped back unchanged)
UNKNOWN_TYPE = "unknown-type"  # a `type` the reference does not list (kept in a generic model)
REFERENCE_DEVIATION = "reference-deviation"  # a field missing, null, off its enum or of another JSON type
#: How a ``reference-deviation`` about a shape only assistants=v1 used begins (see :func:`severity`).
LEGACY_PREFIX = "the assistants=v1 "

#: Every code -> its default severity (see :data:`harness.protocols.base.Severity`).
CODES: Mapping[str, Severity] = {
    INVALID_JSON: "error",
    UNEXPECTED_PAYLOAD: "error",
    UNKNOWN_EVENT: "warning",
    ERROR_EVENT: "info",  # the server reporting a failure is no protocol break (the run records it)
    STATUS_MISMATCH: "warning",
    RUN_STATUS_BACKWARDS: "error",
    DELTA_UNKNOWN_OBJECT: "error",
    DELTA_AFTER_TERMINAL: "warning",
    INVALID_DELTA: "error",
    DELTA_SNAPSHOT_MISMATCH: "error",
    EVENT_AFTER_DONE: "error",
    MALFORMED_DONE: "error",
    MISSING_DONE: "error",
    RUN_NOT_FINISHED: "error",
    EMPTY_STREAM: "error",
    INTERNAL_ERROR: "error",
    UNKNOWN_FIELD: "info",
    UNKNOWN_TYPE: "info",
    REFERENCE_DEVIATION: "info",
}
ALL_CODES = frozenset(CODES)
#: Expected after a recorded `error` event or an early close: the stream could not finish.
ENDED_EARLY_CODES = frozenset({MISSING_DONE, RUN_NOT_FINISHED})
#: Found per event by the model checks; the fold's summary on the final objects repeats them.
PER_EVENT_CODES = frozenset({UNKNOWN_FIELD, UNKNOWN_TYPE})


def severity(diagnostic: Diagnostic) -> Severity:
    """The severity of one diagnostic: its code's default, except that an assistants=v1 shape (the
    ``retrieval`` tool) is a warning: today's API no longer accepts it, unlike a field-level
    deviation real servers still send (``"instructions": null``), which is informational."""
    if diagnostic.code == REFERENCE_DEVIATION and diagnostic.message.startswith(LEGACY_PREFIX):
        return "warning"
    return CODES.get(diagnostic.code, "error")


# -- the streamed strings of a delta ---------------------------------------------------------------

#: String fields that name something rather than carry streamed content: sent whole, replaced by a
#: repeat, never concatenated (a server that repeats ``name`` must not produce ``get_weatherget_weather``).
REPLACED_STRING_KEYS = frozenset(
    {
        "id",
        "type",
        "name",
        "file_id",
        "object",
        "role",
        "status",
        "ranker",
        "file_name",
        "detail",
        "url",
        "message_id",
        "run_id",
        "thread_id",
        "assistant_id",
    }
)


def is_indexed_list(value: list[Any]) -> bool:
    """Whether a delta's list holds entries accumulated by their ``index`` (the fold's rule)."""
    return bool(value) and type(value[0]) is dict and "index" in value[0]


def streamed_strings(name: str, payload: Any) -> Iterator[StreamedString]:
    """Every string the delta event ``name`` appends: text values, annotation text, function
    arguments, code-interpreter input and logs, and any other non-identifier string under
    ``delta`` reached through objects and indexed list entries (exactly what the fold joins)."""
    if name in DELTA_EVENTS:
        yield from delta_strings(payload)


def delta_strings(payload: Any) -> Iterator[StreamedString]:
    """:func:`streamed_strings` of a payload known to be a delta's (its event name unknown)."""
    if type(payload) is not dict:
        return
    delta = payload.get("delta")
    if type(delta) is dict:
        yield from _strings(delta, ("delta",), (payload.get("id"),))


def _strings(node: dict[str, Any], path: JsonPath, key: tuple[Any, ...]) -> Iterator[StreamedString]:
    for field, value in node.items():
        value_type = type(value)
        if value_type is str:
            if field not in REPLACED_STRING_KEYS:
                yield StreamedString((*path, field), (*key, field), value)
        elif value_type is dict:
            yield from _strings(value, (*path, field), (*key, field))
        elif value_type is list and is_indexed_list(value):
            for position, entry in enumerate(value):
                index = entry.get("index") if type(entry) is dict else None
                if type(index) is int and index >= 0:
                    yield from _strings(entry, (*path, field, position), (*key, field, index))


def appended_text(name: str, payload: Any) -> str:
    """The text a delta appends, every streamed string of it joined in order."""
    return "".join(piece.value for piece in streamed_strings(name, payload))


# -- the protocol object ---------------------------------------------------------------------------


class AssistantsProtocol:
    """The Assistants run stream as a :class:`~harness.protocols.base.StreamProtocol`."""

    name = NAME
    event_names = EVENT_NAMES
    delta_events = DELTA_EVENTS
    codes = CODES
    ended_early_codes = ENDED_EARLY_CODES
    per_event_codes = PER_EVENT_CODES

    def severity(self, diagnostic: Diagnostic) -> Severity:
        return severity(diagnostic)

    def claims_request(self, method: str, path: str, body: bytes) -> bool:
        return ("/threads" in path and "/runs" in path) or path.rstrip("/").endswith("/threads/runs")

    def starts_next_stream(self, name: str, previous: str) -> bool:
        return False  # its streams end with `data: [DONE]`

    def claims_events(self, names: Sequence[str]) -> bool:
        return any(name.startswith(EVENT_PREFIX) for name in names)

    def streamed_strings(self, name: str, payload: Any) -> Iterator[StreamedString]:
        return streamed_strings(name, payload)

    def reports_error(self, names: Iterable[str]) -> bool:
        return any(name == ERROR for name in names)

    def new_folder(self, *, views: bool = False, sink: DiagnosticSink | None = None) -> Folder:
        from harness.reconstruct.fold import StreamFolder

        return StreamFolder(views=views, sink=sink)

    def wellformedness_problems(self, transcript: Any, streams: Sequence[Sequence[str]]) -> set[str]:
        from harness.protocols.assistants_checks import wellformedness_problems

        return wellformedness_problems(transcript, streams)

    def object_lines(self, transcript: Any) -> list[str]:
        from harness.protocols.assistants_text import object_lines

        return object_lines(transcript)

    def conformance(self, events: Iterable[ServerSentEvent], stream: int) -> Iterator[Diagnostic]:
        from harness.models.events import typed_event

        # one typed event at a time, its diagnostics handed on before the next is read: a long
        # stream's models and findings are never all held
        for index, sse in enumerate(events):
            yield from typed_event(sse, index, stream=stream).diagnostics

    def conversation(self, exchanges: Sequence[Exchange]) -> ConversationView:
        from harness.conversation.assistants import conversation

        return conversation(exchanges)


PROTOCOL = AssistantsProtocol()
