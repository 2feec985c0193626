"""Builders of the JSON objects the API returns, with the keys in the real API's order.

Shapes follow the newest captures (assistants=v2, late 2025): for example run
steps carry ``expires_at`` and no ``metadata``, usage objects carry
``prompt_token_details`` (sic) and ``completion_tokens_details``.
"""

from __future__ import annotations

from typing import Any

JsonObject = dict[str, Any]

RUN_LIFETIME_SECONDS = 600

# Stream events show these message fields; the REST endpoints leave them out.
_STREAM_ONLY_MESSAGE_KEYS = ("status", "incomplete_details", "incomplete_at", "completed_at")


def assistant(
    *,
    assistant_id: str,
    created_at: int,
    model: str,
    name: str | None = None,
    description: str | None = None,
    instructions: str | None = None,
    tools: list[JsonObject] | None = None,
    tool_resources: JsonObject | None = None,
    metadata: dict[str, str] | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    reasoning_effort: str | None = None,
    response_format: Any = None,
) -> JsonObject:
    return {
        "id": assistant_id,
        "object": "assistant",
        "created_at": created_at,
        "name": name,
        "description": description,
        "model": model,
        "instructions": instructions,
        "tools": [normalize_tool(tool) for tool in tools or []],
        "top_p": 1.0 if top_p is None else float(top_p),
        "temperature": 1.0 if temperature is None else float(temperature),
        "reasoning_effort": reasoning_effort,
        "tool_resources": normalize_tool_resources(tool_resources),
        "metadata": dict(metadata or {}),
        "response_format": "auto" if response_format is None else response_format,
    }


def normalize_tool(tool: JsonObject) -> JsonObject:
    """A tool definition as the API echoes it back, with its defaults filled in."""
    kind = tool.get("type")
    if kind == "function":
        function = dict(tool.get("function") or {})
        echoed: JsonObject = {"name": function.get("name", "")}
        if "description" in function:
            echoed["description"] = function["description"]
        echoed["parameters"] = function.get("parameters", {"type": "object", "properties": {}})
        echoed["strict"] = bool(function.get("strict", False))
        return {"type": "function", "function": echoed}
    if kind == "file_search":
        options = dict((tool.get("file_search") or {}).get("ranking_options") or {})
        ranking = {
            "ranker": options.get("ranker", "default_2024_08_21"),
            "score_threshold": float(options.get("score_threshold", 0.0)),
            "hybrid_search": options.get("hybrid_search"),
        }
        return {"type": "file_search", "file_search": {"ranking_options": ranking}}
    return {"type": str(kind)}


def normalize_tool_resources(resources: JsonObject | None) -> JsonObject:
    out: JsonObject = {}
    for kind, value in (resources or {}).items():
        value = value or {}
        if kind == "code_interpreter":
            out[kind] = {"file_ids": list(value.get("file_ids", []))}
        elif kind == "file_search":
            out[kind] = {"vector_store_ids": list(value.get("vector_store_ids", []))}
    return out


def thread(
    *, thread_id: str, created_at: int, metadata: dict[str, str] | None, tool_resources: JsonObject | None
) -> JsonObject:
    return {
        "id": thread_id,
        "object": "thread",
        "created_at": created_at,
        "metadata": dict(metadata or {}),
        "tool_resources": normalize_tool_resources(tool_resources),
    }


def text_part(value: str, annotations: list[JsonObject] | None = None) -> JsonObject:
    return {"type": "text", "text": {"value": value, "annotations": list(annotations or [])}}


def user_content(content: Any) -> list[JsonObject]:
    """The ``content`` of a message the client wrote: a string or a list of parts."""
    if isinstance(content, str):
        return [text_part(content)]
    parts: list[JsonObject] = []
    for part in content or []:
        if part.get("type") == "text":
            parts.append(text_part(str(part.get("text", ""))))
        else:
            parts.append(dict(part))
    return parts


def message(
    *,
    message_id: str,
    created_at: int,
    thread_id: str,
    role: str,
    content: list[JsonObject],
    assistant_id: str | None = None,
    run_id: str | None = None,
    status: str = "completed",
    attachments: list[JsonObject] | None = None,
    metadata: dict[str, str] | None = None,
) -> JsonObject:
    return {
        "id": message_id,
        "object": "thread.message",
        "created_at": created_at,
        "assistant_id": assistant_id,
        "thread_id": thread_id,
        "run_id": run_id,
        "status": status,
        "incomplete_details": None,
        "incomplete_at": None,
        "completed_at": None,
        "role": role,
        "content": content,
        "attachments": list(attachments or []),
        "metadata": dict(metadata or {}),
    }


def rest_message(stored: JsonObject) -> JsonObject:
    """A message as the REST endpoints return it (no status fields, unlike stream events)."""
    return {key: value for key, value in stored.items() if key not in _STREAM_ONLY_MESSAGE_KEYS}


def run(
    *,
    run_id: str,
    created_at: int,
    assistant_id: str,
    thread_id: str,
    model: str,
    instructions: str | None,
    tools: list[JsonObject],
    tool_resources: JsonObject,
    metadata: dict[str, str],
    temperature: float,
    top_p: float,
    reasoning_effort: str | None,
    max_completion_tokens: int | None,
    max_prompt_tokens: int | None,
    truncation_strategy: JsonObject | None,
    response_format: Any,
    tool_choice: Any,
    parallel_tool_calls: bool,
) -> JsonObject:
    return {
        "id": run_id,
        "object": "thread.run",
        "created_at": created_at,
        "assistant_id": assistant_id,
        "thread_id": thread_id,
        "status": "queued",
        "started_at": None,
        "expires_at": created_at + RUN_LIFETIME_SECONDS,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "required_action": None,
        "last_error": None,
        "model": model,
        "instructions": instructions,
        "tools": tools,
        "tool_resources": tool_resources,
        "metadata": metadata,
        "temperature": temperature,
        "top_p": top_p,
        "reasoning_effort": reasoning_effort,
        "max_completion_tokens": max_completion_tokens,
        "max_prompt_tokens": max_prompt_tokens,
        "truncation_strategy": truncation_strategy or {"type": "auto", "last_messages": None},
        "incomplete_details": None,
        "usage": None,
        "response_format": response_format,
        "tool_choice": tool_choice,
        "parallel_tool_calls": parallel_tool_calls,
    }


def run_step(
    *,
    step_id: str,
    created_at: int,
    run: JsonObject,
    step_details: JsonObject,
) -> JsonObject:
    return {
        "id": step_id,
        "object": "thread.run.step",
        "created_at": created_at,
        "run_id": run["id"],
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "type": step_details["type"],
        "status": "in_progress",
        "cancelled_at": None,
        "completed_at": None,
        "expires_at": run["expires_at"],
        "failed_at": None,
        "last_error": None,
        "step_details": step_details,
        "usage": None,
    }


def usage(prompt_tokens: int, completion_tokens: int) -> JsonObject:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "prompt_token_details": {"cached_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 0},
    }


def add_usage(total: JsonObject | None, step_usage: JsonObject) -> JsonObject:
    if total is None:
        return usage(step_usage["prompt_tokens"], step_usage["completion_tokens"])
    return usage(
        total["prompt_tokens"] + step_usage["prompt_tokens"],
        total["completion_tokens"] + step_usage["completion_tokens"],
    )


def message_delta(message_id: str, content: list[JsonObject]) -> JsonObject:
    return {"id": message_id, "object": "thread.message.delta", "delta": {"content": content}}


def step_delta(step_id: str, tool_calls: list[JsonObject]) -> JsonObject:
    return {
        "id": step_id,
        "object": "thread.run.step.delta",
        "delta": {"step_details": {"type": "tool_calls", "tool_calls": tool_calls}},
    }


def page(items: list[JsonObject], has_more: bool = False) -> JsonObject:
    return {
        "object": "list",
        "data": items,
        "first_id": items[0]["id"] if items else None,
        "last_id": items[-1]["id"] if items else None,
        "has_more": has_more,
    }


def error_body(
    message: str, *, type_: str = "invalid_request_error", param: str | None = None, code: str | None = None
) -> JsonObject:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}
