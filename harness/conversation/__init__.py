"""The migration check: a protocol-neutral view of the conversation a cassette holds.

    from harness.conversation import conversation_of, differences

    old = conversation_of(load_cassette("runs.json"))       # an Assistants run conversation
    new = conversation_of(load_cassette("responses.json"))  # the same test after migrating
    assert differences(old, new, "runs", "responses") == []

Each protocol reads its own cassettes (:meth:`StreamProtocol.conversation`);
:mod:`harness.conversation.view` says what the view keeps and leaves out.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from harness.cassette.model import Cassette
from harness.conversation.view import ConversationView, Turn, differences, parsed_arguments

__all__ = ["ConversationView", "MixedProtocols", "Turn", "conversation_of", "differences", "parsed_arguments"]


class MixedProtocols(ValueError):
    """A cassette whose exchanges speak more than one protocol holds more than one conversation."""


def conversation_of(cassette: Cassette) -> ConversationView:
    """The conversation of a cassette, read by the protocol its exchanges speak."""
    from harness.protocols import DEFAULT, protocol_for

    found = {}
    for exchange in cassette.exchanges:
        request = exchange.request
        protocol = protocol_for(path=urlsplit(request.url).path, method=request.method, body=request.body)
        found.setdefault(protocol.name, protocol)
    spoken = [protocol for name, protocol in found.items() if name != DEFAULT.name] or [DEFAULT]
    if len(spoken) > 1:
        names = ", ".join(protocol.name for protocol in spoken)
        raise MixedProtocols(f"the cassette mixes protocols ({names}): one conversation per cassette")
    return spoken[0].conversation(cassette.exchanges)
