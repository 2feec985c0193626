"""The text form of ``harness inspect``: a folded event timeline, then the final objects, then diagnostics."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from harness.reconstruct import Transcript
from harness.sse import ServerSentEvent

_FRAGMENT_KEYS = ("value", "arguments", "input", "logs", "output")
_PREVIEW = 40
_TEXT_PREVIEW = 200


def render_text(streams: list[list[ServerSentEvent]], transcript: Transcript) -> str:
    lines: list[str] = []
    for stream_index, events in enumerate(streams):
        lines.append(f"stream {stream_index}: {len(events)} events")
        lines.extend(f"  {line}" for line in _timeline(events))
    lines.append("")
    lines.extend(_run_lines(transcript))
    lines.extend(_step_lines(transcript.run_steps))
    lines.extend(_message_lines(transcript.messages))
    lines.append("")
    if transcript.diagnostics:
        lines.append(f"diagnostics ({len(transcript.diagnostics)}):")
        lines.extend(f"  {diagnostic}" for diagnostic in transcript.diagnostics)
    else:
        lines.append("diagnostics: none")
    return "\n".join(lines) + "\n"


def _payload(event: ServerSentEvent) -> dict[str, Any]:
    try:
        payload = json.loads(event.data)
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _fragments(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _FRAGMENT_KEYS and isinstance(value, str):
                yield value
            else:
                yield from _fragments(value)
    elif isinstance(node, list):
        for item in node:
            yield from _fragments(item)


def _short(text: str, limit: int = _PREVIEW) -> str:
    return json.dumps(text if len(text) <= limit else text[:limit] + "...", ensure_ascii=False)


def _timeline(events: list[ServerSentEvent]) -> Iterator[str]:
    position = 0
    while position < len(events):
        event = events[position]
        payload = _payload(event)
        object_id = payload.get("id") if isinstance(payload.get("id"), str) else None
        if event.event.endswith(".delta") and object_id:
            end = position + 1
            while (
                end < len(events)
                and events[end].event == event.event
                and _payload(events[end]).get("id") == object_id
            ):
                end += 1
            text = "".join(
                piece for e in events[position:end] for piece in _fragments(_payload(e).get("delta"))
            )
            span = f"#{position}" if end - position == 1 else f"#{position}-#{end - 1}"
            yield f"{span} {event.event} x{end - position} {object_id} +{_short(text)}"
            position = end
            continue
        detail = [object_id] if object_id else []
        if isinstance(payload.get("status"), str):
            detail.append(payload["status"])
        if event.event == "error" or (not payload and event.data != "[DONE]"):
            detail.append(_short(event.data))
        yield " ".join([f"#{position}", event.event, *detail])
        position += 1


def _run_lines(transcript: Transcript) -> Iterator[str]:
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
        result = f" -> {_short(output)}" if isinstance(output, str) else ""
        return f"{call.get('id')} function {body.get('name')}({body.get('arguments')}){result}"
    if kind == "code_interpreter":
        outputs = body.get("outputs") or []
        shown = ", ".join(
            _short(o.get("logs", ""))
            if o.get("type") == "logs"
            else f"image {(o.get('image') or {}).get('file_id')}"
            for o in outputs
            if isinstance(o, dict)
        )
        return f"{call.get('id')} code_interpreter input {_short(body.get('input') or '')} outputs [{shown}]"
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
                yield f"    {_short(str(text.get('value', '')), _TEXT_PREVIEW)}"
                for annotation in text.get("annotations") or []:
                    yield f"      [{annotation.get('type')}] {_short(str(annotation.get('text', '')))}"
            else:
                kind = part.get("type")
                yield f"    [{kind}] {json.dumps(part.get(kind), ensure_ascii=False)}"
