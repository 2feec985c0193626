"""Undoing a ``content-encoding`` with a cap on the inflated size (a gzip bomb stops, with a message)."""

from __future__ import annotations

import zlib

MAX_INFLATED_BYTES = 512 * 1024**2
_WINDOWS = {"gzip": (31,), "x-gzip": (31,), "deflate": (15, -15)}

Headers = list[tuple[str, str]]


def inflate(body: bytes, encoding: str, limit: int = MAX_INFLATED_BYTES) -> bytes | None:
    """``body`` decoded from gzip or deflate (zlib-wrapped or raw); None when it is not such data.
    Raises :class:`ValueError` when it inflates to more than ``limit`` bytes."""
    for window in _WINDOWS.get(encoding.strip().lower(), ()):
        decoder = zlib.decompressobj(window)
        try:
            decoded = decoder.decompress(body, limit)
        except zlib.error:
            continue
        if decoder.unconsumed_tail:
            raise ValueError(f"{encoding}-compressed body inflates to more than {limit} bytes")
        return decoded
    return None


def inflated(headers: Headers, body: bytes, limit: int = MAX_INFLATED_BYTES) -> tuple[Headers, bytes]:
    """A gzip or deflate body decoded, its ``content-encoding`` and ``content-length`` replaced;
    anything else (no encoding, another one, not valid data) as it was."""
    encodings = [value for name, value in headers if name.lower() == "content-encoding"]
    if not body or len(encodings) != 1:
        return headers, body
    decoded = inflate(body, encodings[0], limit)
    if decoded is None:
        return headers, body
    kept = [
        (name, value) for name, value in headers if name.lower() not in ("content-encoding", "content-length")
    ]
    return [*kept, ("content-length", str(len(decoded)))], decoded
