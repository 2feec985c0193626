"""What a loaded payload holds beyond or against the reference, as diagnostics.

Loading never fails (see :class:`~harness.models._base.HarnessModel`); these
checks say what was found instead:

* ``unknown-field``: a key no model declares (kept, dumped back unchanged).
* ``unknown-type``: a ``type`` value the reference does not list; the object
  was loaded into a generic model that keeps every key.
* ``reference-deviation``: a key the reference requires is missing, a
  ``null`` where it expects a value, a string outside its enum, a value of
  the wrong JSON type (kept as sent), or a legacy (assistants=v1) shape.

The reference is the ``Run`` page for runs and the SDK's generated types for
the rest (their required fields and enums). Paths are dotted, with ``[i]``
for list positions: ``step_details.tool_calls[0].function.name``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.diagnostics import Diagnostic
from harness.models import deltas, errors, message, params, run, step, thread, tools
from harness.models._base import HarnessModel
from harness.models.common import LastError, Usage
from harness.protocols.assistants import (
    LEGACY_PREFIX,
    MESSAGE_STATUSES,
    REFERENCE_DEVIATION,
    RUN_STATUSES,
    STEP_STATUSES,
    UNKNOWN_FIELD,
    UNKNOWN_TYPE,
)


@dataclass(frozen=True)
class Reference:
    """What the reference says about one object type."""

    required: frozenset[str] = frozenset()
    nullable: frozenset[str] = frozenset()  # required keys whose value may be null
    enums: Mapping[str, frozenset[str]] = field(default_factory=dict)
    legacy: str | None = None  # set on shapes only assistants=v1 used


def _ref(required: str = "", nullable: str = "", legacy: str | None = None, **enums: str) -> Reference:
    return Reference(
        frozenset(required.split()),
        frozenset(nullable.split()),
        {name: frozenset(values.split()) for name, values in enums.items()},
        legacy,
    )


_RUN_NULLABLE = (
    "cancelled_at completed_at expires_at failed_at incomplete_details last_error "
    "max_completion_tokens max_prompt_tokens metadata required_action response_format "
    "started_at tool_choice truncation_strategy usage"
)
_RETRIEVAL = LEGACY_PREFIX + "`retrieval` tool; the reference lists code_interpreter, file_search, function"
_TOOL_TYPES = "code_interpreter file_search function"

REFERENCE: dict[type[HarnessModel], Reference] = {
    run.Run: _ref(
        "id assistant_id created_at instructions model object parallel_tool_calls status thread_id tools "
        + _RUN_NULLABLE,
        _RUN_NULLABLE,
        object="thread.run",
        status=" ".join(sorted(RUN_STATUSES)),
        response_format="auto",
        tool_choice="none auto required",
    ),
    run.RunIncompleteDetails: _ref(reason="max_completion_tokens max_prompt_tokens"),
    LastError: _ref("code message", code="server_error rate_limit_exceeded invalid_prompt"),
    run.RequiredAction: _ref("type submit_tool_outputs", type="submit_tool_outputs"),
    run.SubmitToolOutputs: _ref("tool_calls"),
    run.RequiredActionToolCall: _ref("id type function", type="function"),
    run.RequiredActionFunction: _ref("name arguments"),
    run.TruncationStrategy: _ref("type", type="auto last_messages"),
    Usage: _ref("prompt_tokens completion_tokens total_tokens"),
    tools.FunctionTool: _ref("type function"),
    tools.FunctionDefinition: _ref("name"),
    tools.CodeInterpreterTool: _ref("type"),
    tools.FileSearchTool: _ref("type"),
    tools.RetrievalTool: _ref("type", legacy=_RETRIEVAL),
    tools.FileSearchRankingOptions: _ref("score_threshold", ranker="auto default_2024_08_21"),
    tools.ToolChoice: _ref("type", type=_TOOL_TYPES),
    tools.ToolChoiceFunction: _ref("name"),
    tools.ResponseFormatText: _ref("type"),
    tools.ResponseFormatJSONObject: _ref("type"),
    tools.ResponseFormatJSONSchema: _ref("type json_schema"),
    step.RunStep: _ref(
        "id assistant_id created_at object run_id status step_details thread_id type",
        object="thread.run.step",
        status=" ".join(sorted(STEP_STATUSES)),
        type="message_creation tool_calls",
    ),
    step.MessageCreationDetails: _ref("type message_creation"),
    step.MessageCreation: _ref("message_id"),
    step.ToolCallsDetails: _ref("type tool_calls"),
    step.FunctionToolCall: _ref("id type function"),
    step.CodeInterpreterToolCall: _ref("id type code_interpreter"),
    step.FileSearchToolCall: _ref("id type file_search"),
    step.RetrievalToolCall: _ref("id type", legacy=_RETRIEVAL),
    step.CodeInterpreterLogsOutput: _ref("type"),
    step.CodeInterpreterImageOutput: _ref("type"),
    step.FileSearchResult: _ref("file_id file_name score"),
    step.FileSearchResultContent: _ref(type="text"),
    message.Message: _ref(
        "id object created_at thread_id status role content",
        object="thread.message",
        status=" ".join(sorted(MESSAGE_STATUSES)),
        role="user assistant",
    ),
    message.MessageIncompleteDetails: _ref(
        "reason", reason="content_filter max_tokens run_cancelled run_expired run_failed"
    ),
    message.TextContent: _ref("type text"),
    message.Text: _ref("value annotations"),
    message.ImageFileContent: _ref("type image_file"),
    message.ImageURLContent: _ref("type image_url"),
    message.RefusalContent: _ref("type refusal"),
    message.FileCitationAnnotation: _ref("type text start_index end_index file_citation"),
    message.FilePathAnnotation: _ref("type text start_index end_index file_path"),
    message.ImageFile: _ref(detail="auto low high"),
    message.ImageURL: _ref(detail="auto low high"),
    thread.Thread: _ref("id object created_at", object="thread"),
    deltas.MessageDeltaEvent: _ref("id object delta", object="thread.message.delta"),
    deltas.MessageDelta: _ref(role="user assistant"),
    deltas.TextDeltaBlock: _ref("index type"),
    deltas.ImageFileDeltaBlock: _ref("index type"),
    deltas.ImageURLDeltaBlock: _ref("index type"),
    deltas.RefusalDeltaBlock: _ref("index type"),
    deltas.FileCitationDeltaAnnotation: _ref("index type"),
    deltas.FilePathDeltaAnnotation: _ref("index type"),
    deltas.RunStepDeltaEvent: _ref("id object delta", object="thread.run.step.delta"),
    deltas.MessageCreationDelta: _ref("type"),
    deltas.ToolCallsDelta: _ref("type"),
    deltas.FunctionToolCallDelta: _ref("index type"),
    deltas.CodeInterpreterToolCallDelta: _ref("index type"),
    deltas.FileSearchToolCallDelta: _ref("index type file_search"),
    deltas.RetrievalToolCallDelta: _ref("index type", legacy=_RETRIEVAL),
    errors.ErrorPayload: _ref("error"),
    errors.ErrorObject: _ref("message type"),
    params.RunCreateParams: _ref("assistant_id", tool_choice="none auto required", response_format="auto"),
    params.ThreadCreateAndRunParams: _ref(
        "assistant_id", tool_choice="none auto required", response_format="auto"
    ),
    params.SubmitToolOutputsParams: _ref("tool_outputs"),
    params.MessageParam: _ref("role content", role="user assistant"),
    params.TextContentPart: _ref("type text"),
    params.ImageFileContentPart: _ref("type image_file"),
    params.ImageURLContentPart: _ref("type image_url"),
}


def walk(model: HarnessModel, path: str = "") -> Iterator[tuple[str, HarnessModel]]:
    """Every model object inside ``model`` (itself first), with its dotted path."""
    yield path, model
    present = model.model_fields_set
    for name in type(model).model_fields:
        if name in present:
            yield from _walk_value(getattr(model, name), _join(path, name))


def _walk_value(value: Any, path: str) -> Iterator[tuple[str, HarnessModel]]:
    if isinstance(value, HarnessModel):
        yield from walk(value, path)
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _walk_value(item, f"{path}[{position}]")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def unknown_fields(model: HarnessModel) -> list[str]:
    """Dotted paths of the keys no model declares, anywhere inside ``model``.

    Keys inside an object of unknown ``type`` are not listed one by one: the
    object itself is reported (``unknown-type``) by :func:`reference_deviations`.
    """
    return [_join(path, key) for path, obj in walk(model) if not obj.generic for key in obj.unknown_keys]


def reference_deviations(
    model: HarnessModel, *, stream: int | None = None, event: int | None = None
) -> list[Diagnostic]:
    """``reference-deviation`` and ``unknown-type`` findings anywhere inside ``model``."""
    found: list[Diagnostic] = []

    def add(code: str, path: str, message: str) -> None:
        found.append(Diagnostic(code, message, stream=stream, event=event, path=path or None))

    for path, obj in walk(model):
        kind = type(obj).__name__
        if obj.generic:
            add(
                UNKNOWN_TYPE,
                path,
                f"type {getattr(obj, 'type', None)!r} is not one the reference lists; kept as sent",
            )
            continue
        for name, reason in obj.invalid_fields.items():
            add(
                REFERENCE_DEVIATION,
                _join(path, name),
                f"{kind}.{name} does not fit the reference type ({reason}); kept as sent",
            )
        reference = REFERENCE.get(type(obj))
        if reference is None:
            continue
        if reference.legacy:
            add(REFERENCE_DEVIATION, path, reference.legacy)
        present = obj.model_fields_set
        for name in sorted(reference.required - present - obj.invalid_fields.keys()):
            add(
                REFERENCE_DEVIATION, _join(path, name), f"{kind}.{name} is missing; the reference requires it"
            )
        for name in sorted((reference.required - reference.nullable) & present):
            if getattr(obj, name) is None:
                add(
                    REFERENCE_DEVIATION,
                    _join(path, name),
                    f"{kind}.{name} is null; the reference requires a value",
                )
        for name, allowed in reference.enums.items():
            value = getattr(obj, name, None)
            if isinstance(value, str) and value not in allowed:
                add(
                    REFERENCE_DEVIATION,
                    _join(path, name),
                    f"{kind}.{name} is {value!r}, not one of {', '.join(sorted(allowed))}",
                )
    return found


def diagnose(model: HarnessModel, *, stream: int | None = None, event: int | None = None) -> list[Diagnostic]:
    """All findings for one payload: ``unknown-field`` first, then :func:`reference_deviations`."""
    unknown = [
        Diagnostic(
            UNKNOWN_FIELD,
            f"{path.rsplit('.', 1)[-1]!r} is not a known field; kept as sent",
            stream=stream,
            event=event,
            path=path,
        )
        for path in unknown_fields(model)
    ]
    return unknown + reference_deviations(model, stream=stream, event=event)
