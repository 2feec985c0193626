"""Turning a PATH given on the command line into the streams of one conversation."""

from __future__ import annotations

from pathlib import Path

from harness.cassette import Cassette, load_cassette
from harness.cli.errors import CommandError
from harness.errors import CassetteError
from harness.sse import ServerSentEvent, parse_sse


def load_cassette_or_fail(path: str | Path) -> Cassette:
    """The cassette at ``path`` in any supported format (a raw `.sse` body counts as one
    stream); a :class:`CommandError` naming the file and the place otherwise."""
    try:
        return load_cassette(path)
    except CassetteError as error:
        raise CommandError(str(error)) from None


def load_streams(path: str | Path) -> list[list[ServerSentEvent]]:
    """The decoded events of every streamed response stored at ``path``, in recorded order."""
    return [parse_sse(stream.frames) for stream in load_cassette_or_fail(path).streams]
