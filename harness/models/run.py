"""The ``thread.run`` object: the whole-run snapshot every ``thread.run.*`` event carries."""

from __future__ import annotations

from harness.models._base import HarnessModel
from harness.models.common import LastError, Metadata, Number, ToolResources, Usage
from harness.models.tools import ResponseFormat, Tool, ToolChoice

# Fields are declared in the order the API sends them, so ``to_json()`` of a
# real payload reproduces its ``data:`` line byte for byte.


class RunIncompleteDetails(HarnessModel):
    reason: str | None = None


class RequiredActionFunction(HarnessModel):
    name: str | None = None
    arguments: str | None = None


class RequiredActionToolCall(HarnessModel):
    id: str | None = None
    type: str | None = None
    function: RequiredActionFunction | None = None


class SubmitToolOutputs(HarnessModel):
    tool_calls: list[RequiredActionToolCall] | None = None


class RequiredAction(HarnessModel):
    type: str | None = None
    submit_tool_outputs: SubmitToolOutputs | None = None


class TruncationStrategy(HarnessModel):
    type: str | None = None
    last_messages: int | None = None


class Run(HarnessModel):
    """A run, with every field of the reference page plus the real ones it lacks.

    Beyond the reference: ``file_ids`` (assistants=v1), ``tool_resources``
    (v2) and ``reasoning_effort`` (2025 on). ``parallel_tool_calls`` is
    missing from runs recorded before mid-2024 and ``instructions`` is often
    ``null``; both load fine (see :func:`harness.models.reference_deviations`).
    """

    id: str | None = None
    object: str | None = None
    created_at: int | None = None
    assistant_id: str | None = None
    thread_id: str | None = None
    status: str | None = None
    started_at: int | None = None
    expires_at: int | None = None
    cancelled_at: int | None = None
    failed_at: int | None = None
    completed_at: int | None = None
    required_action: RequiredAction | None = None
    last_error: LastError | None = None
    model: str | None = None
    instructions: str | None = None
    tools: list[Tool] | None = None
    tool_resources: ToolResources | None = None
    file_ids: list[str] | None = None
    metadata: Metadata | None = None
    temperature: Number | None = None
    top_p: Number | None = None
    reasoning_effort: str | None = None
    max_completion_tokens: int | None = None
    max_prompt_tokens: int | None = None
    truncation_strategy: TruncationStrategy | None = None
    incomplete_details: RunIncompleteDetails | None = None
    usage: Usage | None = None
    response_format: str | ResponseFormat | None = None
    tool_choice: str | ToolChoice | None = None
    parallel_tool_calls: bool | None = None
