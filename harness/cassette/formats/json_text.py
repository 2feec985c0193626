"""Parsing JSON text from a cassette file, with errors that name the file and the place."""

from __future__ import annotations

import json
import re
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
    except json.JSONDecodeError as error:
        raise CassetteError(
            path, f"invalid JSON: {error.msg}", location=_line_column(text, error.pos, line)
        ) from None
    except _DuplicateKey as error:
        raise CassetteError(
            path,
            f"invalid JSON: duplicate key {json.dumps(error.key)} in one object (which one is meant?)",
            location=f"line {line}" if line else None,
        ) from None
    except ValueError:
        found = _LONG_INTEGER.search(text)
        raise CassetteError(
            path,
            "invalid JSON: an integer too long to read",
            location=_line_column(text, found.start(), line) if found else None,
        ) from None
    except RecursionError:
        raise CassetteError(
            path, "invalid JSON: nested too deeply", location=f"line {line}" if line else None
        ) from None
