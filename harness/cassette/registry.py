"""Every cassette format the harness reads or writes, in one list.

A format is one :class:`CassetteFormat`: its registry key (the value of
``Cassette.source_format`` for a cassette read from it), the file suffixes it
uses (the first is the one an export gets), ``sniff`` (does the head of a
file look like this format?), ``read`` (bytes to a cassette) and, when the
harness can write it, ``write``. Loading, ``harness export``, ``harness
import`` and writing a file back (``harness scrub``) all ask this list, so
adding a format is adding one entry.

The list is in sniffing order: the first format whose ``sniff`` accepts a
file reads it. Formats sharing a serialization (the JSON and YAML documents
of the VCR family) share their sniffer and reader, which parses the document
once and names the precise key from what it finds in it.

Only the harness's own format is imported with the registry; every other format's module (and
YAML with them) is imported the first time one of its functions is called, so a session that
replays harness cassettes never pays for them.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.cassette.formats import ExportError, native
from harness.cassette.model import Cassette, ExchangeReading, handed_over

__all__ = [
    "FORMATS",
    "SNIFF_BYTES",
    "CassetteFormat",
    "ExportError",
    "detect_format",
    "export",
    "format_named",
    "writable_formats",
]

# How much of a file the sniffers see.
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class CassetteFormat:
    name: str
    suffixes: tuple[str, ...]
    sniff: Callable[[bytes, Path], bool]
    read: Callable[[bytes, Path], Cassette]
    write: Callable[[Cassette], bytes] | None
    description: str
    # bytes to the cassette's exchanges one at a time, for a format that can be read so
    stream: Callable[[bytes, Path], ExchangeReading] | None = None

    @property
    def suffix(self) -> str:
        return self.suffixes[0]

    @property
    def reader(self) -> Callable[[bytes, Path], Cassette]:
        """``read`` itself, imported if it is not yet. A caller handing over the only reference to a
        file's bytes calls this one: no wrapper's arguments then keep the bytes alive while read."""
        return self.read.resolve() if isinstance(self.read, _Deferred) else self.read

    @property
    def exchange_reader(self) -> Callable[[bytes, Path], ExchangeReading]:
        """Bytes to the exchanges one at a time: ``stream`` (imported), or for a format read only
        whole, its exchanges handed over once ``read``. Hand over the only reference to the bytes."""
        if self.stream is None:
            return functools.partial(_read_whole, self.reader)
        return self.stream.resolve() if isinstance(self.stream, _Deferred) else self.stream


def _read_whole(read: Callable[[bytes, Path], Cassette], data: bytes, path: Path) -> ExchangeReading:
    owned = [data]
    del data
    return (yield from handed_over(read(owned.pop(), path)))


def _write_native(cassette: Cassette) -> bytes:
    return native.dumps(cassette).encode("utf-8")


class _Deferred:
    """The function ``module.attribute`` of ``harness.cassette.formats``, imported at its first call."""

    def __init__(self, name: str) -> None:
        self.module, self.attribute = name.rsplit(".", 1)

    def resolve(self) -> Callable[..., Any]:
        module = importlib.import_module(f"harness.cassette.formats.{self.module}")
        function: Callable[..., Any] = getattr(module, self.attribute)
        return function

    def __call__(self, *arguments: Any) -> Any:
        return self.resolve()(*arguments)


_DEFERRED: dict[str, _Deferred] = {}


def _lazy(name: str) -> Callable[..., Any]:
    """One :class:`_Deferred` per name, so formats sharing a sniffer still share its verdict."""
    return _DEFERRED.setdefault(name, _Deferred(name))


FORMATS: tuple[CassetteFormat, ...] = (
    CassetteFormat(
        "harness",
        (".json",),
        native.looks_native_bytes,
        native.read,
        _write_native,
        "the harness's own cassette",
    ),
    CassetteFormat(
        "jsonl",
        (".jsonl",),
        _lazy("jsonl.looks_like_jsonl"),
        _lazy("jsonl.read"),
        _lazy("jsonl.write"),
        "one JSON object per line",
    ),
    CassetteFormat(
        "har",
        (".har",),
        _lazy("vcr_family.looks_like_json_document"),
        _lazy("vcr_family.read_json_document"),
        _lazy("har.write"),
        "HTTP Archive 1.2",
        _lazy("vcr_family.iter_json_document"),
    ),
    CassetteFormat(
        "vcrpy-json",
        (".json",),
        _lazy("vcr_family.looks_like_json_document"),
        _lazy("vcr_family.read_json_document"),
        _lazy("vcrpy.write_json"),
        "vcrpy / pytest-recording, JSON serializer",
        _lazy("vcr_family.iter_json_document"),
    ),
    CassetteFormat(
        "ruby-vcr-json",
        (".json",),
        _lazy("vcr_family.looks_like_json_document"),
        _lazy("vcr_family.read_json_document"),
        None,
        "Ruby VCR, JSON",
        _lazy("vcr_family.iter_json_document"),
    ),
    CassetteFormat(
        "cassetter-json",
        (".json",),
        _lazy("vcr_family.looks_like_json_document"),
        _lazy("vcr_family.read_json_document"),
        None,
        "cassetter, JSON",
        _lazy("vcr_family.iter_json_document"),
    ),
    CassetteFormat(
        "test-proxy",
        (".json",),
        _lazy("vcr_family.looks_like_json_document"),
        _lazy("vcr_family.read_json_document"),
        None,
        "Azure SDK test-proxy session record (openai-dotnet, Azure SDKs)",
        _lazy("vcr_family.iter_json_document"),
    ),
    CassetteFormat(
        "vcrpy",
        (".yaml", ".yml"),
        _lazy("vcr_family.looks_like_yaml_document"),
        _lazy("vcr_family.read_yaml_document"),
        _lazy("vcrpy.write_yaml"),
        "vcrpy / pytest-recording, YAML",
    ),
    CassetteFormat(
        "ruby-vcr",
        (".yml", ".yaml"),
        _lazy("vcr_family.looks_like_yaml_document"),
        _lazy("vcr_family.read_yaml_document"),
        _lazy("ruby_vcr.write_yaml"),
        "Ruby VCR, YAML",
    ),
    CassetteFormat(
        "cassetter",
        (".yaml", ".yml"),
        _lazy("vcr_family.looks_like_yaml_document"),
        _lazy("vcr_family.read_yaml_document"),
        _lazy("cassetter.write_yaml"),
        "cassetter, YAML",
    ),
    CassetteFormat(
        "cassetter-toml",
        (".toml",),
        _lazy("cassetter.looks_like_toml_cassette"),
        _lazy("cassetter.read_toml"),
        None,
        "cassetter, TOML",
    ),
    CassetteFormat(
        "sse",
        (".sse", ".txt"),
        _lazy("raw_sse.looks_like_sse"),
        _lazy("raw_sse.read_sse"),
        _lazy("raw_sse.write_sse"),
        "a raw text/event-stream body; bodies one after the other",
    ),
)

_BY_NAME = {entry.name: entry for entry in FORMATS}


def format_named(name: str) -> CassetteFormat:
    """The format registered as ``name``; :class:`ExportError` naming the known ones otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ExportError(f"unknown cassette format {name!r}; known: {', '.join(_BY_NAME)}") from None


def writable_formats() -> tuple[str, ...]:
    return tuple(entry.name for entry in FORMATS if entry.write is not None)


def detect_format(head: bytes, path: Path) -> CassetteFormat | None:
    """The first format whose sniffer accepts ``head`` (the start of the file at ``path``)."""
    verdicts: dict[Callable[[bytes, Path], bool], bool] = {}
    for entry in FORMATS:
        if entry.sniff not in verdicts:
            verdicts[entry.sniff] = entry.sniff(head, path)
        if verdicts[entry.sniff]:
            return entry
    return None


def export(cassette: Cassette, name: str) -> bytes:
    """``cassette`` in the format registered as ``name``; raises :class:`ExportError`."""
    entry = format_named(name)
    if entry.write is None:
        raise ExportError(
            f"the harness reads {name} cassettes but cannot write them; choose one of "
            f"{', '.join(writable_formats())}"
        )
    return entry.write(cassette)
