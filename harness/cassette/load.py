"""Reading any cassette a user may hold: read the head once, pick the format, read the file once."""

from __future__ import annotations

import stat
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.cassette.chunk_table import ChunkTableRefit
from harness.cassette.model import Cassette, Exchange, ExchangeReading
from harness.cassette.registry import SNIFF_BYTES, CassetteFormat, detect_format
from harness.errors import CassetteError
from harness.sse.decoder import BYTE_ORDER_MARK

MAX_CASSETTE_BYTES = 2 * 1024**3
EMPTY_FILE = "the file is empty"
# a stream recorded over more than an hour is not a test fixture; larger times are hostile or broken
MAX_ARRIVAL_SECONDS = 3600.0

_CONFLICT_MARKERS = (b"<<<<<<< ", b">>>>>>> ")
_BYTE_PROBES = 32
GZIP_MAGIC = b"\x1f\x8b"


class UnrecognisedFormatError(CassetteError):
    """A file that none of the registered formats reads."""


_NOT_REGULAR = {
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
}


def check_regular_file(path: Path) -> None:
    """Refuse, before opening it, anything but a regular file of a sane size: reading a device
    (``/dev/zero`` through a symlink) never ends and opening a FIFO blocks."""
    status = path.stat()
    kind = _NOT_REGULAR.get(stat.S_IFMT(status.st_mode))
    if kind is not None:
        raise CassetteError(path, f"is {kind}, not a regular file; refusing to read it")
    if status.st_size > MAX_CASSETTE_BYTES:
        raise CassetteError(path, f"larger than {MAX_CASSETTE_BYTES} bytes; refusing to load")


def load_cassette(path: str | Path) -> Cassette:
    """Load a cassette in any registered format (see :mod:`harness.cassette.registry`).

    Raises :class:`CassetteError` naming the file and the place of the problem;
    never executes anything found in the file.
    """
    path = Path(path)
    data, chosen = read_and_detect(path)
    # The reader gets the only reference to the file's bytes (a call hands a temporary over), so it
    # can let them go once decoded: a reader of a large file holds its bytes, text and parsed
    # document one or two at a time, never all three.
    owned = [data]
    del data
    cassette = chosen.reader(owned.pop(), path)
    check_timings(cassette, path)
    return cassette


def read_exchanges(path: str | Path) -> ExchangeReading:
    """:func:`load_cassette` an exchange at a time, for a format that can be read so (see
    :attr:`CassetteFormat.exchange_reader`): a consumer that lets each exchange go never holds the
    cassette. Every error :func:`load_cassette` would raise is raised, the file's own first, after
    the exchanges read before it: a caller shows nothing until the reading ends."""
    path = Path(path)
    data, chosen = read_and_detect(path)
    owned = [data]
    del data
    reading = chosen.exchange_reader(owned.pop(), path)
    failure: CassetteError | None = None
    number = 0
    while True:
        try:
            exchange = next(reading)
        except StopIteration as stop:
            cassette: Cassette = stop.value
            break
        failure = failure or timing_failure(exchange, number, path)
        if failure is None:
            yield exchange
        del exchange
        number += 1
    if failure is not None:
        raise failure
    return cassette


def check_timings(cassette: Cassette, path: Path) -> None:
    """Arrival times are finite, non-negative and at most ``MAX_ARRIVAL_SECONDS`` (replays sleep them)."""
    for number, exchange in enumerate(cassette.exchanges):
        failure = timing_failure(exchange, number, path)
        if failure is not None:
            raise failure


def timing_failure(exchange: Exchange, number: int, path: Path) -> CassetteError | None:
    """What is wrong with the first arrival time of exchange ``number`` out of range, if one is."""
    stream = exchange.response.stream
    for chunk, moment in enumerate(stream.arrival_times() if stream else ()):
        if not 0.0 <= moment <= MAX_ARRIVAL_SECONDS:  # False for NaN too
            return CassetteError(
                path,
                f"a chunk arrives at {moment!r} s; arrival times must lie "
                f"between 0 and {MAX_ARRIVAL_SECONDS:g} s",
                location=f"exchanges[{number}].response.stream.chunk_times[{chunk}]",
            )
    return None


def load_cassette_noting_refits(path: str | Path) -> tuple[Cassette, list[str]]:
    """:func:`load_cassette`, with the chunk-table refit warnings returned instead of emitted."""
    with noted_refits() as notes:
        cassette = load_cassette(path)
    return cassette, notes


@contextmanager
def noted_refits() -> Iterator[list[str]]:
    """The chunk-table refit warnings raised in the block, in the list given once it ends; any
    other warning goes on as it came."""
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ChunkTableRefit)
        yield notes
    notes.extend(str(item.message) for item in caught if issubclass(item.category, ChunkTableRefit))
    for item in caught:
        if not issubclass(item.category, ChunkTableRefit):
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)


def read_and_detect(path: Path) -> tuple[bytes, CassetteFormat]:
    """The bytes of ``path`` and the format that reads them; CassetteError when there is none."""
    try:
        check_regular_file(path)
        with path.open("rb") as file:
            data = file.read()  # at once: a head read first and joined to the rest would copy it all
        head = data[:SNIFF_BYTES]
    except FileNotFoundError:
        raise CassetteError(path, "no such file") from None
    except IsADirectoryError:
        raise CassetteError(path, "is a directory, not a cassette file") from None
    except OSError as error:
        raise CassetteError(path, f"cannot read: {error.strerror}") from None
    sniffed_as = path
    if data.startswith(GZIP_MAGIC):  # e.g. langchain's ``*.yaml.gz`` vcrpy cassettes
        data = _gunzip(data, path)
        head = data[:SNIFF_BYTES]
        sniffed_as = path.with_suffix("") if path.suffix.lower() == ".gz" else path
    if data.startswith(BYTE_ORDER_MARK):  # as editors on Windows write it; no format's own bytes
        data = data[len(BYTE_ORDER_MARK) :]
        head = data[:SNIFF_BYTES]
    check_no_conflict_marker(data, path)
    chosen = detect_format(head, sniffed_as)
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


def _gunzip(data: bytes, path: Path) -> bytes:
    """The content of a gzip file, refusing to inflate past :data:`MAX_CASSETTE_BYTES`."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        content = inflater.decompress(data, MAX_CASSETTE_BYTES)
    except zlib.error as error:
        raise CassetteError(path, f"gzip data is corrupt: {error}") from None
    if inflater.unconsumed_tail:
        raise CassetteError(path, f"inflates to more than {MAX_CASSETTE_BYTES} bytes; refusing to load")
    if not inflater.eof:
        raise CassetteError(path, "gzip data is truncated")
    return content


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
    positions = [_first_at_line_start(data, marker) for marker in _CONFLICT_MARKERS]
    return min((position for position in positions if position is not None), default=None)


def _first_at_line_start(data: bytes, marker: bytes) -> int | None:
    """Where ``marker`` first starts a line, or None. Looking for its first byte alone is a memchr,
    some 40 times faster on a cassette than looking for the marker (which costs a load more than
    parsing the chunk table); past a few dozen false starts the marker itself is looked for."""
    first, found = marker[:1], -1
    for _ in range(_BYTE_PROBES):
        found = data.find(first, found + 1)
        if found < 0:
            return None
        if data.startswith(marker, found) and (found == 0 or data[found - 1] == 0x0A):
            return found
    found = data.find(b"\n" + marker, found)
    return None if found < 0 else found + 1
