"""The ``thread.run.step`` object: message-creation and tool-call steps.

The payload classes of a tool call (``FunctionCall``, ``CodeInterpreterCall``,
``FileSearchCall`` and their parts) are shared with the step deltas in
:mod:`harness.models.deltas`: there every field is a fragment, and an
``index`` says where it belongs.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeAlias

from pydantic import Discriminator, Tag

from harness.models._base import UNKNOWN_TAG, HarnessModel, tag_by_type
from harness.models.common import LastError, Metadata, Number, Usage
from harness.models.tools import FileSearchRankingOptions


class FunctionCall(HarnessModel):
    name: str | None = None
    arguments: str | None = None
    output: str | None = None


class CodeInterpreterImage(HarnessModel):
    file_id: str | None = None


class CodeInterpreterLogsOutput(HarnessModel):
    index: int | None = None  # deltas only
    type: str | None = None
    logs: str | None = None


class CodeInterpreterImageOutput(HarnessModel):
    index: int | None = None  # deltas only
    type: str | None = None
    image: CodeInterpreterImage | None = None


class UnknownCodeInterpreterOutput(HarnessModel):
    generic = True
    index: int | None = None
    type: str | None = None


CodeInterpreterOutput: TypeAlias = Annotated[
    Annotated[CodeInterpreterLogsOutput, Tag("logs")]
    | Annotated[CodeInterpreterImageOutput, Tag("image")]
    | Annotated[UnknownCodeInterpreterOutput, Tag(UNKNOWN_TAG)],
    Discriminator(tag_by_type("logs", "image")),
]


class CodeInterpreterCall(HarnessModel):
    input: str | None = None
    outputs: list[CodeInterpreterOutput] | None = None


class FileSearchResultContent(HarnessModel):
    type: str | None = None
    text: str | None = None


class FileSearchResult(HarnessModel):
    file_id: str | None = None
    file_name: str | None = None
    score: Number | None = None
    attributes: dict[str, Any] | None = None  # real, not in the SDK
    content: list[FileSearchResultContent] | None = None  # only with include[]=...results[*].content


class FileSearchCall(HarnessModel):
    ranking_options: FileSearchRankingOptions | None = None
    results: list[FileSearchResult] | None = None


class FunctionToolCall(HarnessModel):
    id: str | None = None
    type: str | None = None
    function: FunctionCall | None = None


class CodeInterpreterToolCall(HarnessModel):
    id: str | None = None
    type: str | None = None
    code_interpreter: CodeInterpreterCall | None = None


class FileSearchToolCall(HarnessModel):
    id: str | None = None
    type: str | None = None
    file_search: FileSearchCall | None = None


class RetrievalToolCall(HarnessModel):
    """An assistants=v1 ``retrieval`` call (its ``retrieval`` object is empty in practice)."""

    id: str | None = None
    type: str | None = None
    retrieval: dict[str, Any] | None = None


class UnknownToolCall(HarnessModel):
    generic = True
    id: str | None = None
    type: str | None = None


TOOL_CALL_TYPES = ("function", "code_interpreter", "file_search", "retrieval")

ToolCall: TypeAlias = Annotated[
    Annotated[FunctionToolCall, Tag("function")]
    | Annotated[CodeInterpreterToolCall, Tag("code_interpreter")]
    | Annotated[FileSearchToolCall, Tag("file_search")]
    | Annotated[RetrievalToolCall, Tag("retrieval")]
    | Annotated[UnknownToolCall, Tag(UNKNOWN_TAG)],
    Discriminator(tag_by_type(*TOOL_CALL_TYPES)),
]


class MessageCreation(HarnessModel):
    message_id: str | None = None


class MessageCreationDetails(HarnessModel):
    type: str | None = None
    message_creation: MessageCreation | None = None


class ToolCallsDetails(HarnessModel):
    type: str | None = None
    tool_calls: list[ToolCall] | None = None


class UnknownStepDetails(HarnessModel):
    generic = True
    type: str | None = None


StepDetails: TypeAlias = Annotated[
    Annotated[MessageCreationDetails, Tag("message_creation")]
    | Annotated[ToolCallsDetails, Tag("tool_calls")]
    | Annotated[UnknownStepDetails, Tag(UNKNOWN_TAG)],
    Discriminator(tag_by_type("message_creation", "tool_calls")),
]


class RunStep(HarnessModel):
    """A run step.

    Real steps carry ``expires_at`` (the SDK has ``expired_at``, never seen in
    a stream) and no ``metadata``.
    """

    id: str | None = None
    object: str | None = None
    created_at: int | None = None
    run_id: str | None = None
    assistant_id: str | None = None
    thread_id: str | None = None
    type: str | None = None
    status: str | None = None
    cancelled_at: int | None = None
    completed_at: int | None = None
    expires_at: int | None = None
    expired_at: int | None = None
    failed_at: int | None = None
    last_error: LastError | None = None
    step_details: StepDetails | None = None
    usage: Usage | None = None
    metadata: Metadata | None = None
