"""How bad each protocol finding of a cassette is: one policy for ``harness validate`` and shrink.

Each stream is read by its own protocol (:func:`harness.protocols.protocol_for`, from the request
that opened it and its events; a cassette may mix them), the streams of one protocol are folded
together as one conversation, and every diagnostic gets its protocol's severity, with one
exception: a stream that ended early for a recorded reason (the server sent an error event, or
the recording client closed it) is expected to lack its end, so the protocol's "ended early"
codes are notes there: ``validate --strict`` fails on protocol breaks, not on a recorded failure.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from harness.cassette.model import Cassette, Exchange, RecordedStream
from harness.diagnostics import Diagnostic
from harness.protocols import (
    DEFAULT,
    PROTOCOLS,
    FoldedTranscript,
    Folder,
    Severity,
    StreamProtocol,
    claimed_by,
    fold,
    protocol_for,
)
from harness.protocols.mixed import MixedTranscript, ProtocolShare, placed
from harness.sse.event import ServerSentEvent


@dataclass(frozen=True)
class ProtocolPart:
    """The streams of a cassette that speak one protocol, with their numbers among all its streams."""

    protocol: StreamProtocol
    stream_numbers: list[int]
    streams: list[RecordedStream]
    exchanges: list[Exchange]  # the exchanges whose responses are these streams

    def events(self) -> list[list[ServerSentEvent]]:
        return [stream.events() for stream in self.streams]

    def fold(self, *, views: bool = False) -> FoldedTranscript:
        # events decoded as the fold reads them, not kept: a stream of millions of events is held
        # as its frames only
        return fold(self.protocol, [stream.iter_events() for stream in self.streams], views=views)

    def placed(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """``diagnostics`` of this part, their stream numbers made the cassette's."""
        return placed(diagnostics, self.stream_numbers)


def exchange_protocol(exchange: Exchange) -> StreamProtocol:
    """The protocol an exchange's stream speaks, known from the request that opened it and its events."""
    request, stream = exchange.request, exchange.response.stream
    return protocol_for(
        path=urlsplit(request.url).path,
        method=request.method,
        body=request.body,
        events=(event.event for event in stream.iter_events()) if stream is not None else None,
    )


def spoken_protocol(exchange: Exchange) -> StreamProtocol | None:
    """The protocol whose conversation an exchange is part of: its stream's (:func:`exchange_protocol`),
    or for an unstreamed exchange the protocol that claims its request; None when none does (a
    thread or file created beside a run, a model listed)."""
    if exchange.response.stream is not None:
        return exchange_protocol(exchange)
    request = exchange.request
    path = urlsplit(request.url).path
    return next((p for p in PROTOCOLS if p.claims_request(request.method, path, request.body)), None)


def protocol_parts(
    cassette: Cassette | Sequence[Exchange], *, claimed_only: bool = False
) -> list[ProtocolPart]:
    """The streams of a cassette (or of exchanges, in order) grouped by protocol, in order of first
    appearance. ``claimed_only`` leaves out streams no protocol recognises (other event streams)."""
    exchanges = cassette.exchanges if isinstance(cassette, Cassette) else cassette
    parts: dict[str, ProtocolPart] = {}
    streamed = [exchange for exchange in exchanges if exchange.response.stream is not None]
    for number, exchange in enumerate(streamed):
        stream = exchange.response.stream
        assert stream is not None
        names = (event.event for event in stream.iter_events())
        if claimed_only:
            protocol = claimed_by(names)
            if protocol is None:
                continue
        else:
            protocol = exchange_protocol(exchange)
        part = parts.setdefault(protocol.name, ProtocolPart(protocol, [], [], []))
        part.stream_numbers.append(number)
        part.streams.append(stream)
        part.exchanges.append(exchange)
    return list(parts.values())


def fold_conversation(cassette: Cassette | Iterable[Exchange], *, views: bool = False) -> FoldedTranscript:
    """The streams of a cassette (or of exchanges, in order) reconstructed, each by the protocol it
    speaks: that protocol's transcript when they speak one (the Assistants run stream's when there
    is none), a :class:`~harness.protocols.mixed.MixedTranscript` of each protocol's when they mix.

    One pass: each stream is folded by its protocol's fold as it comes, so exchanges read one at a
    time (:func:`harness.cassette.load.read_exchanges`) are never all held."""
    exchanges = cassette.exchanges if isinstance(cassette, Cassette) else cassette
    folds: dict[str, tuple[Folder, array[int]]] = {}
    number = 0
    for exchange in exchanges:
        stream = exchange.response.stream
        if stream is None:
            continue
        protocol = exchange_protocol(exchange)
        if protocol.name not in folds:
            folds[protocol.name] = (protocol.new_folder(views=views), array("q"))
        folder, numbers = folds[protocol.name]
        numbers.append(number)
        number += 1
        feed = folder.feed
        for event in stream.iter_events():
            feed(event)
        folder.end_stream()
    if not folds:
        return fold(DEFAULT, [], views=views)
    if len(folds) == 1:
        return next(iter(folds.values()))[0].transcript()
    return MixedTranscript(
        [ProtocolShare(folder.transcript(), list(numbers)) for folder, numbers in folds.values()]
    )


def ended_early(part: ProtocolPart) -> set[int]:
    """Numbers (the cassette's) of the part's streams that stopped for a recorded reason."""
    return {
        number
        for number, stream in zip(part.stream_numbers, part.streams, strict=True)
        if stopped_early(part.protocol, stream)
    }


def stopped_early(
    protocol: StreamProtocol, stream: RecordedStream, names: Iterable[str] | None = None
) -> bool:
    """Whether a stream of ``protocol`` stopped for a recorded reason: cut, or an error event.
    ``names`` are its events' names when the caller has read them (the set of them will do: a
    protocol's ended-early codes are raised as a stream ends, once all its names are known), else
    the stream is decoded for them."""
    if names is None:
        names = (event.event for event in stream.iter_events())
    return stream.cut is not None or protocol.reports_error(names)


def severity(diagnostic: Diagnostic, protocol: StreamProtocol, stopped_early: set[int]) -> Severity:
    """The severity of a (placed) diagnostic of ``protocol``'s streams, given which ended early."""
    if diagnostic.code in protocol.ended_early_codes and diagnostic.stream in stopped_early:
        return "info"
    return protocol.severity(diagnostic)
