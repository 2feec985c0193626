"""A :class:`~harness.reconstruct.Transcript` that keeps the raw events it was folded from.

The transcript alone knows event names and the ids they concern; the snapshot's
event lines also show the text each run of deltas carries, which needs the events.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from harness.reconstruct import Transcript, reconstruct
from harness.sse.event import ServerSentEvent


@dataclass(frozen=True)
class RecordedTranscript(Transcript):
    """A transcript plus ``stream_events``: the decoded events of each stream, in order."""

    stream_events: tuple[tuple[ServerSentEvent, ...], ...] = field(default=(), repr=False, compare=False)


def recorded_transcript(streams: Sequence[Sequence[ServerSentEvent]]) -> RecordedTranscript:
    """Reconstruct a whole conversation (every stream, in order) and keep its events."""
    frozen = tuple(tuple(events) for events in streams)
    transcript = reconstruct([list(events) for events in frozen])
    copied = {
        item.name: getattr(transcript, item.name) for item in dataclasses.fields(Transcript) if item.init
    }
    return RecordedTranscript(**copied, stream_events=frozen)
