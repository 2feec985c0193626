"""Loading the cassettes named on the command line, with errors as one-line messages."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from harness.cassette.load import load_cassette_noting_refits, noted_refits, read_exchanges
from harness.cassette.model import Cassette, Exchange
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


def open_exchanges(path: str | Path) -> Iterator[Exchange]:
    """The exchanges of the cassette at ``path`` one at a time (:func:`read_exchanges`), errors and
    refit notes as :func:`open_cassette` gives them: the notes once the last exchange is read, an
    error when it is found, which may be after many exchanges (show nothing before the end)."""
    try:
        with noted_refits() as refits:
            yield from read_exchanges(path)
    except CassetteError as error:
        raise CommandError(str(error)) from None
    for note in refits:
        print(f"warning: {note}", file=sys.stderr)
