"""The streaming protocols the harness understands, and which one a stream speaks.

:data:`PROTOCOLS` lists them (the Assistants run stream first: it is the default);
:func:`protocol_for` picks the protocol of one stream from its request and/or its event names. A
cassette may mix protocols: ask per stream. See :mod:`harness.protocols.base` for the interface
and how to add one.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from harness.protocols.base import (
    SEVERITIES,
    EventView,
    FoldedTranscript,
    Folder,
    JsonPath,
    Severity,
    StreamedString,
    StreamProtocol,
    ViewSink,
)

if TYPE_CHECKING:
    from harness.sse.event import ServerSentEvent

#: Modules that define a ``PROTOCOL`` object, in detection order; the first is the default.
PROTOCOL_MODULES = ("harness.protocols.assistants", "harness.protocols.responses", "harness.protocols.chat")

PROTOCOLS: tuple[StreamProtocol, ...] = tuple(
    importlib.import_module(module).PROTOCOL for module in PROTOCOL_MODULES
)
DEFAULT: StreamProtocol = PROTOCOLS[0]

#: How many event names are enough to recognise a stream.
_SNIFFED_EVENTS = 8


def by_name(name: str) -> StreamProtocol:
    """The protocol called ``name``; ``KeyError`` naming the known ones otherwise."""
    for protocol in PROTOCOLS:
        if protocol.name == name:
            return protocol
    known = ", ".join(protocol.name for protocol in PROTOCOLS)
    raise KeyError(f"unknown protocol {name!r} (known: {known})")


def claimed_by(names: Iterable[str]) -> StreamProtocol | None:
    """The protocol whose events these are (the first few names suffice), or ``None``."""
    sniffed = _first(names)
    for protocol in PROTOCOLS:
        if protocol.claims_events(sniffed):
            return protocol
    return None


def sniffed_events(
    events: Iterable[ServerSentEvent],
) -> tuple[list[ServerSentEvent], Iterator[ServerSentEvent]]:
    """The first events of a stream, enough to recognise it, and the whole stream again (lazily)."""
    stream = iter(events)
    head = list(itertools.islice(stream, _SNIFFED_EVENTS))
    return head, itertools.chain(head, stream)


def _first(names: Iterable[str]) -> list[str]:
    sniffed: list[str] = []
    for name in names:
        sniffed.append(name)
        if len(sniffed) >= _SNIFFED_EVENTS:
            break
    return sniffed


def protocol_for(
    *,
    path: str | None = None,
    method: str = "POST",
    body: bytes = b"",
    events: Iterable[str] | None = None,
) -> StreamProtocol:
    """The protocol of one stream: the first whose request (``path``, ``body``) or event names claim
    it, the request asked first; the Assistants run stream when none does."""
    if path is not None:
        for protocol in PROTOCOLS:
            if protocol.claims_request(method, path, body):
                return protocol
    if events is not None:
        return claimed_by(events) or DEFAULT
    return DEFAULT


def fold(
    protocol: StreamProtocol, streams: Iterable[Iterable[ServerSentEvent]], *, views: bool = False
) -> FoldedTranscript:
    """The transcript of ``streams`` (one conversation, in order) folded by ``protocol``."""
    folder = protocol.new_folder(views=views)
    for events in streams:
        feed_stream(folder, events)
    return folder.transcript()


def feed_stream(folder: Folder, events: Iterable[ServerSentEvent], views: ViewSink | None = None) -> None:
    """Fold one stream's ``events``, then end it; with ``views`` (a folder made with ``views``) each
    event's view goes there as soon as it is folded."""
    feed = folder.feed
    if views is None:
        for event in events:
            feed(event)
    else:
        take = folder.take_view
        for event in events:
            feed(event)
            views(take())
    folder.end_stream()


def event_names(streams: Sequence[Sequence[ServerSentEvent]]) -> list[list[str]]:
    return [[event.event for event in events] for events in streams]


__all__ = [
    "DEFAULT",
    "PROTOCOLS",
    "PROTOCOL_MODULES",
    "SEVERITIES",
    "EventView",
    "FoldedTranscript",
    "Folder",
    "JsonPath",
    "Severity",
    "StreamProtocol",
    "StreamedString",
    "ViewSink",
    "by_name",
    "claimed_by",
    "event_names",
    "feed_stream",
    "fold",
    "protocol_for",
    "sniffed_events",
]
