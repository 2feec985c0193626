"""Collecting the turns of a conversation while reading its exchanges, whatever the API."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from harness.cassette.model import Exchange
from harness.conversation.view import ConversationView, Turn, parsed_arguments
from harness.sse import ServerSentEvent


@dataclass(frozen=True)
class ReadExchange:
    """One exchange as the builders read it: its method, path, JSON request body and decoded stream."""

    method: str
    path: str
    body: dict[str, Any]
    events: list[ServerSentEvent] | None  # None: the response was not streamed
    response_json: Any  # the response body as JSON when it was not streamed (else None)


def read_exchanges(
    exchanges: Sequence[Exchange], protocol: str, *, unclaimed: bool = False
) -> Iterator[ReadExchange]:
    """The exchanges of ``protocol``'s conversation, read: those that speak it
    (:func:`harness.validation.spoken_protocol`), with ``unclaimed`` also those no protocol claims."""
    from harness.validation import spoken_protocol

    for exchange in exchanges:
        spoken = spoken_protocol(exchange)
        if (spoken.name != protocol) if spoken is not None else not unclaimed:
            continue
        stream = exchange.response.stream
        yield ReadExchange(
            method=exchange.request.method,
            path=urlsplit(exchange.request.url).path.rstrip("/"),
            body=_json_object(exchange.request.body),
            events=stream.events() if stream is not None else None,
            response_json=None if stream is not None else _json(exchange.response.body),
        )


Final = tuple[dict[str, Any] | None, bool]


def final_object(exchange: ReadExchange, protocol_name: str, object_type: str, folded: str) -> Final:
    """An exchange's final object (its JSON body, or the last of the ``folded`` list of its stream's
    transcript, folded by the protocol) and whether the server sent an error."""
    if exchange.events is None:
        body = exchange.response_json
        return (body if isinstance(body, dict) and body.get("object") == object_type else None), False
    from harness.protocols import by_name, fold

    protocol = by_name(protocol_name)
    transcript = fold(protocol, [exchange.events])
    finals = getattr(transcript, folded, None) or [None]
    return finals[-1], protocol.reports_error(transcript.event_names)


def unseen(items: list[Any], seen: set[Any], identity: Callable[[Any], Any]) -> list[Any]:
    """``items`` after the leading ones already seen: a client resending the conversation so far
    (Chat always, Responses without ``previous_response_id``) adds only what follows."""
    for position, item in enumerate(items):
        if identity(item) not in seen:
            return items[position:]
    return []


class ViewBuilder:
    """Turns in the order they happened; tool outputs find the name of the call they answer."""

    def __init__(self, protocol: str) -> None:
        self.protocol = protocol
        self._turns: list[Turn] = []
        self._call_names: dict[str, str] = {}

    def message(self, role: str, text: str) -> None:
        if role in ("user", "assistant") and text:
            self._turns.append(Turn("user" if role == "user" else "assistant", text))

    def refusal(self, text: str) -> None:
        if text:
            self._turns.append(Turn("refusal", text))

    def call(self, call_id: str, name: str, arguments: Any) -> None:
        self._call_names[call_id] = name
        self._turns.append(Turn("tool_call", name=name, arguments=parsed_arguments(arguments)))

    def output(self, call_id: str, output: Any) -> None:
        text = output if isinstance(output, str) else json.dumps(output, ensure_ascii=False)
        self._turns.append(Turn("tool_output", text, name=self._call_names.get(call_id, "")))

    def view(self, status: str) -> ConversationView:
        return ConversationView(tuple(self._turns), status, self.protocol)


def content_text(content: Any, text_types: tuple[str, ...] = ("text", "input_text", "output_text")) -> str:
    """The text of a message's ``content``: a string, or its text parts joined (``text`` may be a
    string or, in Assistants messages, ``{"value": ...}``)."""
    if isinstance(content, str):
        return content
    pieces: list[str] = []
    for part in content if isinstance(content, list) else []:
        if isinstance(part, dict) and part.get("type") in text_types:
            text = part.get("text")
            value = text.get("value") if isinstance(text, dict) else text
            if isinstance(value, str):
                pieces.append(value)
    return "".join(pieces)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body) if body.strip() else None
    except ValueError:
        return None


def _json_object(body: bytes) -> dict[str, Any]:
    parsed = _json(body)
    return parsed if isinstance(parsed, dict) else {}
