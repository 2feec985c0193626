"""Loading the cassettes named on the command line, with errors as one-line messages."""

from __future__ import annotations

from pathlib import Path

from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette
from harness.cli.errors import CommandError
from harness.errors import CassetteError


def open_cassette(path: str | Path) -> Cassette:
    """The cassette at ``path`` in any format the harness reads (a raw ``.sse`` body included)."""
    try:
        return load_cassette(path)
    except CassetteError as error:
        raise CommandError(str(error)) from None
