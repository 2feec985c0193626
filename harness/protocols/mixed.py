"""A conversation whose streams speak more than one protocol (a cassette may mix them).

Each protocol's streams are folded together by that protocol (:class:`ProtocolShare`); the
:class:`MixedTranscript` puts the shares side by side. Its per-event lists follow the
conversation's stream order, its diagnostics name the conversation's stream numbers, and its
``to_dict()`` (the ``inspect --format json`` form) is ``{"protocol": "mixed", "protocols": [...],
"events": [...], "parts": [{"protocol": ..., "streams": [...], ...}], "diagnostics": [...]}``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from harness.diagnostics import Diagnostic
    from harness.protocols.base import FoldedTranscript, Folder, StreamProtocol, ViewSink
    from harness.sse.event import ServerSentEvent

MIXED = "mixed"

_Item = TypeVar("_Item")


def placed(diagnostics: Iterable[Diagnostic], stream_numbers: Sequence[int]) -> list[Diagnostic]:
    """``diagnostics`` of some of a conversation's streams (numbered among themselves), their stream
    numbers made the conversation's (``stream_numbers[i]`` is the number of their stream ``i``)."""
    return [place(d, stream_numbers) for d in diagnostics]


def place(diagnostic: Diagnostic, stream_numbers: Sequence[int]) -> Diagnostic:
    """One diagnostic of :func:`placed`."""
    if diagnostic.stream is None:
        return diagnostic
    return dataclasses.replace(diagnostic, stream=stream_numbers[diagnostic.stream])


@dataclass(frozen=True)
class ProtocolShare:
    """The streams of a conversation that speak one protocol, folded together by it."""

    transcript: FoldedTranscript
    stream_numbers: list[int]  # 0-based, among all the conversation's streams

    @property
    def protocol(self) -> str:
        return self.transcript.protocol

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return placed(self.transcript.diagnostics, self.stream_numbers)

    def stream_slices(self) -> list[tuple[int, int]]:
        """(start, end) of each of its streams among its transcript's events."""
        bounds = [*self.transcript.stream_starts, len(self.transcript.event_names)]
        return [(bounds[number], bounds[number + 1]) for number in range(len(self.transcript.stream_starts))]


class MixedTranscript:
    """The shares of a conversation that mixes protocols, in order of each protocol's first stream."""

    protocol = MIXED

    def __init__(self, shares: Sequence[ProtocolShare]) -> None:
        self.shares = list(shares)
        # (share, its stream slice) of every stream, in the conversation's order
        self._streams = sorted(
            (
                (number, share, bounds)
                for share in self.shares
                for number, bounds in zip(share.stream_numbers, share.stream_slices(), strict=True)
            ),
            key=lambda entry: entry[0],
        )

    def _joined(self, lists: Sequence[Sequence[_Item]]) -> list[_Item]:
        """One per-event list of the shares' (``lists``, in share order) in stream order."""
        by_share = {id(share): values for share, values in zip(self.shares, lists, strict=True)}
        joined: list[_Item] = []
        for _, share, (start, end) in self._streams:
            joined.extend(by_share[id(share)][start:end])
        return joined

    def _per_event(self, lists: Sequence[Sequence[_Item]]) -> list[_Item]:
        complete = all(
            len(values) == len(share.transcript.event_names)
            for share, values in zip(self.shares, lists, strict=True)
        )
        return self._joined(lists) if complete else []

    @property
    def protocols(self) -> list[str]:
        return [share.protocol for share in self.shares]

    @property
    def event_names(self) -> list[str]:
        return self._joined([share.transcript.event_names for share in self.shares])

    @property
    def event_object_ids(self) -> list[str | None]:
        return self._joined([share.transcript.event_object_ids for share in self.shares])

    @property
    def event_texts(self) -> list[str | None]:
        return self._per_event([share.transcript.event_texts for share in self.shares])

    @property
    def event_data(self) -> list[str]:
        return self._per_event([share.transcript.event_data for share in self.shares])

    @property
    def stream_starts(self) -> list[int]:
        starts, position = [], 0
        for _, _, (start, end) in self._streams:
            starts.append(position)
            position += end - start
        return starts

    @property
    def diagnostics(self) -> list[Diagnostic]:
        found = [diagnostic for share in self.shares for diagnostic in share.diagnostics]
        return sorted(found, key=lambda d: -1 if d.stream is None else d.stream)

    def to_dict(self) -> dict[str, Any]:
        parts = []
        for share in self.shares:
            shown = share.transcript.to_dict()
            shown.pop("protocol", None)
            shown["diagnostics"] = [diagnostic.to_dict() for diagnostic in share.diagnostics]
            parts.append({"protocol": share.protocol, "streams": share.stream_numbers, **shown})
        return {
            "protocol": MIXED,
            "protocols": self.protocols,
            "events": self.event_names,
            "parts": parts,
            "diagnostics": [diagnostic.to_dict() for diagnostic in self.diagnostics],
        }


def fold_bodies(
    bodies: Iterable[Iterable[ServerSentEvent]],
    *,
    views: bool = False,
    view_sinks: Callable[[StreamProtocol], ViewSink] | None = None,
) -> FoldedTranscript:
    """The transcript of streams whose requests are unknown (a raw ``.sse`` file), each stream's
    protocol told by its first events (an unrecognised stream speaks the one before it), folded
    as they come: one protocol's transcript, or a :class:`MixedTranscript` when they mix.
    ``view_sinks`` gives, for each protocol as it first appears, where its events' views go as
    they are folded (they are then not kept, see :func:`harness.protocols.feed_stream`)."""
    from harness.protocols import DEFAULT, claimed_by, feed_stream, sniffed_events

    folders: dict[str, tuple[StreamProtocol, Folder, list[int], ViewSink | None]] = {}
    protocol = DEFAULT
    number = -1
    for number, events in enumerate(bodies):
        head, stream = sniffed_events(events)
        protocol = claimed_by(event.event for event in head) or protocol
        if protocol.name not in folders:
            sink = view_sinks(protocol) if view_sinks is not None else None
            folder = protocol.new_folder(views=views or sink is not None)
            folders[protocol.name] = (protocol, folder, [], sink)
        _, folder, numbers, sink = folders[protocol.name]
        numbers.append(number)
        feed_stream(folder, stream, sink)
    if not folders:
        return DEFAULT.new_folder(views=views).transcript()
    if len(folders) == 1:
        return next(iter(folders.values()))[1].transcript()
    return MixedTranscript(
        [ProtocolShare(folder.transcript(), numbers) for _, folder, numbers, _ in folders.values()]
    )
