"""The conversation of an Assistants run cassette: thread messages, run streams, tool outputs."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from harness.cassette.model import Exchange
from harness.conversation.builder import ReadExchange, ViewBuilder, content_text, read_exchanges
from harness.conversation.view import ConversationView
from harness.reconstruct import reconstruct

_THREAD = re.compile(r".*/threads")
_THREAD_MESSAGE = re.compile(r".*/threads/[^/]+/messages")
_THREAD_AND_RUN = re.compile(r".*/threads/runs")
_RUN = re.compile(r".*/threads/[^/]+/runs")
_TOOL_OUTPUTS = re.compile(r".*/threads/[^/]+/runs/[^/]+/submit_tool_outputs")
_STILL_RUNNING = {"queued": "in_progress", "cancelling": "cancelled"}


def conversation(exchanges: Sequence[Exchange]) -> ConversationView:
    read = list(read_exchanges(exchanges, "assistants", unclaimed=True))  # threads, their messages
    streams = [exchange.events for exchange in read if exchange.events is not None]
    transcript = reconstruct(streams) if streams else None
    messages = {message.get("id"): message for message in transcript.messages} if transcript else {}
    builder = ViewBuilder("assistants")
    for exchange in read:
        _request_turns(builder, exchange)
        for event in exchange.events or []:
            _event_turns(builder, event.event, event.data, messages)
    runs = transcript.runs if transcript else []
    return builder.view(_status(streams, runs))


def _request_turns(builder: ViewBuilder, exchange: ReadExchange) -> None:
    body, path = exchange.body, exchange.path
    if _TOOL_OUTPUTS.fullmatch(path):
        for output in body.get("tool_outputs") or []:
            if isinstance(output, dict):
                builder.output(str(output.get("tool_call_id")), output.get("output", ""))
        return
    if _THREAD_AND_RUN.fullmatch(path):
        thread = body.get("thread")
        new_messages = thread.get("messages") if isinstance(thread, dict) else None
    elif _RUN.fullmatch(path):
        new_messages = body.get("additional_messages")
    elif _THREAD_MESSAGE.fullmatch(path):
        new_messages = [body]
    elif _THREAD.fullmatch(path):
        new_messages = body.get("messages")
    else:
        return
    for message in new_messages or []:
        if isinstance(message, dict):
            builder.message(str(message.get("role")), content_text(message.get("content")))


def _event_turns(builder: ViewBuilder, name: str, data: str, messages: dict[Any, dict[str, Any]]) -> None:
    if name not in ("thread.message.created", "thread.run.requires_action"):
        return
    try:
        payload = json.loads(data)
    except ValueError:
        return
    if not isinstance(payload, dict):
        return
    if name == "thread.message.created":
        if payload.get("role") == "assistant":
            _assistant_message(builder, messages.get(payload.get("id"), payload))
        return
    action = payload.get("required_action") or {}
    for call in (action.get("submit_tool_outputs") or {}).get("tool_calls") or []:
        function = call.get("function") or {}
        builder.call(str(call.get("id")), str(function.get("name", "")), function.get("arguments", ""))


def _assistant_message(builder: ViewBuilder, message: dict[str, Any]) -> None:
    """The message as the whole conversation left it (the fold joined its deltas)."""
    content = message.get("content") or []
    builder.message("assistant", content_text(content))
    for part in content:
        if isinstance(part, dict) and part.get("type") == "refusal":
            builder.refusal(str(part.get("refusal") or ""))


def _status(streams: list[Any], runs: list[dict[str, Any]]) -> str:
    if not streams:
        return "empty"
    from harness.protocols.assistants import PROTOCOL

    if PROTOCOL.reports_error(event.event for event in streams[-1]):
        return "error"
    status = str(runs[-1].get("status")) if runs else "empty"
    return _STILL_RUNNING.get(status, status)
