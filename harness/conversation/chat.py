"""The conversation of a Chat Completions cassette: messages, the first choice of each completion.

Every request resends the conversation so far; what an earlier request sent
and the reply it got are skipped, so that nothing counts twice. With ``n > 1``
the first choice is the conversation (the one a client sends back).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.cassette.model import Exchange
from harness.conversation.builder import (
    Final,
    ReadExchange,
    ViewBuilder,
    content_text,
    final_object,
    read_exchanges,
    unseen,
)
from harness.conversation.view import ConversationView

_FINISHED = {"stop": "completed", "length": "incomplete", "content_filter": "incomplete"}


def conversation(exchanges: Sequence[Exchange]) -> ConversationView:
    read = list(read_exchanges(exchanges, "chat.completions"))
    finals = _final_completions(read)
    builder = ViewBuilder("chat.completions")
    seen: set[Any] = set()  # the messages of the conversation so far, which every request resends
    status = "empty"
    for exchange, (final, errored) in zip(read, finals, strict=True):
        messages = exchange.body.get("messages")
        messages = messages if isinstance(messages, list) else []
        for message in unseen(messages, seen, _identity):
            _request_turn(builder, message)
        choice = _first_choice(final)
        reply = choice.get("message") or {}
        _reply_turns(builder, reply)
        seen |= {_identity(message) for message in [*messages, reply]}
        status = _status(errored, final, choice)
    return builder.view(status)


def _final_completions(read: list[ReadExchange]) -> list[Final]:
    """Each exchange's final object and whether its stream carried an error from the server."""
    return [final_object(exchange, "chat.completions", "chat.completion", "completions") for exchange in read]


def _identity(message: Any) -> Any:
    """What makes a message the same when the client sends it back (its dump may differ)."""
    if not isinstance(message, dict):
        return None
    calls = tuple(c.get("id") for c in message.get("tool_calls") or [] if isinstance(c, dict))
    return (message.get("role"), content_text(message.get("content")), message.get("tool_call_id"), calls)


def _first_choice(final: dict[str, Any] | None) -> dict[str, Any]:
    choices = [c for c in (final or {}).get("choices") or [] if isinstance(c, dict)]
    return min(choices, key=lambda c: c.get("index", 0) if isinstance(c.get("index"), int) else 0, default={})


def _request_turn(builder: ViewBuilder, message: Any) -> None:
    if not isinstance(message, dict):
        return
    role = message.get("role")
    if role == "tool":
        builder.output(str(message.get("tool_call_id")), content_text(message.get("content")))
    elif role == "assistant":
        _reply_turns(builder, message)
    elif role == "user":
        builder.message("user", content_text(message.get("content")))


def _reply_turns(builder: ViewBuilder, message: dict[str, Any]) -> None:
    builder.message("assistant", content_text(message.get("content")))
    if isinstance(message.get("refusal"), str):
        builder.refusal(message["refusal"])
    for call in message.get("tool_calls") or []:
        if isinstance(call, dict):
            function = call.get("function") or {}
            builder.call(str(call.get("id")), str(function.get("name", "")), function.get("arguments", ""))


def _status(errored: bool, final: dict[str, Any] | None, choice: dict[str, Any]) -> str:
    if errored:
        return "error"
    if final is None:
        return "empty"
    reason = choice.get("finish_reason")
    if reason == "tool_calls":
        return "requires_action"
    return _FINISHED.get(str(reason), "in_progress" if reason is None else str(reason))
