"""Reading any cassette a user may hold: detect the format, then parse it safely."""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness.cassette.formats import cassetter, json_cassettes, jsonl, native, raw_sse, yaml_cassettes
from harness.cassette.model import Cassette
from harness.errors import CassetteError

MAX_CASSETTE_BYTES = 2 * 1024**3
# a stream recorded over more than an hour is not a test fixture; larger times are hostile or broken
MAX_ARRIVAL_SECONDS = 3600.0


@dataclass(frozen=True)
class CassetteFormat:
    """A readable format: ``sniff`` looks at the bytes and the name, ``read`` parses them."""

    name: str
    sniff: Callable[[bytes, Path], bool]
    read: Callable[[bytes, Path], Cassette]


def _read_native(data: bytes, path: Path) -> Cassette:
    return native.loads(_text(data, path), path)


def _text(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CassetteError(
            path, f"not valid UTF-8 ({error.reason})", location=f"byte {error.start}"
        ) from None


READERS: list[CassetteFormat] = [
    CassetteFormat(
        "harness", lambda data, path: native.looks_native(data[:256].decode("utf-8", "replace")), _read_native
    ),
    CassetteFormat("jsonl", jsonl.looks_like_jsonl, jsonl.read),
    CassetteFormat(
        "json (HAR, vcrpy, Ruby VCR)", json_cassettes.looks_like_json_cassette, json_cassettes.read
    ),
    CassetteFormat(
        "yaml (vcrpy, Ruby VCR, cassetter)", yaml_cassettes.looks_like_yaml_cassette, yaml_cassettes.read
    ),
    CassetteFormat("cassetter toml", cassetter.looks_like_toml_cassette, cassetter.read_toml),
]
FALLBACK = CassetteFormat("sse", raw_sse.looks_like_sse, raw_sse.read_sse)


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
    """Load a cassette in any supported format (see ``READERS``) or a raw ``.sse`` body.

    Raises :class:`CassetteError` naming the file and the place of the problem;
    never executes anything found in the file.
    """
    path = Path(path)
    cassette = _load(path)
    check_timings(cassette, path)
    return cassette


def check_timings(cassette: Cassette, path: Path) -> None:
    """Arrival times are finite, non-negative and at most ``MAX_ARRIVAL_SECONDS`` (replays sleep them)."""
    for number, exchange in enumerate(cassette.exchanges):
        stream = exchange.response.stream
        for chunk, moment in enumerate(stream.chunk_times if stream else ()):
            if not 0.0 <= moment <= MAX_ARRIVAL_SECONDS:  # False for NaN too
                raise CassetteError(
                    path,
                    f"a chunk arrives at {moment!r} s; arrival times must lie "
                    f"between 0 and {MAX_ARRIVAL_SECONDS:g} s",
                    location=f"exchanges[{number}].response.stream.chunk_times[{chunk}]",
                )


def _load(path: Path) -> Cassette:
    try:
        check_regular_file(path)
        with path.open("rb") as file:
            head = file.read(256)
        if native.looks_native(head.decode("utf-8", "replace")):
            return native.load_path(path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise CassetteError(path, "no such file") from None
    except IsADirectoryError:
        raise CassetteError(path, "is a directory, not a cassette file") from None
    except OSError as error:
        raise CassetteError(path, f"cannot read: {error.strerror}") from None
    for reader in READERS:
        if reader.sniff(data, path):
            return reader.read(data, path)
    if FALLBACK.sniff(data, path):
        return FALLBACK.read(data, path)
    if not data.strip():
        raise CassetteError(path, "the file is empty")
    raise CassetteError(
        path,
        "unrecognised format: expected a harness cassette, a vcrpy / pytest-recording "
        "or Ruby VCR cassette, a HAR file, a cassetter cassette or a raw .sse body",
    )
