"""An editable view of a cassette: its streams as frames that remember where the chunk boundaries fell.

A streaming bug can hang on how the bytes arrived (a read that splits a
multi-byte character), so dropping or rewriting events must keep the chunk
boundaries of the frames that stay: each frame carries the boundaries that
fell inside it, as offsets from its start with their arrival times.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, replace
from typing import Any

from harness.cassette.frames import frame_ends
from harness.cassette.model import Cassette, Exchange, RecordedResponse, RecordedStream
from harness.sse import ServerSentEvent, encode_event, parse_sse

#: A chunk boundary inside a frame: (offset from the frame's start, in 1..len(frame); arrival time).
Cut = tuple[int, float]


@dataclass(frozen=True, slots=True)
class Frame:
    raw: bytes
    event: ServerSentEvent | None  # None for bytes that dispatch no event (a trailing comment)
    payload: Any  # the event data as JSON, None when it is not JSON
    cuts: tuple[Cut, ...] = ()

    @property
    def name(self) -> str:
        return self.event.event if self.event is not None else ""


@dataclass(frozen=True, slots=True)
class ExchangeDraft:
    exchange: Exchange  # the recorded exchange; its stream is rebuilt from ``frames``
    frames: tuple[Frame, ...] | None  # None for a response that is not an event stream
    cut: str | None = None


Draft = tuple[ExchangeDraft, ...]


def frame_from_bytes(raw: bytes, cuts: tuple[Cut, ...] = ()) -> Frame:
    events = parse_sse(raw)
    event = events[0] if events else None
    return Frame(raw, event, _json(event.data) if event is not None else None, cuts)


def _json(data: str) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


def draft_from_cassette(cassette: Cassette) -> Draft:
    return tuple(_exchange_draft(exchange) for exchange in cassette.exchanges)


def _exchange_draft(exchange: Exchange) -> ExchangeDraft:
    stream = exchange.response.stream
    if stream is None:
        return ExchangeDraft(exchange, None)
    ends = frame_ends(stream.frames)
    cuts: list[list[Cut]] = [[] for _ in stream.frames]
    position = 0
    for size, arrived in zip(stream.chunk_sizes, stream.chunk_times, strict=False):
        position += size
        if size <= 0 or not ends:
            continue
        owner = min(bisect.bisect_left(ends, position), len(ends) - 1)
        start = ends[owner - 1] if owner else 0
        cuts[owner].append((position - start, arrived))
    frames = tuple(
        frame_from_bytes(raw, tuple(frame_cuts)) for raw, frame_cuts in zip(stream.frames, cuts, strict=True)
    )
    return ExchangeDraft(exchange, frames, stream.cut)


def stream_from_frames(frames: tuple[Frame, ...], cut: str | None) -> RecordedStream:
    """The recorded stream of ``frames``, chunked at the boundaries they kept (and at the end)."""
    sizes: list[int] = []
    times: list[float] = []
    start = previous_end = 0
    last_time = 0.0
    for frame in frames:
        for offset, arrived in frame.cuts:
            end = start + offset
            if end > previous_end:
                sizes.append(end - previous_end)
                times.append(arrived)
                previous_end, last_time = end, arrived
        start += len(frame.raw)
    if start > previous_end:
        sizes.append(start - previous_end)
        times.append(last_time)
    return RecordedStream([frame.raw for frame in frames], sizes, times, cut)


def cassette_from_draft(draft: Draft, template: Cassette) -> Cassette:
    exchanges = []
    for part in draft:
        response = part.exchange.response
        if part.frames is not None:
            response = RecordedResponse(
                response.status,
                response.reason,
                list(response.headers),
                response.body,
                stream_from_frames(part.frames, part.cut),
            )
        exchanges.append(Exchange(part.exchange.request, response))
    return Cassette(exchanges, "harness", dict(template.metadata))


def event_count(draft: Draft) -> int:
    return sum(1 for part in draft for frame in part.frames or () if frame.event is not None)


def with_payload(frame: Frame, payload: Any) -> Frame:
    """``frame`` carrying new JSON data, written compactly as the API does; chunk boundaries that fall
    in the unchanged head or tail of the bytes stay where they were."""
    assert frame.event is not None
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    raw = encode_event(replace(frame.event, data=data, id=None))
    return Frame(raw, replace(frame.event, data=data), payload, _moved_cuts(frame.raw, raw, frame.cuts))


def _moved_cuts(old: bytes, new: bytes, cuts: tuple[Cut, ...]) -> tuple[Cut, ...]:
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    moved: list[Cut] = []
    for offset, arrived in cuts:
        if offset <= head:
            moved.append((offset, arrived))
        elif offset >= len(old) - tail:
            moved.append((offset - len(old) + len(new), arrived))
    return tuple(moved)
