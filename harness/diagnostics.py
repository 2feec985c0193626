"""Protocol findings: what a stream, a cassette or a payload does that the reference does not."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


def stream_label(index: int) -> str:
    """How every text form names a stream of a conversation: counted from 1 (``stream 1`` is the
    first HTTP response), while JSON keeps 0-based indexes and events count from 0 in a stream."""
    return f"stream {index + 1}"


def streams_label(indexes: list[int]) -> str:
    """Some streams of a conversation, as text forms name them: ``stream 3``, ``streams 1, 4``."""
    if len(indexes) == 1:
        return stream_label(indexes[0])
    return "streams " + ", ".join(str(index + 1) for index in indexes)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, placed as precisely as the input allows.

    ``code`` is a stable kebab-case identifier (tests and users filter on it);
    ``message`` says what was found and what was expected. ``stream`` is the
    0-based index of the stream within a conversation of several HTTP responses (text forms
    count from 1: :func:`stream_label`),
    ``event`` the index of the event within that stream, ``path`` a dotted
    path inside the event's JSON payload.
    """

    code: str
    message: str
    stream: int | None = None
    event: int | None = None
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}

    def __str__(self) -> str:
        where = []
        if self.stream is not None:
            where.append(stream_label(self.stream))
        if self.event is not None:
            where.append(f"event {self.event}")
        if self.path:
            where.append(self.path)
        prefix = f"[{', '.join(where)}] " if where else ""
        return f"{prefix}{self.code}: {self.message}"
