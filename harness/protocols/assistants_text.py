"""The final objects of an Assistants conversation as ``harness inspect`` shows them, after the timeline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from harness.protocols.base import preview as short

_TEXT_PREVIEW = 200


def object_lines(transcript: Any) -> list[str]:
    return [
        *_run_lines(transcript),
        *_step_lines(transcript.run_steps),
        *_message_lines(transcript.messages),
    ]


def _run_lines(transcript: Any) -> Iterator[str]:
    run = transcript.final_run
    if run is None:
        yield "run: none"
        return
    others = len(transcript.runs) - 1
    yield (
        f"run {run.get('id')}: {run.get('status')}  model {run.get('model')}"
        + (f"  (+{others} other runs)" if others > 0 else "")
    )
    usage = run.get("usage")
    if isinstance(usage, dict):
        yield (
            f"  usage: prompt {usage.get('prompt_tokens')}, completion {usage.get('completion_tokens')}, "
            f"total {usage.get('total_tokens')}"
        )
    action = run.get("required_action")
    if isinstance(action, dict):
        calls = (action.get("submit_tool_outputs") or {}).get("tool_calls") or []
        for call in calls:
            function = call.get("function") or {}
            yield f"  required action: {call.get('id')} {function.get('name')}({function.get('arguments')})"
    for key in ("last_error", "incomplete_details"):
        if run.get(key):
            yield f"  {key}: {json.dumps(run[key], ensure_ascii=False)}"


def _step_lines(steps: list[dict[str, Any]]) -> Iterator[str]:
    yield f"steps ({len(steps)}):"
    for step in steps:
        details = step.get("step_details") or {}
        yield f"  {step.get('id')}  {step.get('type')}  {step.get('status')}"
        creation = details.get("message_creation")
        if isinstance(creation, dict):
            yield f"    creates {creation.get('message_id')}"
        for call in details.get("tool_calls") or []:
            yield f"    {_describe_call(call)}"


def _describe_call(call: dict[str, Any]) -> str:
    kind = call.get("type")
    body = call.get(kind) if isinstance(kind, str) else None
    body = body if isinstance(body, dict) else {}
    if kind == "function":
        output = body.get("output")
        result = f" -> {short(output)}" if isinstance(output, str) else ""
        return f"{call.get('id')} function {body.get('name')}({body.get('arguments')}){result}"
    if kind == "code_interpreter":
        outputs = body.get("outputs") or []
        shown = ", ".join(
            short(o.get("logs", ""))
            if o.get("type") == "logs"
            else f"image {(o.get('image') or {}).get('file_id')}"
            for o in outputs
            if isinstance(o, dict)
        )
        return f"{call.get('id')} code_interpreter input {short(body.get('input') or '')} outputs [{shown}]"
    if kind == "file_search":
        return f"{call.get('id')} file_search {len(body.get('results') or [])} results"
    return f"{call.get('id')} {kind}"


def _message_lines(messages: list[dict[str, Any]]) -> Iterator[str]:
    yield f"messages ({len(messages)}):"
    for message in messages:
        yield f"  {message.get('id')}  {message.get('role')}  {message.get('status')}"
        for part in message.get("content") or []:
            if not isinstance(part, dict):
                continue
            if part.get("type") == "text":
                text = part.get("text") or {}
                yield f"    {short(str(text.get('value', '')), _TEXT_PREVIEW)}"
                for annotation in text.get("annotations") or []:
                    yield f"      [{annotation.get('type')}] {short(str(annotation.get('text', '')))}"
            else:
                kind = part.get("type")
                yield f"    [{kind}] {json.dumps(part.get(kind), ensure_ascii=False)}"
