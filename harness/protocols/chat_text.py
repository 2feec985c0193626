"""The final objects of a Chat Completions conversation as ``harness inspect`` shows them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness.protocols.base import preview as short


def object_lines(transcript: Any) -> list[str]:
    completion = transcript.final_completion
    if completion is None:
        return ["completion: none"]
    others = len(transcript.completions) - 1
    lines = [
        f"completion {completion.get('id')}: model {completion.get('model')}"
        + (f"  (+{others} other completions)" if others > 0 else "")
    ]
    usage = completion.get("usage")
    if isinstance(usage, dict):
        lines.append(
            f"  usage: prompt {usage.get('prompt_tokens')}, completion {usage.get('completion_tokens')}, "
            f"total {usage.get('total_tokens')}"
        )
    choices = completion.get("choices") or []
    lines.append(f"choices ({len(choices)}):")
    for choice in choices:
        lines.extend(_choice_lines(choice))
    return lines


def _choice_lines(choice: dict[str, Any]) -> Iterator[str]:
    message = choice.get("message") or {}
    yield f"  [{choice.get('index')}] {choice.get('finish_reason')}"
    if message.get("content") is not None:
        yield f"    content {short(str(message['content']), 200)}"
    if message.get("refusal") is not None:
        yield f"    refusal {short(str(message['refusal']), 200)}"
    for call in message.get("tool_calls") or []:
        function = call.get("function") or {}
        yield f"    tool call {call.get('id')} {function.get('name')}({function.get('arguments')})"
    logprobs = choice.get("logprobs")
    if isinstance(logprobs, dict) and logprobs.get("content"):
        yield f"    logprobs: {len(logprobs['content'])} tokens"
