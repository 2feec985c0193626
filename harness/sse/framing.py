"""Cutting a raw stream body into per-event frames, byte for byte."""

from __future__ import annotations

from harness.sse.decoder import SSEDecoder
from harness.sse.event import ServerSentEvent


def event_ends(body: bytes) -> tuple[list[int], list[ServerSentEvent]]:
    """Where each event of ``body`` ends (after its blank line), and the events decoded."""
    decoder = SSEDecoder()
    events = decoder.feed(body)
    events.extend(decoder.close())
    return list(decoder.event_ends), events


def split_frame_ends(body: bytes, window: int = 1 << 20) -> list[int]:
    """Where each frame of :func:`split_frames` of ``body`` ends, without a list of its frames or
    events (decoded a window at a time and dropped)."""
    decoder = SSEDecoder()
    for start in range(0, len(body), window):
        decoder.feed(body[start : start + window])
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
