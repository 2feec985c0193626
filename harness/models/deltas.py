"""The fragments of ``thread.message.delta`` and ``thread.run.step.delta`` events.

Each list entry carries an ``index``: a client appends string fragments and
merges objects into the entry at that index. Every field is a fragment, so
any of them may be absent.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeAlias

from pydantic import Discriminator, Tag

from harness.models._base import UNKNOWN_TAG, HarnessModel, tag_by_type
from harness.models.message import CONTENT_TYPES, FileCitation, FilePath, ImageFile, ImageURL
from harness.models.step import (
    TOOL_CALL_TYPES,
    CodeInterpreterCall,
    FileSearchCall,
    FunctionCall,
    MessageCreation,
)

# -- message deltas ----------------------------------------------------------


class FileCitationDeltaAnnotation(HarnessModel):
    index: int | None = None
    type: str | None = None
    text: str | None = None
    start_index: int | None = None
    end_index: int | None = None
    file_citation: FileCitation | None = None


class FilePathDeltaAnnotation(HarnessModel):
    index: int | None = None
    type: str | None = None
    text: str | None = None
    start_index: int | None = None
    end_index: int | None = None
    file_path: FilePath | None = None


class UnknownDeltaAnnotation(HarnessModel):
    generic = True
    index: int | None = None
    type: str | None = None


AnnotationDelta: TypeAlias = Annotated[
    Annotated[FileCitationDeltaAnnotation, Tag("file_citation")]
    | Annotated[FilePathDeltaAnnotation, Tag("file_path")]
    | Annotated[UnknownDeltaAnnotation, Tag(UNKNOWN_TAG)],
    Discriminator(tag_by_type("file_citation", "file_path")),
]


class TextDelta(HarnessModel):
    value: str | None = None
    annotations: list[AnnotationDelta] | None = None


class TextDeltaBlock(HarnessModel):
    index: int | None = None
    type: str | None = None
    text: TextDelta | None = None


class ImageFileDeltaBlock(HarnessModel):
    index: int | None = None
    type: str | None = None
    image_file: ImageFile | None = None


class ImageURLDeltaBlock(HarnessModel):
    index: int | None = None
    type: str | None = None
    image_url: ImageURL | None = None


class RefusalDeltaBlock(HarnessModel):
    index: int | None = None
    type: str | None = None
    refusal: str | None = None


class UnknownContentDelta(HarnessModel):
    generic = True
    index: int | None = None
    type: str | None = None


MessageContentDelta: TypeAlias = Annotated[
    Annotated[TextDeltaBlock, Tag("text")]
    | Annotated[ImageFileDeltaBlock, Tag("image_file")]
    | Annotated[ImageURLDeltaBlock, Tag("image_url")]
    | Annotated[RefusalDeltaBlock, Tag("refusal")]
    | Annotated[UnknownContentDelta, Tag(UNKNOWN_TAG)],
    Discriminator(tag_by_type(*CONTENT_TYPES)),
]


class MessageDelta(HarnessModel):
    role: str | None = None
    content: list[MessageContentDelta] | None = None


class MessageDeltaEvent(HarnessModel):
    """Data of ``thread.message.delta``."""

    id: str | None = None
    object: str | None = None
    delta: MessageDelta | None = None


# -- run step deltas ---------------------------------------------------------


class FunctionToolCallDelta(HarnessModel):
    index: int | None = None
    id: str | None = None
    type: str | None = None
    function: FunctionCall | None = None


class CodeInterpreterToolCallDelta(HarnessModel):
    index: int | None = None
    id: str | None = None
    type: str | None = None
    code_interpreter: CodeInterpreterCall | None = None


class FileSearchToolCallDelta(HarnessModel):
    index: int | None = None
    id: str | None = None
    type: str | None = None
    file_search: FileSearchCall | None = None


class RetrievalToolCallDelta(HarnessModel):
    index: int | None = None
    id: str | None = None
    type: str | None = None
    retrieval: dict[str, Any] | None = None


class UnknownToolCallDelta(HarnessModel):
    generic = True
    index: int | None = None
    id: str | None = None
    type: str | None = None


ToolCallDelta: TypeAlias = Annotated[
    Annotated[FunctionToolCallDelta, Tag("function")]
    | Annotated[CodeInterpreterToolCallDelta, Tag("code_interpreter")]
    | Annotated[FileSearchToolCallDelta, Tag("file_search")]
    | Annotated[RetrievalToolCallDelta, Tag("retrieval")]
    | Annotated[UnknownToolCallDelta, Tag(UNKNOWN_TAG)],
    Discriminator(tag_by_type(*TOOL_CALL_TYPES)),
]


class MessageCreationDelta(HarnessModel):
    type: str | None = None
    message_creation: MessageCreation | None = None


class ToolCallsDelta(HarnessModel):
    type: str | None = None
    tool_calls: list[ToolCallDelta] | None = None


class UnknownStepDetailsDelta(HarnessModel):
    generic = True
    type: str | None = None


StepDetailsDelta: TypeAlias = Annotated[
    Annotated[MessageCreationDelta, Tag("message_creation")]
    | Annotated[ToolCallsDelta, Tag("tool_calls")]
    | Annotated[UnknownStepDetailsDelta, Tag(UNKNOWN_TAG)],
    Discriminator(tag_by_type("message_creation", "tool_calls")),
]


class RunStepDelta(HarnessModel):
    step_details: StepDetailsDelta | None = None


class RunStepDeltaEvent(HarnessModel):
    """Data of ``thread.run.step.delta``."""

    id: str | None = None
    object: str | None = None
    delta: RunStepDelta | None = None
