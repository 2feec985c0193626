"""Reading any cassette a user may hold: read the head once, pick the format, read the file once."""

from __future__ import annotations

import warnings
from pathlib import Path

from harness.cassette.chunk_table import ChunkTableRefit
from harness.cassette.model import Cassette
from harness.cassette.registry import SNIFF_BYTES, CassetteFormat, detect_format
from harness.errors import CassetteError

MAX_CASSETTE_BYTES = 2 * 1024**3
EMPTY_FILE = "the file is empty"

_CONFLICT_MARKERS = (b"<<<<<<< ", b">>>>>>> ")


class UnrecognisedFormatError(CassetteError):
    """A file that none of the registered formats reads."""


def load_cassette(path: str | Path) -> Cassette:
    """Load a cassette in any registered format (see :mod:`harness.cassette.registry`).

    Raises :class:`CassetteError` naming the file and the place of the problem;
    never executes anything found in the file.
    """
    path = Path(path)
    data, chosen = read_and_detect(path)
    return chosen.read(data, path)


def load_cassette_noting_refits(path: str | Path) -> tuple[Cassette, list[str]]:
    """:func:`load_cassette`, with the chunk-table refit warnings returned instead of emitted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ChunkTableRefit)
        cassette = load_cassette(path)
    notes = [str(item.message) for item in caught if issubclass(item.category, ChunkTableRefit)]
    for item in caught:  # anything else goes on as it came
        if not issubclass(item.category, ChunkTableRefit):
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    return cassette, notes


def read_and_detect(path: Path) -> tuple[bytes, CassetteFormat]:
    """The bytes of ``path`` and the format that reads them; CassetteError when there is none."""
    try:
        if path.stat().st_size > MAX_CASSETTE_BYTES:
            raise CassetteError(path, f"larger than {MAX_CASSETTE_BYTES} bytes; refusing to load")
        with path.open("rb") as file:
            head = file.read(SNIFF_BYTES)
            data = head + file.read() if len(head) == SNIFF_BYTES else head
    except FileNotFoundError:
        raise CassetteError(path, "no such file") from None
    except IsADirectoryError:
        raise CassetteError(path, "is a directory, not a cassette file") from None
    except OSError as error:
        raise CassetteError(path, f"cannot read: {error.strerror}") from None
    check_no_conflict_marker(data, path)
    chosen = detect_format(head, path)
    if chosen is not None:
        return data, chosen
    if not data.strip():
        raise UnrecognisedFormatError(path, EMPTY_FILE)
    raise UnrecognisedFormatError(
        path,
        "unrecognised format: expected a harness cassette, a vcrpy / pytest-recording "
        "or Ruby VCR cassette, a HAR file, a cassetter cassette, an Azure test-proxy "
        "recording or a raw .sse body",
    )


def check_no_conflict_marker(data: bytes, path: Path) -> None:
    """A file left mid-merge by git says so, with the line of the first marker."""
    start = _first_conflict_marker(data)
    if start is not None:
        line = data.count(b"\n", 0, start) + 1
        raise CassetteError(
            path,
            "holds a git conflict marker: resolve the merge conflict first",
            location=f"line {line}",
        )


def _first_conflict_marker(data: bytes) -> int | None:
    positions = []
    for marker in _CONFLICT_MARKERS:
        if data.startswith(marker):
            positions.append(0)
            continue
        found = data.find(b"\n" + marker)
        if found >= 0:
            positions.append(found + 1)
    return min(positions, default=None)
