"""Writing server-sent events back to `text/event-stream` bytes."""

from __future__ import annotations

from collections.abc import Iterable

from harness.sse.event import ServerSentEvent


def encode_event(event: ServerSentEvent, *, previous_id: str | None = None) -> bytes:
    """One event as the bytes of its frame, ending with the blank line that dispatches it.

    ``id:`` is written only when it differs from ``previous_id`` because the
    decoder carries the last id over to later events, as browsers do.
    """
    lines: list[str] = []
    if event.event != "message":
        lines.append(f"event: {event.event}")
    if event.id is not None and event.id != previous_id:
        lines.append(f"id: {event.id}")
    if event.retry is not None:
        lines.append(f"retry: {event.retry}")
    for piece in event.data.split("\n"):
        lines.append(f"data: {piece}")
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def encode_events(events: Iterable[ServerSentEvent]) -> bytes:
    """A whole stream body; ``parse_sse(encode_events(x)) == list(x)``."""
    out: list[bytes] = []
    previous_id: str | None = None
    for event in events:
        out.append(encode_event(event, previous_id=previous_id))
        previous_id = event.id
    return b"".join(out)
