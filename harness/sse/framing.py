"""Cutting a raw stream body into per-event frames, byte for byte."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from harness.sse.decoder import BYTE_ORDER_MARK, SSEDecoder
from harness.sse.event import ServerSentEvent

WINDOW = 1 << 14  # bytes of a body decoded at once when its events are not all kept
_FIELD_STARTS = (b"event:", b"data:", b":", b"id:", b"retry:")


def starts_like_event_stream(head: bytes) -> bool:
    """Whether the first bytes of a file or body are those of an event stream: a field or a comment,
    after an optional byte-order mark and blank lines."""
    return head.removeprefix(BYTE_ORDER_MARK).lstrip(b"\r\n").startswith(_FIELD_STARTS)


def windows(body: bytes, size: int = WINDOW) -> Iterator[bytes]:
    """``body`` in pieces of about ``size`` bytes, each cut when it is asked for, after a line end (a
    long line is one piece, not copied again in the decoder's pieces) and taking the rest when less
    than ``size`` would be left (a body that is one long event is ``body`` itself, no copy)."""
    start = 0
    while start < len(body):
        end = body.find(b"\n", start + size) + 1
        if end == 0 or len(body) - end < size:
            end = len(body)
        yield body[start:end]
        start = end


def iter_ended(chunks: Iterable[bytes]) -> Iterator[tuple[ServerSentEvent, int]]:
    """Each event of the stream ``chunks`` cut, decoded as it completes, with the offset in the
    whole stream just past it (as :attr:`SSEDecoder.event_ends` has it); neither the events nor
    their ends are listed."""
    decoder = SSEDecoder()
    ends = decoder.event_ends
    for chunk in chunks:
        yield from zip(decoder.feed(chunk), ends, strict=True)
        ends.clear()
    yield from zip(decoder.close(), ends, strict=True)


def event_ends(body: bytes) -> tuple[list[int], list[ServerSentEvent]]:
    """Where each event of ``body`` ends (after its blank line), and the events decoded."""
    decoder = SSEDecoder()
    events = decoder.feed(body)
    events.extend(decoder.close())
    return decoder.event_ends, events


def split_frame_ends(body: bytes, window: int = WINDOW) -> list[int]:
    """Where each frame of :func:`split_frames` of ``body`` ends, without a list of its frames or
    events (decoded a window at a time and dropped)."""
    decoder = SSEDecoder()
    for piece in windows(body, window):
        decoder.feed(piece)
    decoder.close()
    ends = decoder.event_ends
    if (ends[-1] if ends else 0) < len(body):
        ends.append(len(body))
    return ends


def split_events(body: bytes) -> tuple[list[bytes], list[ServerSentEvent]]:
    """:func:`split_frames` of ``body`` and the events it decoded on the way (one decode for both).

    ``frames[i]`` holds ``events[i]``; a trailing frame past the last event (an unterminated
    comment, stray bytes) has no event.
    """
    ends, events = event_ends(body)
    frames: list[bytes] = []
    start = 0
    for end in ends:
        frames.append(body[start:end])
        start = end
    if start < len(body):
        frames.append(body[start:])
    return frames, events


def split_frames(body: bytes) -> list[bytes]:
    """Split ``body`` so that each piece holds exactly one event's bytes.

    A frame runs from the end of the previous event to the blank line that
    dispatches this one (so comments and stray blank lines before an event
    belong to it). Bytes after the last event (an unterminated event, a
    trailing comment) form a last frame. ``b"".join(split_frames(b)) == b``.
    """
    return split_events(body)[0]
