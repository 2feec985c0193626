"""The errors the harness raises on purpose. Anything else escaping is a bug."""

from __future__ import annotations

from pathlib import Path


class HarnessError(Exception):
    """Base class of every error the harness documents."""


class CassetteError(HarnessError):
    """A cassette file that cannot be read: names the file and the place inside it."""

    def __init__(self, path: str | Path | None, message: str, *, location: str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.location = location
        self.reason = message
        where = self.path or "<cassette>"
        if location:
            where = f"{where}: {location}"
        super().__init__(f"{where}: {message}")


class SecretLeakError(HarnessError):
    """Refusing to write a cassette that still holds a key-shaped string after scrubbing."""


class UnmatchedRequestError(HarnessError):
    """A request the cassette has no recording for, while recording is not allowed."""
