"""Every field the openai SDK knows exists in our models; the ones it lacks are listed here on purpose."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from openai.types.beta import (
    assistant_tool_choice,
    assistant_tool_choice_function,
    code_interpreter_tool,
    file_search_tool,
    function_tool,
    thread,
    thread_create_and_run_params,
)
from openai.types.beta.threads import (
    file_citation_annotation,
    file_citation_delta_annotation,
    file_path_annotation,
    file_path_delta_annotation,
    image_file,
    image_file_content_block,
    image_file_content_block_param,
    image_file_delta,
    image_file_delta_block,
    image_url,
    image_url_content_block,
    image_url_content_block_param,
    image_url_delta,
    image_url_delta_block,
    message,
    message_delta,
    message_delta_event,
    refusal_content_block,
    refusal_delta_block,
    required_action_function_tool_call,
    run,
    run_create_params,
    run_submit_tool_outputs_params,
    text,
    text_content_block,
    text_content_block_param,
    text_delta,
    text_delta_block,
)
from openai.types.beta.threads.runs import (
    code_interpreter_logs,
    code_interpreter_output_image,
    code_interpreter_tool_call,
    code_interpreter_tool_call_delta,
    file_search_tool_call,
    file_search_tool_call_delta,
    function_tool_call,
    function_tool_call_delta,
    message_creation_step_details,
    run_step,
    run_step_delta,
    run_step_delta_event,
    run_step_delta_message_delta,
    tool_call_delta_object,
    tool_calls_step_details,
)
from openai.types.shared import error_object, function_definition
from openai.types.shared import response_format_json_object as rf_json_object
from openai.types.shared import response_format_json_schema as rf_json_schema
from openai.types.shared import response_format_text as rf_text

import harness.models as ours
from harness.models import HarnessModel
from tests.support.installed_sdk import OPENAI_MAJOR

# (SDK type, our model). Several SDK types may map to one model (full object and delta share leaf shapes).
PAIRS: list[tuple[Any, type[HarnessModel]]] = [
    # Run
    (run.Run, ours.Run),
    (run.IncompleteDetails, ours.RunIncompleteDetails),
    (run.LastError, ours.LastError),
    (run.RequiredAction, ours.RequiredAction),
    (run.RequiredActionSubmitToolOutputs, ours.SubmitToolOutputs),
    (required_action_function_tool_call.RequiredActionFunctionToolCall, ours.RequiredActionToolCall),
    (required_action_function_tool_call.Function, ours.RequiredActionFunction),
    (run.TruncationStrategy, ours.TruncationStrategy),
    (run.Usage, ours.Usage),
    # Tools, tool choice, response format
    (function_tool.FunctionTool, ours.FunctionTool),
    (function_definition.FunctionDefinition, ours.FunctionDefinition),
    (code_interpreter_tool.CodeInterpreterTool, ours.CodeInterpreterTool),
    (file_search_tool.FileSearchTool, ours.FileSearchTool),
    (file_search_tool.FileSearch, ours.FileSearchOptions),
    (file_search_tool.FileSearchRankingOptions, ours.FileSearchRankingOptions),
    (assistant_tool_choice.AssistantToolChoice, ours.ToolChoice),
    (assistant_tool_choice_function.AssistantToolChoiceFunction, ours.ToolChoiceFunction),
    (rf_text.ResponseFormatText, ours.ResponseFormatText),
    (rf_json_object.ResponseFormatJSONObject, ours.ResponseFormatJSONObject),
    (rf_json_schema.ResponseFormatJSONSchema, ours.ResponseFormatJSONSchema),
    # Run steps
    (run_step.RunStep, ours.RunStep),
    (run_step.LastError, ours.LastError),
    (run_step.Usage, ours.Usage),
    (message_creation_step_details.MessageCreationStepDetails, ours.MessageCreationDetails),
    (message_creation_step_details.MessageCreation, ours.MessageCreation),
    (tool_calls_step_details.ToolCallsStepDetails, ours.ToolCallsDetails),
    (function_tool_call.FunctionToolCall, ours.FunctionToolCall),
    (function_tool_call.Function, ours.FunctionCall),
    (code_interpreter_tool_call.CodeInterpreterToolCall, ours.CodeInterpreterToolCall),
    (code_interpreter_tool_call.CodeInterpreter, ours.CodeInterpreterCall),
    (code_interpreter_tool_call.CodeInterpreterOutputLogs, ours.CodeInterpreterLogsOutput),
    (code_interpreter_tool_call.CodeInterpreterOutputImage, ours.CodeInterpreterImageOutput),
    (code_interpreter_tool_call.CodeInterpreterOutputImageImage, ours.CodeInterpreterImage),
    (file_search_tool_call.FileSearchToolCall, ours.FileSearchToolCall),
    (file_search_tool_call.FileSearch, ours.FileSearchCall),
    (file_search_tool_call.FileSearchRankingOptions, ours.FileSearchRankingOptions),
    (file_search_tool_call.FileSearchResult, ours.FileSearchResult),
    (file_search_tool_call.FileSearchResultContent, ours.FileSearchResultContent),
    # Run step deltas
    (run_step_delta_event.RunStepDeltaEvent, ours.RunStepDeltaEvent),
    (run_step_delta.RunStepDelta, ours.RunStepDelta),
    (run_step_delta_message_delta.RunStepDeltaMessageDelta, ours.MessageCreationDelta),
    (run_step_delta_message_delta.MessageCreation, ours.MessageCreation),
    (tool_call_delta_object.ToolCallDeltaObject, ours.ToolCallsDelta),
    (function_tool_call_delta.FunctionToolCallDelta, ours.FunctionToolCallDelta),
    (function_tool_call_delta.Function, ours.FunctionCall),
    (code_interpreter_tool_call_delta.CodeInterpreterToolCallDelta, ours.CodeInterpreterToolCallDelta),
    (code_interpreter_tool_call_delta.CodeInterpreter, ours.CodeInterpreterCall),
    (code_interpreter_logs.CodeInterpreterLogs, ours.CodeInterpreterLogsOutput),
    (code_interpreter_output_image.CodeInterpreterOutputImage, ours.CodeInterpreterImageOutput),
    (code_interpreter_output_image.Image, ours.CodeInterpreterImage),
    (file_search_tool_call_delta.FileSearchToolCallDelta, ours.FileSearchToolCallDelta),
    # Messages
    (message.Message, ours.Message),
    (message.Attachment, ours.Attachment),
    (message.IncompleteDetails, ours.MessageIncompleteDetails),
    (text_content_block.TextContentBlock, ours.TextContent),
    (text.Text, ours.Text),
    (file_citation_annotation.FileCitationAnnotation, ours.FileCitationAnnotation),
    (file_citation_annotation.FileCitation, ours.FileCitation),
    (file_path_annotation.FilePathAnnotation, ours.FilePathAnnotation),
    (file_path_annotation.FilePath, ours.FilePath),
    (image_file_content_block.ImageFileContentBlock, ours.ImageFileContent),
    (image_file.ImageFile, ours.ImageFile),
    (image_url_content_block.ImageURLContentBlock, ours.ImageURLContent),
    (image_url.ImageURL, ours.ImageURL),
    (refusal_content_block.RefusalContentBlock, ours.RefusalContent),
    # Message deltas
    (message_delta_event.MessageDeltaEvent, ours.MessageDeltaEvent),
    (message_delta.MessageDelta, ours.MessageDelta),
    (text_delta_block.TextDeltaBlock, ours.TextDeltaBlock),
    (text_delta.TextDelta, ours.TextDelta),
    (file_citation_delta_annotation.FileCitationDeltaAnnotation, ours.FileCitationDeltaAnnotation),
    (file_citation_delta_annotation.FileCitation, ours.FileCitation),
    (file_path_delta_annotation.FilePathDeltaAnnotation, ours.FilePathDeltaAnnotation),
    (file_path_delta_annotation.FilePath, ours.FilePath),
    (image_file_delta_block.ImageFileDeltaBlock, ours.ImageFileDeltaBlock),
    (image_file_delta.ImageFileDelta, ours.ImageFile),
    (image_url_delta_block.ImageURLDeltaBlock, ours.ImageURLDeltaBlock),
    (image_url_delta.ImageURLDelta, ours.ImageURL),
    (refusal_delta_block.RefusalDeltaBlock, ours.RefusalDeltaBlock),
    # Thread
    (thread.Thread, ours.Thread),
    (thread.ToolResources, ours.ToolResources),
    (thread.ToolResourcesCodeInterpreter, ours.CodeInterpreterResources),
    (thread.ToolResourcesFileSearch, ours.FileSearchResources),
    # Error
    (error_object.ErrorObject, ours.ErrorObject),
    # Request bodies (TypedDicts)
    (run_create_params.RunCreateParamsStreaming, ours.RunCreateParams),
    (run_create_params.AdditionalMessage, ours.MessageParam),
    (run_create_params.AdditionalMessageAttachment, ours.Attachment),
    (run_create_params.TruncationStrategy, ours.TruncationStrategy),
    (text_content_block_param.TextContentBlockParam, ours.TextContentPart),
    (image_file_content_block_param.ImageFileContentBlockParam, ours.ImageFileContentPart),
    (image_url_content_block_param.ImageURLContentBlockParam, ours.ImageURLContentPart),
    (thread_create_and_run_params.ThreadCreateAndRunParamsStreaming, ours.ThreadCreateAndRunParams),
    (thread_create_and_run_params.Thread, ours.ThreadParam),
    (thread_create_and_run_params.ThreadMessage, ours.MessageParam),
    (thread_create_and_run_params.ThreadMessageAttachment, ours.Attachment),
    (thread_create_and_run_params.ThreadToolResources, ours.ToolResourcesParam),
    (thread_create_and_run_params.ThreadToolResourcesCodeInterpreter, ours.CodeInterpreterResourcesParam),
    (thread_create_and_run_params.ThreadToolResourcesFileSearch, ours.FileSearchResourcesParam),
    (thread_create_and_run_params.ToolResources, ours.ToolResourcesParam),
    (thread_create_and_run_params.TruncationStrategy, ours.TruncationStrategy),
    (run_submit_tool_outputs_params.RunSubmitToolOutputsParamsStreaming, ours.SubmitToolOutputsParams),
    (run_submit_tool_outputs_params.ToolOutput, ours.ToolOutput),
]

# SDK parameters that travel in the URL, not in a request body.
NOT_IN_BODY: dict[type[HarnessModel], set[str]] = {
    ours.RunCreateParams: {"include"},  # query: include[]
    ours.SubmitToolOutputsParams: {"thread_id"},  # path
}

# Known real fields the SDK lacks (seen in the corpus unless noted), and fields a shared
# model carries because it serves both a full object and its delta.
SDK_LACKS: dict[type[HarnessModel], set[str]] = {
    ours.Run: {"file_ids", "tool_resources", "reasoning_effort"},  # v1; v2; 2025 on
    ours.Usage: {"prompt_token_details", "completion_tokens_details"},  # 2025 on, "token" singular as sent
    ours.RunStep: {"expires_at"},  # the SDK only has expired_at
    ours.Message: {"file_ids"},  # v1
    ours.FileSearchResult: {"attributes"},
    ours.FileSearchRankingOptions: {"hybrid_search"},  # null in the run's tools
}

# Fields our models take from openai 3.x that older releases do not declare yet.
NEWER_THAN_THE_SDK: dict[type[HarnessModel], set[str]] = (
    {} if OPENAI_MAJOR >= 3 else {ours.ErrorObject: {"misalignment"}}
)

# Ours only: no SDK type to compare with.
NO_SDK_COUNTERPART = {
    ours.ErrorPayload,  # the `{"error": {...}}` wrapper the SDK's stream reader unwraps
    ours.PromptTokenDetails,
    ours.CompletionTokensDetails,
    ours.RetrievalTool,
    ours.RetrievalToolCall,
    ours.RetrievalToolCallDelta,  # assistants=v1
}


def sdk_fields(sdk_type: Any) -> set[str]:
    fields = getattr(sdk_type, "model_fields", None)
    if fields is not None:  # a pydantic model: compare wire names
        return {info.alias or name for name, info in fields.items()}
    return set(sdk_type.__required_keys__ | sdk_type.__optional_keys__)  # a TypedDict


def by_model() -> dict[type[HarnessModel], set[str]]:
    union: dict[type[HarnessModel], set[str]] = {}
    for sdk_type, model in PAIRS:
        union.setdefault(model, set()).update(sdk_fields(sdk_type))
    return union


@pytest.mark.parametrize(("sdk_type", "model"), PAIRS, ids=lambda value: getattr(value, "__qualname__", ""))
def test_every_sdk_field_exists_in_our_model(sdk_type: Any, model: type[HarnessModel]) -> None:
    missing = sdk_fields(sdk_type) - set(model.model_fields) - NOT_IN_BODY.get(model, set())
    assert not missing, f"{model.__name__} lacks SDK fields {sorted(missing)}"


def test_our_extra_fields_are_exactly_the_listed_ones() -> None:
    extra = {}
    for model, fields in by_model().items():
        mine = set(model.model_fields) - fields
        if mine:
            extra[model] = mine
    extra.pop(ours.FileCitation, None)  # `quote`: the delta type has it, the full one does not
    expected = {
        model: SDK_LACKS.get(model, set()) | NEWER_THAN_THE_SDK.get(model, set())
        for model in SDK_LACKS.keys() | NEWER_THAN_THE_SDK.keys()
    }
    assert extra == expected


def test_every_model_is_compared_or_explained() -> None:
    exported = {
        value
        for value in vars(ours).values()
        if inspect.isclass(value) and issubclass(value, HarnessModel) and value is not HarnessModel
    }
    compared = {model for _, model in PAIRS}
    generic = {model for model in exported if model.generic}
    assert exported - compared - generic - NO_SDK_COUNTERPART == set()


def test_the_known_extras_really_occur_in_the_corpus() -> None:
    from .corpus import CORPUS_DIR

    text = "".join(path.read_text() for path in CORPUS_DIR.glob("*.sse"))
    for names in SDK_LACKS.values():
        for name in names:
            assert f'"{name}":' in text, name
