"""From file bytes to a walkable document: UTF-8 text, then JSON or YAML, within size limits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from harness.cassette.formats.json_text import parse_json_text
from harness.cassette.formats.tree import Node, Source
from harness.errors import CassetteError

# The pure-Python YAML parser needs a few seconds per 10 MB; beyond this a
# cassette is almost surely not what the user meant to open.
MAX_YAML_BYTES = 128 * 1024**2

Built = TypeVar("Built")


def decode_text(data: bytes, path: Path | None) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CassetteError(
            path, f"not valid UTF-8 ({error.reason})", location=f"line {line} (byte {error.start})"
        ) from None


def parse_json(text: str, path: Path | None) -> Node:
    return Node(parse_json_text(text, path), "", Source(path))


def document_reader(
    build: Callable[[Node], Built], *, yaml: bool = False
) -> Callable[[bytes, Path | None], Built]:
    """A format's reader: file bytes to a JSON (or YAML) document, then ``build`` of it.

    Called with the only reference to the bytes (as :func:`harness.cassette.load.load_cassette`
    hands them over), the reader lets the bytes go once decoded and the text once parsed: peak
    memory is bytes + text, then text + document, then document + what ``build`` makes of it,
    never all at once (a cassette holding a long stream is big). The YAML parser is imported only
    by a YAML reader: loading harness cassettes never imports it."""
    parse = parse_json
    if yaml:
        from harness.cassette.formats.safe_yaml import parse_yaml

        parse = parse_yaml

    def read(data: bytes, path: Path | None) -> Built:
        if yaml and len(data) > MAX_YAML_BYTES:
            raise CassetteError(path, f"YAML cassette larger than {MAX_YAML_BYTES} bytes; refusing to parse")
        text = decode_text(data, path)
        del data
        root = parse(text, path)
        del text
        return build(root)

    return read
