"""From file bytes to a walkable document: UTF-8 text, then JSON or YAML, within size limits."""

from __future__ import annotations

from pathlib import Path

from harness.cassette.formats.json_text import parse_json_text
from harness.cassette.formats.safe_yaml import parse_yaml
from harness.cassette.formats.tree import Node, Source
from harness.errors import CassetteError

# The pure-Python YAML parser needs a few seconds per 10 MB; beyond this a
# cassette is almost surely not what the user meant to open.
MAX_YAML_BYTES = 128 * 1024**2


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


def load_json(data: bytes, path: Path | None) -> Node:
    return parse_json(decode_text(data, path), path)


def load_yaml(data: bytes, path: Path | None) -> Node:
    if len(data) > MAX_YAML_BYTES:
        raise CassetteError(path, f"YAML cassette larger than {MAX_YAML_BYTES} bytes; refusing to parse")
    return parse_yaml(decode_text(data, path), path)
