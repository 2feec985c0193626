"""Writing a cassette in the formats other tools read.

Exporters return bytes and do not scrub: a caller writing them to disk
should check them with :func:`harness.scrub.find_secrets` first, as
``save_cassette`` does.
"""

from __future__ import annotations

from collections.abc import Callable

from harness.cassette.formats import ExportError, cassetter, har, jsonl, native, raw_sse, ruby_vcr, vcrpy
from harness.cassette.model import Cassette

Exporter = Callable[[Cassette], bytes]

EXPORTERS: dict[str, Exporter] = {
    "harness": lambda cassette: native.dumps(cassette).encode("utf-8"),
    "har": har.write,
    "jsonl": jsonl.write,
    "sse": raw_sse.write_sse,
    "vcrpy": vcrpy.write_yaml,
    "vcrpy-json": vcrpy.write_json,
    "ruby-vcr": ruby_vcr.write_yaml,
    "cassetter": cassetter.write_yaml,
}

SUFFIXES: dict[str, str] = {
    "harness": ".json",
    "har": ".har",
    "jsonl": ".jsonl",
    "sse": ".sse",
    "vcrpy": ".yaml",
    "vcrpy-json": ".json",
    "ruby-vcr": ".yml",
    "cassetter": ".yaml",
}

__all__ = ["EXPORTERS", "SUFFIXES", "ExportError", "Exporter", "export"]


def export(cassette: Cassette, format_name: str) -> bytes:
    """The cassette in ``format_name`` (a key of :data:`EXPORTERS`); raises :class:`ExportError`."""
    try:
        exporter = EXPORTERS[format_name]
    except KeyError:
        raise ExportError(
            f"unknown export format {format_name!r}; choose one of {', '.join(EXPORTERS)}"
        ) from None
    return exporter(cassette)
