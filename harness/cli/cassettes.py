"""Loading the cassettes named on the command line, with errors as one-line messages."""

from __future__ import annotations

import sys
from pathlib import Path

from harness.cassette.load import load_cassette_noting_refits
from harness.cassette.model import Cassette
from harness.cli.errors import CommandError
from harness.errors import CassetteError


def open_cassette(path: str | Path) -> Cassette:
    """The cassette at ``path`` in any format the harness reads (a raw ``.sse`` body included).

    A chunk table refit after a hand edit is said on stderr, one line per stream."""
    try:
        cassette, refits = load_cassette_noting_refits(path)
    except CassetteError as error:
        raise CommandError(str(error)) from None
    for note in refits:
        print(f"warning: {note}", file=sys.stderr)
    return cassette
