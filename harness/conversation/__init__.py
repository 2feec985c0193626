"""The migration check: a protocol-neutral view of the conversation a cassette holds.

    from harness.conversation import conversation_of, differences

    old = conversation_of(load_cassette("runs.json"))       # an Assistants run conversation
    new = conversation_of(load_cassette("responses.json"))  # the same test after migrating
    assert differences(old, new, "runs", "responses") == []

Each protocol reads its own cassettes (:meth:`StreamProtocol.conversation`);
:mod:`harness.conversation.view` says what the view keeps and leaves out.
"""

from __future__ import annotations

from collections.abc import Sequence

from harness.cassette.model import Cassette, Exchange
from harness.conversation.view import ConversationView, Turn, differences, parsed_arguments

__all__ = ["ConversationView", "MixedProtocols", "Turn", "conversation_of", "differences", "parsed_arguments"]


class MixedProtocols(ValueError):
    """A cassette whose exchanges speak more than one protocol holds more than one conversation."""


def conversation_of(cassette: Cassette | Sequence[Exchange]) -> ConversationView:
    """The conversation of a cassette (or of exchanges, in order), read by the protocol whose
    requests it holds (:meth:`StreamProtocol.conversation`); run conversations when none claims one."""
    from harness.protocols import DEFAULT
    from harness.validation import spoken_protocol

    exchanges = list(cassette.exchanges if isinstance(cassette, Cassette) else cassette)
    found = {protocol.name: protocol for protocol in map(spoken_protocol, exchanges) if protocol is not None}
    spoken = list(found.values())
    if len(spoken) > 1:
        names = ", ".join(protocol.name for protocol in spoken)
        raise MixedProtocols(f"the cassette mixes protocols ({names}): one conversation per cassette")
    return (spoken[0] if spoken else DEFAULT).conversation(exchanges)
