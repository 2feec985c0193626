"""Parsing JSON text from a cassette file, with errors that name the file and the place."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness.errors import CassetteError

try:
    import jiter
except ImportError:  # an environment installed before the dependency was: json.loads reads all
    jiter = None  # type: ignore[assignment]

# jiter (pydantic's parser, the openai SDK's too) reads a document about twice as fast as json.loads
# and refuses duplicate keys itself. It reads a copy of the text as bytes, so only texts up to this
# size take it: a test's cassette, where the copy costs nothing, not a large one held once more.
_FAST_TEXT_CHARS = 256 * 1024
# Python refuses to convert integers longer than its limit (CVE-2020-10735; 640 digits at the least)
_LONG_INTEGER = re.compile(r"\d{640,}")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return mapping


def _line_column(text: str, offset: int, line: int | None) -> str:
    number = line or text.count("\n", 0, offset) + 1
    return f"line {number}, column {offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def parse_json_text(text: str, path: str | Path | None, *, line: int | None = None) -> Any:
    """The document, or one CassetteError: invalid JSON, a duplicate key, an integer too long to read.

    ``line``: the text is that one line of the file (jsonl), so errors name it.
    """
    if jiter is not None and len(text) <= _FAST_TEXT_CHARS:
        try:
            return jiter.from_json(text.encode(), catch_duplicate_keys=True, cache_mode="keys")
        except (ValueError, UnicodeEncodeError):
            pass  # anything jiter refuses is read again below, which accepts or names the problem
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError) as error:
        raise json_failure(
            error,
            text,
            path,
            lambda offset: _line_column(text, offset, line),
            place=f"line {line}" if line else None,
        ) from None


def parse_small_json_bytes(data: bytes) -> Any:
    """The document in a file's bytes read by jiter straight from them (it checks the UTF-8 itself:
    what it accepts, ``data.decode()`` gives the same text of). Raises ValueError for whatever it
    refuses, a byte-order mark included, and when jiter is absent or ``data`` is large: then the
    caller reads the text the usual way, which accepts it or names the problem."""
    if jiter is None or len(data) > _FAST_TEXT_CHARS:
        raise ValueError("not read straight from the bytes")
    return jiter.from_json(data, catch_duplicate_keys=True, cache_mode="keys")


# a decoder whose objects refuse duplicate keys, for a reader taking a document a value at a time
UNIQUE_KEYS_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys)


def duplicate_key_failure(key: str, place: str | None, path: str | Path | None) -> CassetteError:
    return CassetteError(
        path,
        f"invalid JSON: duplicate key {json.dumps(key)} in one object (which one is meant?)",
        location=place,
    )


def json_reason(error: json.JSONDecodeError) -> str:
    """What json says is wrong, without the words that led to its position ("Unterminated string
    starting at"): the harness's one-line errors name the place first, as ``line 3, column 9``."""
    return error.msg.removesuffix(" at").removesuffix(" starting")


def json_failure(
    error: ValueError | RecursionError,
    text: str,
    path: str | Path | None,
    locate: Callable[[int], str],
    *,
    start: int = 0,
    place: str | None = None,
) -> CassetteError:
    """The one-line error for what parsing ``text`` from ``start`` raised: ``locate`` names an
    offset of ``text``, ``place`` is said for a failure that has none (a duplicate key)."""
    if isinstance(error, json.JSONDecodeError):
        return CassetteError(path, f"invalid JSON: {json_reason(error)}", location=locate(error.pos))
    if isinstance(error, _DuplicateKey):
        return duplicate_key_failure(error.key, place, path)
    if isinstance(error, RecursionError):
        return CassetteError(path, "invalid JSON: nested too deeply", location=place)
    found = _LONG_INTEGER.search(text, start)
    return CassetteError(
        path, "invalid JSON: an integer too long to read", location=locate(found.start()) if found else place
    )
