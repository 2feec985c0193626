"""The unit of a `text/event-stream`: one dispatched server-sent event."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """One event as the WHATWG event-stream rules dispatch it.

    ``event`` defaults to ``"message"`` as in browsers; ``data`` is the joined
    ``data:`` lines; ``id`` is the last event id seen (it persists across
    events, as the spec says); ``retry`` is set only on the event whose block
    carried a valid ``retry:`` field.
    """

    event: str = "message"
    data: str = ""
    id: str | None = None
    retry: int | None = None
