"""Tool definitions, tool choice and response format, as a run (or a request body) carries them."""

from __future__ import annotations

from typing import Annotated, Any, TypeAlias

from pydantic import Discriminator, Tag

from harness.models._base import UNKNOWN_TAG, HarnessModel, tag_by_type
from harness.models.common import Number


class FunctionDefinition(HarnessModel):
    name: str | None = None
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class FunctionTool(HarnessModel):
    type: str | None = None
    function: FunctionDefinition | None = None


class CodeInterpreterTool(HarnessModel):
    type: str | None = None


class FileSearchRankingOptions(HarnessModel):
    """Ranking options of a file_search tool, and of a file_search call in a run step."""

    ranker: str | None = None
    score_threshold: Number | None = None
    hybrid_search: dict[str, Any] | None = None  # real runs send `null`; not in the SDK


class FileSearchOptions(HarnessModel):
    max_num_results: int | None = None
    ranking_options: FileSearchRankingOptions | None = None


class FileSearchTool(HarnessModel):
    type: str | None = None
    file_search: FileSearchOptions | None = None


class RetrievalTool(HarnessModel):
    """The assistants=v1 ``{"type": "retrieval"}`` tool (replaced by file_search in v2)."""

    type: str | None = None


class UnknownTool(HarnessModel):
    """A tool whose ``type`` the reference does not list; every key is kept."""

    generic = True
    type: str | None = None


Tool: TypeAlias = Annotated[
    Annotated[FunctionTool, Tag("function")]
    | Annotated[CodeInterpreterTool, Tag("code_interpreter")]
    | Annotated[FileSearchTool, Tag("file_search")]
    | Annotated[RetrievalTool, Tag("retrieval")]
    | Annotated[UnknownTool, Tag(UNKNOWN_TAG)],
    Discriminator(tag_by_type("function", "code_interpreter", "file_search", "retrieval")),
]


class ToolChoiceFunction(HarnessModel):
    name: str | None = None


class ToolChoice(HarnessModel):
    """The object form of ``tool_choice`` (the string form is ``none`` / ``auto`` / ``required``)."""

    type: str | None = None
    function: ToolChoiceFunction | None = None


class ResponseFormatText(HarnessModel):
    type: str | None = None


class ResponseFormatJSONObject(HarnessModel):
    type: str | None = None


class ResponseFormatJSONSchema(HarnessModel):
    type: str | None = None
    # Kept as a plain object: its key `schema` would shadow a pydantic method name.
    json_schema: dict[str, Any] | None = None


class UnknownResponseFormat(HarnessModel):
    generic = True
    type: str | None = None


ResponseFormat: TypeAlias = Annotated[
    Annotated[ResponseFormatText, Tag("text")]
    | Annotated[ResponseFormatJSONObject, Tag("json_object")]
    | Annotated[ResponseFormatJSONSchema, Tag("json_schema")]
    | Annotated[UnknownResponseFormat, Tag(UNKNOWN_TAG)],
    Discriminator(tag_by_type("text", "json_object", "json_schema")),
]
