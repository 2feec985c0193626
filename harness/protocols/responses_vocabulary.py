"""The Responses API stream vocabulary: event types, where each delta accumulates, which strings stream.

One home for this knowledge: the fold (:mod:`harness.protocols.responses_fold`), detection, the
streamed-strings rule that scrubbing uses, and the timeline all read these tables.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "response."
ERROR = "error"

CREATED = "response.created"
QUEUED = "response.queued"
IN_PROGRESS = "response.in_progress"
COMPLETED = "response.completed"
INCOMPLETE = "response.incomplete"
FAILED = "response.failed"

# A lifecycle event carries a whole `Response`; the terminal ones end a response.
PROGRESS_EVENTS = frozenset({CREATED, QUEUED, IN_PROGRESS})
TERMINAL_EVENTS = frozenset({COMPLETED, INCOMPLETE, FAILED})
LIFECYCLE_EVENTS = PROGRESS_EVENTS | TERMINAL_EVENTS

ITEM_ADDED = "response.output_item.added"
ITEM_DONE = "response.output_item.done"
CONTENT_PART_ADDED = "response.content_part.added"
CONTENT_PART_DONE = "response.content_part.done"
SUMMARY_PART_ADDED = "response.reasoning_summary_part.added"
SUMMARY_PART_DONE = "response.reasoning_summary_part.done"
ANNOTATION_ADDED = "response.output_text.annotation.added"

TEXT_DELTA = "response.output_text.delta"
REFUSAL_DELTA = "response.refusal.delta"
SUMMARY_TEXT_DELTA = "response.reasoning_summary_text.delta"
ARGUMENTS_DELTA = "response.function_call_arguments.delta"


@dataclass(frozen=True, slots=True)
class DeltaTarget:
    """Where the ``delta`` string of one ``*.delta`` event type accumulates.

    ``parts``/``part_index`` name the list inside the output item and the event key giving the
    position in it (``None`` for a field of the item itself); ``field`` is the string that grows;
    ``done_event``/``done_field`` the event that repeats the whole string, to check against.
    """

    field: str
    parts: str | None
    part_index: str | None
    done_event: str
    done_field: str


DELTA_TARGETS: dict[str, DeltaTarget] = {
    TEXT_DELTA: DeltaTarget("text", "content", "content_index", "response.output_text.done", "text"),
    REFUSAL_DELTA: DeltaTarget("refusal", "content", "content_index", "response.refusal.done", "refusal"),
    "response.reasoning_text.delta": DeltaTarget(
        "text", "content", "content_index", "response.reasoning_text.done", "text"
    ),
    SUMMARY_TEXT_DELTA: DeltaTarget(
        "text", "summary", "summary_index", "response.reasoning_summary_text.done", "text"
    ),
    ARGUMENTS_DELTA: DeltaTarget(
        "arguments", None, None, "response.function_call_arguments.done", "arguments"
    ),
    "response.mcp_call_arguments.delta": DeltaTarget(
        "arguments", None, None, "response.mcp_call_arguments.done", "arguments"
    ),
    "response.custom_tool_call_input.delta": DeltaTarget(
        "input", None, None, "response.custom_tool_call_input.done", "input"
    ),
    "response.code_interpreter_call_code.delta": DeltaTarget(
        "code", None, None, "response.code_interpreter_call_code.done", "code"
    ),
}
# (parts list or None, field) of every string some delta family builds, each once
BUILT_FIELDS: tuple[tuple[str | None, str], ...] = tuple(
    dict.fromkeys((target.parts, target.field) for target in DELTA_TARGETS.values())
)
DONE_TARGETS: dict[str, DeltaTarget] = {target.done_event: target for target in DELTA_TARGETS.values()}

# Deltas of the response itself (not of an output item): audio bytes and their transcript.
RESPONSE_DELTAS: dict[str, str] = {
    "response.audio.delta": "response.audio.done",
    "response.audio.transcript.delta": "response.audio.transcript.done",
}

# Built-in tool calls report progress with events that change no string: known, kept, not folded.
_TOOL_PROGRESS = {
    "web_search_call": ("in_progress", "searching", "completed"),
    "file_search_call": ("in_progress", "searching", "completed"),
    "code_interpreter_call": ("in_progress", "interpreting", "completed"),
    "image_generation_call": ("in_progress", "generating", "partial_image", "completed"),
    "mcp_call": ("in_progress", "completed", "failed"),
    "mcp_list_tools": ("in_progress", "completed", "failed"),
}


def tool_progress(family: str, stage: str) -> str:
    """The progress event of a built-in tool call (``web_search_call``, ``searching``)."""
    return f"{PREFIX}{family}.{stage}"


TOOL_PROGRESS_EVENTS = frozenset(
    tool_progress(family, stage) for family, stages in _TOOL_PROGRESS.items() for stage in stages
)

KNOWN_EVENTS = (
    LIFECYCLE_EVENTS
    | {ERROR, ITEM_ADDED, ITEM_DONE, CONTENT_PART_ADDED, CONTENT_PART_DONE}
    | {SUMMARY_PART_ADDED, SUMMARY_PART_DONE, ANNOTATION_ADDED}
    | DELTA_TARGETS.keys()
    | DONE_TARGETS.keys()
    | RESPONSE_DELTAS.keys()
    | set(RESPONSE_DELTAS.values())
    | TOOL_PROGRESS_EVENTS
)

# Every event type whose payload carries a ``delta`` string that is a piece of a longer string.
STREAMED_DELTA_EVENTS = frozenset(DELTA_TARGETS) | frozenset(RESPONSE_DELTAS)


def streamed_strings(event_type: str) -> tuple[str, ...]:
    """The payload keys of ``event_type`` that hold a fragment of a string streamed over several events.

    Secrets split across such fragments are only visible once the fragments are joined; the
    scrubber joins the values of these keys over consecutive events of the same item and part.
    """
    return ("delta",) if event_type in STREAMED_DELTA_EVENTS else ()


def fragment_key(event_type: str, payload: dict[str, object]) -> tuple[object, ...] | None:
    """Which streamed string a delta event extends: events with equal keys extend the same string."""
    target = DELTA_TARGETS.get(event_type)
    if target is not None:
        part = payload.get(target.part_index) if target.part_index else None
        return (target.done_event, payload.get("item_id"), payload.get("output_index"), part)
    if event_type in RESPONSE_DELTAS:
        return (event_type, payload.get("response_id"))
    return None


def is_responses_event(name: str) -> bool:
    return name.startswith(PREFIX)
