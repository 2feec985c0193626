"""Request bodies of the four streaming calls (``"stream": true``).

* ``POST /threads/{thread_id}/runs``: :class:`RunCreateParams` (the reference's ``RunCreateAndStreamParams``).
* ``POST /threads/runs``: :class:`ThreadCreateAndRunParams`.
* ``POST /threads/{thread_id}/runs/{run_id}/submit_tool_outputs``: :class:`SubmitToolOutputsParams`.

Path and query parameters (``thread_id``, ``include[]``) are not part of a body.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeAlias

from pydantic import Discriminator, Tag

from harness.models._base import UNKNOWN_TAG, HarnessModel, tag_by_type
from harness.models.common import Metadata, Number
from harness.models.message import Attachment, ImageFile, ImageURL
from harness.models.run import TruncationStrategy
from harness.models.tools import ResponseFormat, Tool, ToolChoice


class TextContentPart(HarnessModel):
    type: str | None = None
    text: str | None = None


class ImageFileContentPart(HarnessModel):
    type: str | None = None
    image_file: ImageFile | None = None


class ImageURLContentPart(HarnessModel):
    type: str | None = None
    image_url: ImageURL | None = None


class UnknownContentPart(HarnessModel):
    generic = True
    type: str | None = None


ContentPart: TypeAlias = Annotated[
    Annotated[TextContentPart, Tag("text")]
    | Annotated[ImageFileContentPart, Tag("image_file")]
    | Annotated[ImageURLContentPart, Tag("image_url")]
    | Annotated[UnknownContentPart, Tag(UNKNOWN_TAG)],
    Discriminator(tag_by_type("text", "image_file", "image_url")),
]


class MessageParam(HarnessModel):
    """A message to add: ``additional_messages`` of a run, ``thread.messages`` of a new thread."""

    role: str | None = None
    content: str | list[ContentPart] | None = None
    attachments: list[Attachment] | None = None
    metadata: Metadata | None = None


class CodeInterpreterResourcesParam(HarnessModel):
    file_ids: list[str] | None = None


class FileSearchResourcesParam(HarnessModel):
    vector_store_ids: list[str] | None = None
    # New vector stores to create with the thread (chunking strategy, file ids, metadata).
    vector_stores: list[dict[str, Any]] | None = None


class ToolResourcesParam(HarnessModel):
    code_interpreter: CodeInterpreterResourcesParam | None = None
    file_search: FileSearchResourcesParam | None = None


class ThreadParam(HarnessModel):
    messages: list[MessageParam] | None = None
    metadata: Metadata | None = None
    tool_resources: ToolResourcesParam | None = None


class _RunOptions(HarnessModel):
    """Options both run-creating bodies share."""

    assistant_id: str | None = None
    model: str | None = None
    instructions: str | None = None
    tools: list[Tool] | None = None
    metadata: Metadata | None = None
    temperature: Number | None = None
    top_p: Number | None = None
    stream: bool | None = None
    max_prompt_tokens: int | None = None
    max_completion_tokens: int | None = None
    truncation_strategy: TruncationStrategy | None = None
    tool_choice: str | ToolChoice | None = None
    parallel_tool_calls: bool | None = None
    response_format: str | ResponseFormat | None = None


class RunCreateParams(_RunOptions):
    """Body of a create-run call; with ``stream: true`` the reference's ``RunCreateAndStreamParams``."""

    additional_instructions: str | None = None
    additional_messages: list[MessageParam] | None = None
    reasoning_effort: str | None = None


class ThreadCreateAndRunParams(_RunOptions):
    thread: ThreadParam | None = None
    tool_resources: ToolResourcesParam | None = None


class ToolOutput(HarnessModel):
    tool_call_id: str | None = None
    output: str | None = None


class SubmitToolOutputsParams(HarnessModel):
    tool_outputs: list[ToolOutput] | None = None
    stream: bool | None = None
