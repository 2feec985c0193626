"""The migration check: a protocol-neutral view of the conversation a cassette holds.

    from harness.conversation import conversation_of, differences

    old = conversation_of(load_cassette("runs.json"))       # an Assistants run conversation
    new = conversation_of(load_cassette("responses.json"))  # the same test after migrating
    assert differences(old, new, "runs", "responses") == []

Each protocol reads its own cassettes (:meth:`StreamProtocol.conversation`);
:mod:`harness.conversation.view` says what the view keeps and leaves out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from harness.cassette.model import Cassette, Exchange
from harness.conversation.view import ConversationView, Turn, differences, parsed_arguments

__all__ = ["ConversationView", "MixedProtocols", "Turn", "conversation_of", "differences", "parsed_arguments"]


class MixedProtocols(ValueError):
    """A cassette whose exchanges speak more than one protocol holds more than one conversation."""


def conversation_of(cassette: Cassette | Sequence[Exchange]) -> ConversationView:
    """The conversation of a cassette (or of exchanges, in order), read by the protocol they speak."""
    exchanges = list(cassette.exchanges if isinstance(cassette, Cassette) else cassette)
    spoken = {_protocol_of(urlsplit(exchange.request.url).path) for exchange in exchanges}
    named = sorted(name for name in spoken if name is not None) or ["assistants"]
    if len(named) > 1:
        raise MixedProtocols(
            f"the cassette mixes protocols ({', '.join(named)}): one conversation per cassette"
        )
    return _READERS[named[0]](exchanges)


def _protocol_of(path: str) -> str | None:
    """The protocol a request path belongs to (None: files, models... which any may use)."""
    for part, name in (
        ("/responses", "responses"),
        ("/chat/completions", "chat.completions"),
        ("/threads", "assistants"),
        ("/assistants", "assistants"),
    ):
        if path.rstrip("/").endswith(part) or f"{part}/" in path:
            return name
    return None


def _read_assistants(exchanges: list[Exchange]) -> ConversationView:
    from harness.conversation import assistants

    return assistants.conversation(exchanges)


def _read_responses(exchanges: list[Exchange]) -> ConversationView:
    from harness.conversation import responses

    return responses.conversation(exchanges)


def _read_chat(exchanges: list[Exchange]) -> ConversationView:
    from harness.conversation import chat

    return chat.conversation(exchanges)


_READERS: dict[str, Callable[[list[Exchange]], ConversationView]] = {
    "assistants": _read_assistants,
    "responses": _read_responses,
    "chat.completions": _read_chat,
}
