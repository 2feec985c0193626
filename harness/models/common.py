"""Small shapes several objects share: token usage, errors, incomplete details, tool resources."""

from __future__ import annotations

from typing import Any, TypeAlias

from harness.models._base import HarnessModel

#: A JSON number as sent: ints stay ints, floats stay floats (strict validation never converts).
Number: TypeAlias = int | float
#: ``metadata``: the reference says up to 16 string pairs; kept as any JSON object.
Metadata: TypeAlias = dict[str, Any]


class PromptTokenDetails(HarnessModel):
    """``usage.prompt_token_details`` (sic, singular "token"), sent by the API since 2025; not in the SDK."""

    cached_tokens: int | None = None


class CompletionTokensDetails(HarnessModel):
    """``usage.completion_tokens_details``, sent by the API since 2025; not in the SDK."""

    reasoning_tokens: int | None = None


class Usage(HarnessModel):
    """Token usage of a run or a run step (``null`` until terminal)."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None
    prompt_token_details: PromptTokenDetails | None = None
    completion_tokens_details: CompletionTokensDetails | None = None


class LastError(HarnessModel):
    """``last_error`` of a run or a run step."""

    code: str | None = None
    message: str | None = None


class CodeInterpreterResources(HarnessModel):
    file_ids: list[str] | None = None


class FileSearchResources(HarnessModel):
    vector_store_ids: list[str] | None = None


class ToolResources(HarnessModel):
    """``tool_resources`` of a run (v2, not in the SDK's ``Run``) or a thread."""

    code_interpreter: CodeInterpreterResources | None = None
    file_search: FileSearchResources | None = None
