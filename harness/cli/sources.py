"""Turning a PATH given on the command line into the streams of one conversation."""

from __future__ import annotations

from pathlib import Path

from harness.cli.errors import CommandError
from harness.sse import ServerSentEvent, parse_sse


def load_streams(path: str | Path) -> list[list[ServerSentEvent]]:
    """The streams stored at ``path``: for now a raw `text/event-stream` body (one stream).

    Raises :class:`CommandError` naming the file when it cannot be read.
    """
    source = Path(path)
    try:
        body = source.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{source}: is a directory, expected a .sse file") from None
    except OSError as error:
        raise CommandError(f"{source}: cannot read ({error.strerror or error})") from None
    return [parse_sse(body)]
