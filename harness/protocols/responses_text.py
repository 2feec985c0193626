"""The final objects of a Responses conversation as ``harness inspect`` shows them, after the timeline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from harness.protocols.base import preview as short


def object_lines(transcript: Any) -> list[str]:
    response = transcript.final_response
    if response is None:
        return ["response: none"]
    others = len(transcript.responses) - 1
    lines = [
        f"response {response.get('id')}: {response.get('status')}  model {response.get('model')}"
        + (f"  (+{others} other responses)" if others > 0 else "")
    ]
    usage = response.get("usage")
    if isinstance(usage, dict):
        lines.append(
            f"  usage: input {usage.get('input_tokens')}, output {usage.get('output_tokens')}, "
            f"total {usage.get('total_tokens')}"
        )
    for key in ("incomplete_details", "error"):
        if response.get(key):
            lines.append(f"  {key}: {json.dumps(response[key], ensure_ascii=False)}")
    output = response.get("output") or []
    lines.append(f"output ({len(output)}):")
    for position, item in enumerate(output):
        if isinstance(item, dict):
            lines.extend(_item_lines(position, item))
    return lines


def _item_lines(position: int, item: dict[str, Any]) -> Iterator[str]:
    kind = item.get("type")
    head = f"  [{position}] {item.get('id')}  {kind}  {item.get('status') or ''}".rstrip()
    if kind in ("function_call", "mcp_call", "custom_tool_call"):
        arguments = item.get("arguments", item.get("input"))
        yield f"{head}  {item.get('call_id') or ''} {item.get('name')}({arguments})".rstrip()
        return
    yield head
    for part in item.get("content") or []:
        if isinstance(part, dict):
            text = part.get("text", part.get("refusal"))
            annotations = part.get("annotations") or []
            extra = f"  (+{len(annotations)} annotations)" if annotations else ""
            yield f"    {part.get('type')} {short(str(text), 200)}{extra}"
    for part in item.get("summary") or []:
        if isinstance(part, dict):
            yield f"    summary {short(str(part.get('text')), 200)}"
    if isinstance(item.get("code"), str):
        yield f"    code {short(item['code'], 200)}"
    action = item.get("action")
    if isinstance(action, dict):
        yield f"    action {json.dumps(action, ensure_ascii=False)}"
