"""Cutting a raw stream body into per-event frames, byte for byte."""

from __future__ import annotations

from harness.sse.decoder import SSEDecoder


def split_frames(body: bytes) -> list[bytes]:
    """Split ``body`` so that each piece holds exactly one event's bytes.

    A frame runs from the end of the previous event to the blank line that
    dispatches this one (so comments and stray blank lines before an event
    belong to it). Bytes after the last event (an unterminated event, a
    trailing comment) form a last frame. ``b"".join(split_frames(b)) == b``.
    """
    decoder = SSEDecoder()
    decoder.feed(body)
    decoder.close()
    frames: list[bytes] = []
    start = 0
    for end in decoder.event_ends:
        frames.append(body[start:end])
        start = end
    if start < len(body):
        frames.append(body[start:])
    return frames
