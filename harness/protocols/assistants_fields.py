"""Known fields of the Assistants objects, for the unknown-field check of reconstruction.

Generated from harness.models by ``python -m harness.models._fields_table``; do not edit.
Each model: ``generic`` (a catch-all for an unknown ``type``) and ``fields`` in declaration
order, each a spec: None (a leaf), a model name, ``["list", spec]``, ``["any", [specs]]``
(the first model fits an object) or ``["tagged", {type: model}]`` ('unknown': any
other type)."""

from typing import Any

ROOTS: dict[str, str] = {"run": "Run", "run step": "RunStep", "message": "Message", "thread": "Thread"}

MODELS: dict[str, Any] = {
    "Run": {
        "generic": False,
        "fields": {
            "id": None,
            "object": None,
            "created_at": None,
            "assistant_id": None,
            "thread_id": None,
            "status": None,
            "started_at": None,
            "expires_at": None,
            "cancelled_at": None,
            "failed_at": None,
            "completed_at": None,
            "required_action": "RequiredAction",
            "last_error": "LastError",
            "model": None,
            "instructions": None,
            "tools": [
                "list",
                [
                    "tagged",
                    {
                        "function": "FunctionTool",
                        "code_interpreter": "CodeInterpreterTool",
                        "file_search": "FileSearchTool",
                        "retrieval": "RetrievalTool",
                        "unknown": "UnknownTool",
                    },
                ],
            ],
            "tool_resources": "ToolResources",
            "file_ids": None,
            "metadata": None,
            "temperature": None,
            "top_p": None,
            "reasoning_effort": None,
            "max_completion_tokens": None,
            "max_prompt_tokens": None,
            "truncation_strategy": "TruncationStrategy",
            "incomplete_details": "RunIncompleteDetails",
            "usage": "Usage",
            "response_format": [
                "tagged",
                {
                    "text": "ResponseFormatText",
                    "json_object": "ResponseFormatJSONObject",
                    "json_schema": "ResponseFormatJSONSchema",
                    "unknown": "UnknownResponseFormat",
                },
            ],
            "tool_choice": "ToolChoice",
            "parallel_tool_calls": None,
        },
    },
    "RequiredAction": {
        "generic": False,
        "fields": {"type": None, "submit_tool_outputs": "SubmitToolOutputs"},
    },
    "SubmitToolOutputs": {"generic": False, "fields": {"tool_calls": ["list", "RequiredActionToolCall"]}},
    "RequiredActionToolCall": {
        "generic": False,
        "fields": {"id": None, "type": None, "function": "RequiredActionFunction"},
    },
    "RequiredActionFunction": {"generic": False, "fields": {"name": None, "arguments": None}},
    "LastError": {"generic": False, "fields": {"code": None, "message": None}},
    "FunctionTool": {"generic": False, "fields": {"type": None, "function": "FunctionDefinition"}},
    "FunctionDefinition": {
        "generic": False,
        "fields": {"name": None, "description": None, "parameters": None, "strict": None},
    },
    "CodeInterpreterTool": {"generic": False, "fields": {"type": None}},
    "FileSearchTool": {"generic": False, "fields": {"type": None, "file_search": "FileSearchOptions"}},
    "FileSearchOptions": {
        "generic": False,
        "fields": {"max_num_results": None, "ranking_options": "FileSearchRankingOptions"},
    },
    "FileSearchRankingOptions": {
        "generic": False,
        "fields": {"ranker": None, "score_threshold": None, "hybrid_search": None},
    },
    "RetrievalTool": {"generic": False, "fields": {"type": None}},
    "UnknownTool": {"generic": True, "fields": {"type": None}},
    "ToolResources": {
        "generic": False,
        "fields": {"code_interpreter": "CodeInterpreterResources", "file_search": "FileSearchResources"},
    },
    "CodeInterpreterResources": {"generic": False, "fields": {"file_ids": None}},
    "FileSearchResources": {"generic": False, "fields": {"vector_store_ids": None}},
    "TruncationStrategy": {"generic": False, "fields": {"type": None, "last_messages": None}},
    "RunIncompleteDetails": {"generic": False, "fields": {"reason": None}},
    "Usage": {
        "generic": False,
        "fields": {
            "prompt_tokens": None,
            "completion_tokens": None,
            "total_tokens": None,
            "prompt_token_details": "PromptTokenDetails",
            "completion_tokens_details": "CompletionTokensDetails",
        },
    },
    "PromptTokenDetails": {"generic": False, "fields": {"cached_tokens": None}},
    "CompletionTokensDetails": {"generic": False, "fields": {"reasoning_tokens": None}},
    "ResponseFormatText": {"generic": False, "fields": {"type": None}},
    "ResponseFormatJSONObject": {"generic": False, "fields": {"type": None}},
    "ResponseFormatJSONSchema": {"generic": False, "fields": {"type": None, "json_schema": None}},
    "UnknownResponseFormat": {"generic": True, "fields": {"type": None}},
    "ToolChoice": {"generic": False, "fields": {"type": None, "function": "ToolChoiceFunction"}},
    "ToolChoiceFunction": {"generic": False, "fields": {"name": None}},
    "RunStep": {
        "generic": False,
        "fields": {
            "id": None,
            "object": None,
            "created_at": None,
            "run_id": None,
            "assistant_id": None,
            "thread_id": None,
            "type": None,
            "status": None,
            "cancelled_at": None,
            "completed_at": None,
            "expires_at": None,
            "expired_at": None,
            "failed_at": None,
            "last_error": "LastError",
            "step_details": [
                "tagged",
                {
                    "message_creation": "MessageCreationDetails",
                    "tool_calls": "ToolCallsDetails",
                    "unknown": "UnknownStepDetails",
                },
            ],
            "usage": "Usage",
            "metadata": None,
        },
    },
    "MessageCreationDetails": {
        "generic": False,
        "fields": {"type": None, "message_creation": "MessageCreation"},
    },
    "MessageCreation": {"generic": False, "fields": {"message_id": None}},
    "ToolCallsDetails": {
        "generic": False,
        "fields": {
            "type": None,
            "tool_calls": [
                "list",
                [
                    "tagged",
                    {
                        "function": "FunctionToolCall",
                        "code_interpreter": "CodeInterpreterToolCall",
                        "file_search": "FileSearchToolCall",
                        "retrieval": "RetrievalToolCall",
                        "unknown": "UnknownToolCall",
                    },
                ],
            ],
        },
    },
    "FunctionToolCall": {"generic": False, "fields": {"id": None, "type": None, "function": "FunctionCall"}},
    "FunctionCall": {"generic": False, "fields": {"name": None, "arguments": None, "output": None}},
    "CodeInterpreterToolCall": {
        "generic": False,
        "fields": {"id": None, "type": None, "code_interpreter": "CodeInterpreterCall"},
    },
    "CodeInterpreterCall": {
        "generic": False,
        "fields": {
            "input": None,
            "outputs": [
                "list",
                [
                    "tagged",
                    {
                        "logs": "CodeInterpreterLogsOutput",
                        "image": "CodeInterpreterImageOutput",
                        "unknown": "UnknownCodeInterpreterOutput",
                    },
                ],
            ],
        },
    },
    "CodeInterpreterLogsOutput": {"generic": False, "fields": {"index": None, "type": None, "logs": None}},
    "CodeInterpreterImageOutput": {
        "generic": False,
        "fields": {"index": None, "type": None, "image": "CodeInterpreterImage"},
    },
    "CodeInterpreterImage": {"generic": False, "fields": {"file_id": None}},
    "UnknownCodeInterpreterOutput": {"generic": True, "fields": {"index": None, "type": None}},
    "FileSearchToolCall": {
        "generic": False,
        "fields": {"id": None, "type": None, "file_search": "FileSearchCall"},
    },
    "FileSearchCall": {
        "generic": False,
        "fields": {"ranking_options": "FileSearchRankingOptions", "results": ["list", "FileSearchResult"]},
    },
    "FileSearchResult": {
        "generic": False,
        "fields": {
            "file_id": None,
            "file_name": None,
            "score": None,
            "attributes": None,
            "content": ["list", "FileSearchResultContent"],
        },
    },
    "FileSearchResultContent": {"generic": False, "fields": {"type": None, "text": None}},
    "RetrievalToolCall": {"generic": False, "fields": {"id": None, "type": None, "retrieval": None}},
    "UnknownToolCall": {"generic": True, "fields": {"id": None, "type": None}},
    "UnknownStepDetails": {"generic": True, "fields": {"type": None}},
    "Message": {
        "generic": False,
        "fields": {
            "id": None,
            "object": None,
            "created_at": None,
            "assistant_id": None,
            "thread_id": None,
            "run_id": None,
            "status": None,
            "incomplete_details": "MessageIncompleteDetails",
            "incomplete_at": None,
            "completed_at": None,
            "role": None,
            "content": [
                "list",
                [
                    "tagged",
                    {
                        "text": "TextContent",
                        "image_file": "ImageFileContent",
                        "image_url": "ImageURLContent",
                        "refusal": "RefusalContent",
                        "unknown": "UnknownContent",
                    },
                ],
            ],
            "attachments": ["list", "Attachment"],
            "file_ids": None,
            "metadata": None,
        },
    },
    "MessageIncompleteDetails": {"generic": False, "fields": {"reason": None}},
    "TextContent": {"generic": False, "fields": {"type": None, "text": "Text"}},
    "Text": {
        "generic": False,
        "fields": {
            "value": None,
            "annotations": [
                "list",
                [
                    "tagged",
                    {
                        "file_citation": "FileCitationAnnotation",
                        "file_path": "FilePathAnnotation",
                        "unknown": "UnknownAnnotation",
                    },
                ],
            ],
        },
    },
    "FileCitationAnnotation": {
        "generic": False,
        "fields": {
            "type": None,
            "text": None,
            "start_index": None,
            "end_index": None,
            "file_citation": "FileCitation",
        },
    },
    "FileCitation": {"generic": False, "fields": {"file_id": None, "quote": None}},
    "FilePathAnnotation": {
        "generic": False,
        "fields": {
            "type": None,
            "text": None,
            "start_index": None,
            "end_index": None,
            "file_path": "FilePath",
        },
    },
    "FilePath": {"generic": False, "fields": {"file_id": None}},
    "UnknownAnnotation": {"generic": True, "fields": {"type": None}},
    "ImageFileContent": {"generic": False, "fields": {"type": None, "image_file": "ImageFile"}},
    "ImageFile": {"generic": False, "fields": {"file_id": None, "detail": None}},
    "ImageURLContent": {"generic": False, "fields": {"type": None, "image_url": "ImageURL"}},
    "ImageURL": {"generic": False, "fields": {"url": None, "detail": None}},
    "RefusalContent": {"generic": False, "fields": {"type": None, "refusal": None}},
    "UnknownContent": {"generic": True, "fields": {"type": None}},
    "Attachment": {
        "generic": False,
        "fields": {
            "file_id": None,
            "tools": [
                "list",
                [
                    "tagged",
                    {
                        "function": "FunctionTool",
                        "code_interpreter": "CodeInterpreterTool",
                        "file_search": "FileSearchTool",
                        "retrieval": "RetrievalTool",
                        "unknown": "UnknownTool",
                    },
                ],
            ],
        },
    },
    "Thread": {
        "generic": False,
        "fields": {
            "id": None,
            "object": None,
            "created_at": None,
            "metadata": None,
            "tool_resources": "ToolResources",
        },
    },
}
