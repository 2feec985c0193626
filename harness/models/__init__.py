"""Typed, lenient, lossless models of run-stream payloads and streaming request bodies.

Every model keeps unknown keys and never coerces a value, so
``Model.model_validate(value).to_dict() == value`` for any JSON object a
server sends; loading never fails on a field. What differs from the
reference is reported, not raised: see :func:`diagnose`.

    >>> from harness.models import Run, diagnose
    >>> run = Run.model_validate({"id": "run_1", "object": "thread.run", "status": "done", "x": 1})
    >>> run.status, run.to_dict()["x"]
    ('done', 1)
    >>> [d.code for d in diagnose(run)][:2]
    ['unknown-field', 'reference-deviation']

For server-sent events use :func:`typed_event` / :func:`typed_events`.
"""

from harness.models._base import HarnessModel
from harness.models.common import (
    CodeInterpreterResources,
    CompletionTokensDetails,
    FileSearchResources,
    LastError,
    Metadata,
    Number,
    PromptTokenDetails,
    ToolResources,
    Usage,
)
from harness.models.conformance import (
    REFERENCE,
    REFERENCE_DEVIATION,
    UNKNOWN_FIELD,
    UNKNOWN_TYPE,
    Reference,
    diagnose,
    reference_deviations,
    unknown_fields,
    walk,
)
from harness.models.deltas import (
    AnnotationDelta,
    CodeInterpreterToolCallDelta,
    FileCitationDeltaAnnotation,
    FilePathDeltaAnnotation,
    FileSearchToolCallDelta,
    FunctionToolCallDelta,
    ImageFileDeltaBlock,
    ImageURLDeltaBlock,
    MessageContentDelta,
    MessageCreationDelta,
    MessageDelta,
    MessageDeltaEvent,
    RefusalDeltaBlock,
    RetrievalToolCallDelta,
    RunStepDelta,
    RunStepDeltaEvent,
    StepDetailsDelta,
    TextDelta,
    TextDeltaBlock,
    ToolCallDelta,
    ToolCallsDelta,
    UnknownContentDelta,
    UnknownDeltaAnnotation,
    UnknownStepDetailsDelta,
    UnknownToolCallDelta,
)
from harness.models.errors import ErrorObject, ErrorPayload
from harness.models.events import (
    EVENT_PAYLOADS,
    INVALID_JSON,
    MALFORMED_DONE,
    STATUS_MISMATCH,
    UNEXPECTED_PAYLOAD,
    UNKNOWN_EVENT,
    EventKind,
    TypedEvent,
    payload_model,
    typed_event,
    typed_events,
)
from harness.models.message import (
    Annotation,
    Attachment,
    FileCitation,
    FileCitationAnnotation,
    FilePath,
    FilePathAnnotation,
    ImageFile,
    ImageFileContent,
    ImageURL,
    ImageURLContent,
    Message,
    MessageContent,
    MessageIncompleteDetails,
    RefusalContent,
    Text,
    TextContent,
    UnknownAnnotation,
    UnknownContent,
)
from harness.models.params import (
    CodeInterpreterResourcesParam,
    ContentPart,
    FileSearchResourcesParam,
    ImageFileContentPart,
    ImageURLContentPart,
    MessageParam,
    RunCreateParams,
    SubmitToolOutputsParams,
    TextContentPart,
    ThreadCreateAndRunParams,
    ThreadParam,
    ToolOutput,
    ToolResourcesParam,
    UnknownContentPart,
)
from harness.models.run import (
    RequiredAction,
    RequiredActionFunction,
    RequiredActionToolCall,
    Run,
    RunIncompleteDetails,
    SubmitToolOutputs,
    TruncationStrategy,
)
from harness.models.step import (
    CodeInterpreterCall,
    CodeInterpreterImage,
    CodeInterpreterImageOutput,
    CodeInterpreterLogsOutput,
    CodeInterpreterOutput,
    CodeInterpreterToolCall,
    FileSearchCall,
    FileSearchResult,
    FileSearchResultContent,
    FileSearchToolCall,
    FunctionCall,
    FunctionToolCall,
    MessageCreation,
    MessageCreationDetails,
    RetrievalToolCall,
    RunStep,
    StepDetails,
    ToolCall,
    ToolCallsDetails,
    UnknownCodeInterpreterOutput,
    UnknownStepDetails,
    UnknownToolCall,
)
from harness.models.thread import Thread
from harness.models.tools import (
    CodeInterpreterTool,
    FileSearchOptions,
    FileSearchRankingOptions,
    FileSearchTool,
    FunctionDefinition,
    FunctionTool,
    ResponseFormat,
    ResponseFormatJSONObject,
    ResponseFormatJSONSchema,
    ResponseFormatText,
    RetrievalTool,
    Tool,
    ToolChoice,
    ToolChoiceFunction,
    UnknownResponseFormat,
    UnknownTool,
)

#: Alias under the reference's name (the body of a streamed create-run call).
RunCreateAndStreamParams = RunCreateParams

__all__ = [
    "EVENT_PAYLOADS", "INVALID_JSON", "MALFORMED_DONE", "REFERENCE", "REFERENCE_DEVIATION",
    "STATUS_MISMATCH", "UNEXPECTED_PAYLOAD", "UNKNOWN_EVENT", "UNKNOWN_FIELD", "UNKNOWN_TYPE",
    "Annotation", "AnnotationDelta", "Attachment", "CodeInterpreterCall", "CodeInterpreterImage",
    "CodeInterpreterImageOutput", "CodeInterpreterLogsOutput", "CodeInterpreterOutput",
    "CodeInterpreterResources", "CodeInterpreterResourcesParam", "CodeInterpreterTool",
    "CodeInterpreterToolCall", "CodeInterpreterToolCallDelta", "CompletionTokensDetails", "ContentPart",
    "ErrorObject", "ErrorPayload", "EventKind", "FileCitation", "FileCitationAnnotation",
    "FileCitationDeltaAnnotation", "FilePath", "FilePathAnnotation", "FilePathDeltaAnnotation",
    "FileSearchCall", "FileSearchOptions", "FileSearchRankingOptions", "FileSearchResources",
    "FileSearchResourcesParam", "FileSearchResult", "FileSearchResultContent", "FileSearchTool",
    "FileSearchToolCall", "FileSearchToolCallDelta", "FunctionCall", "FunctionDefinition",
    "FunctionTool", "FunctionToolCall", "FunctionToolCallDelta", "HarnessModel", "ImageFile",
    "ImageFileContent", "ImageFileContentPart", "ImageFileDeltaBlock", "ImageURL", "ImageURLContent",
    "ImageURLContentPart", "ImageURLDeltaBlock", "LastError", "Message", "MessageContent",
    "MessageContentDelta", "MessageCreation", "MessageCreationDelta", "MessageCreationDetails",
    "MessageDelta", "MessageDeltaEvent", "MessageIncompleteDetails", "MessageParam", "Metadata",
    "Number", "PromptTokenDetails", "Reference", "RefusalContent", "RefusalDeltaBlock", "RequiredAction",
    "RequiredActionFunction", "RequiredActionToolCall", "ResponseFormat", "ResponseFormatJSONObject",
    "ResponseFormatJSONSchema", "ResponseFormatText", "RetrievalTool", "RetrievalToolCall",
    "RetrievalToolCallDelta", "Run", "RunCreateAndStreamParams", "RunCreateParams",
    "RunIncompleteDetails", "RunStep", "RunStepDelta", "RunStepDeltaEvent", "StepDetails",
    "StepDetailsDelta", "SubmitToolOutputs", "SubmitToolOutputsParams", "Text", "TextContent",
    "TextContentPart", "TextDelta", "TextDeltaBlock", "Thread", "ThreadCreateAndRunParams",
    "ThreadParam", "Tool", "ToolCall", "ToolCallDelta", "ToolCallsDelta", "ToolCallsDetails",
    "ToolChoice", "ToolChoiceFunction", "ToolOutput", "ToolResources", "ToolResourcesParam",
    "TruncationStrategy", "TypedEvent", "UnknownAnnotation", "UnknownCodeInterpreterOutput",
    "UnknownContent", "UnknownContentDelta", "UnknownContentPart", "UnknownDeltaAnnotation",
    "UnknownResponseFormat", "UnknownStepDetails", "UnknownStepDetailsDelta", "UnknownTool",
    "UnknownToolCall", "UnknownToolCallDelta", "Usage", "diagnose", "payload_model",
    "reference_deviations", "typed_event", "typed_events", "unknown_fields", "walk",
]
