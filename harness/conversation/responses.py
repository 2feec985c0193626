"""The conversation of a Responses API cassette: input items, output items, function call outputs.

A request that chains with ``previous_response_id`` sends only new input
items; one that does not resends the conversation so far (its earlier input
and the outputs it got), which is skipped so that nothing counts twice.
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


def conversation(exchanges: Sequence[Exchange]) -> ConversationView:
    read = [exchange for exchange in read_exchanges(exchanges, "responses") if not _retrieval(exchange)]
    finals = _final_responses(read)
    builder = ViewBuilder("responses")
    seen: set[Any] = set()  # the items of the conversation so far, which a client may resend
    status = "empty"
    for exchange, (final, errored) in zip(read, finals, strict=True):
        items = _input_items(exchange.body.get("input"))
        for item in unseen(items, seen, _identity):
            _input_turn(builder, item)
        output = (final or {}).get("output") or []
        for item in output:
            _output_turn(builder, item)
        seen |= {_identity(item) for item in [*items, *output]}
        status = _status(errored, final, output)
    return builder.view(status)


def _retrieval(exchange: ReadExchange) -> bool:
    """Retrieving a response (``GET /responses/{id}``) adds nothing to the conversation; a raw
    ``.sse`` body has no request to tell (its stand-in is ``GET /``) and is a turn like a POST."""
    return exchange.method == "GET" and "/responses/" in exchange.path


def _final_responses(read: list[ReadExchange]) -> list[Final]:
    """Each exchange's final object and whether its stream carried an error from the server."""
    return [final_object(exchange, "responses", "response", "responses") for exchange in read]


def _identity(item: Any) -> Any:
    """What makes an item the same when a client sends it back (its dump may add or drop fields)."""
    if not isinstance(item, dict):
        return None
    kind = item.get("type", "message")
    if kind in ("function_call", "function_call_output"):
        return (kind, item.get("call_id"))
    if kind == "message":
        return (kind, item.get("role"), content_text(item.get("content")))
    return (kind, item.get("id"))


def _input_items(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [{"role": "user", "content": value}]
    return list(value) if isinstance(value, list) else []


def _input_turn(builder: ViewBuilder, item: Any) -> None:
    if not isinstance(item, dict):
        return
    kind = item.get("type", "message")
    if kind == "message" and item.get("role") == "user":
        builder.message("user", content_text(item.get("content")))
    elif kind == "function_call_output":
        output = item.get("output")
        builder.output(str(item.get("call_id")), output if isinstance(output, str) else content_text(output))


def _output_turn(builder: ViewBuilder, item: Any) -> None:
    if not isinstance(item, dict):
        return
    if item.get("type") == "message":
        content = item.get("content") or []
        builder.message("assistant", content_text(content, ("output_text",)))
        for part in content:
            if isinstance(part, dict) and part.get("type") == "refusal":
                builder.refusal(str(part.get("refusal") or ""))
    elif item.get("type") == "function_call":
        builder.call(str(item.get("call_id")), str(item.get("name", "")), item.get("arguments", ""))


def _status(errored: bool, final: dict[str, Any] | None, output: list[Any]) -> str:
    if errored:
        return "error"
    if final is None:
        return "empty"
    status = str(final.get("status"))
    if status == "completed" and any(
        isinstance(i, dict) and i.get("type") == "function_call" for i in output
    ):
        return "requires_action"
    return status
