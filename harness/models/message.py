"""The ``thread.message`` object and its content parts and annotations.

The leaf objects (``FileCitation``, ``FilePath``, ``ImageFile``, ``ImageURL``)
are shared with the message deltas in :mod:`harness.models.deltas`.
"""

from __future__ import annotations

from typing import Annotated, TypeAlias

from pydantic import Discriminator, Tag

from harness.models._base import UNKNOWN_TAG, HarnessModel, tag_by_type
from harness.models.common import Metadata
from harness.models.tools import Tool


class FileCitation(HarnessModel):
    file_id: str | None = None
    quote: str | None = None  # deltas and assistants=v1 only


class FilePath(HarnessModel):
    file_id: str | None = None


class FileCitationAnnotation(HarnessModel):
    type: str | None = None
    text: str | None = None
    start_index: int | None = None
    end_index: int | None = None
    file_citation: FileCitation | None = None


class FilePathAnnotation(HarnessModel):
    type: str | None = None
    text: str | None = None
    start_index: int | None = None
    end_index: int | None = None
    file_path: FilePath | None = None


class UnknownAnnotation(HarnessModel):
    generic = True
    type: str | None = None


Annotation: TypeAlias = Annotated[
    Annotated[FileCitationAnnotation, Tag("file_citation")]
    | Annotated[FilePathAnnotation, Tag("file_path")]
    | Annotated[UnknownAnnotation, Tag(UNKNOWN_TAG)],
    Discriminator(tag_by_type("file_citation", "file_path")),
]


class Text(HarnessModel):
    value: str | None = None
    annotations: list[Annotation] | None = None


class ImageFile(HarnessModel):
    file_id: str | None = None
    detail: str | None = None


class ImageURL(HarnessModel):
    url: str | None = None
    detail: str | None = None


class TextContent(HarnessModel):
    type: str | None = None
    text: Text | None = None


class ImageFileContent(HarnessModel):
    type: str | None = None
    image_file: ImageFile | None = None


class ImageURLContent(HarnessModel):
    type: str | None = None
    image_url: ImageURL | None = None


class RefusalContent(HarnessModel):
    type: str | None = None
    refusal: str | None = None


class UnknownContent(HarnessModel):
    generic = True
    type: str | None = None


CONTENT_TYPES = ("text", "image_file", "image_url", "refusal")

MessageContent: TypeAlias = Annotated[
    Annotated[TextContent, Tag("text")]
    | Annotated[ImageFileContent, Tag("image_file")]
    | Annotated[ImageURLContent, Tag("image_url")]
    | Annotated[RefusalContent, Tag("refusal")]
    | Annotated[UnknownContent, Tag(UNKNOWN_TAG)],
    Discriminator(tag_by_type(*CONTENT_TYPES)),
]


class Attachment(HarnessModel):
    file_id: str | None = None
    tools: list[Tool] | None = None


class MessageIncompleteDetails(HarnessModel):
    reason: str | None = None


class Message(HarnessModel):
    """A message. assistants=v1 messages carry ``file_ids`` where v2 ones carry ``attachments``."""

    id: str | None = None
    object: str | None = None
    created_at: int | None = None
    assistant_id: str | None = None
    thread_id: str | None = None
    run_id: str | None = None
    status: str | None = None
    incomplete_details: MessageIncompleteDetails | None = None
    incomplete_at: int | None = None
    completed_at: int | None = None
    role: str | None = None
    content: list[MessageContent] | None = None
    attachments: list[Attachment] | None = None
    file_ids: list[str] | None = None
    metadata: Metadata | None = None
