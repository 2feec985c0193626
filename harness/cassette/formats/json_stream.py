"""A JSON document read a value at a time, so a reader can convert each part and let it go.

``json.loads`` of a whole document holds its parsed tree at once: a file of a million small
objects costs about five times its text. Here the outer objects and arrays are walked by hand
(keys read by the C ``scanstring``) and each value inside is parsed on its own by the same decoder
``json_text`` uses (duplicate keys refused, long integers and deep nesting named), so what loads
and every error message stay those of the whole-document parse, with the place added where that
one had none. The text read so far is let go in large steps (the rest copied once it is at most
as long as what was read), so a long document is not held whole until its last value is read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from harness.cassette.formats.json_text import (
    UNIQUE_KEYS_DECODER,
    duplicate_key_failure,
    json_failure,
    json_reason,
)
from harness.errors import CassetteError

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# below this many characters read, the text is kept whole: copying its rest would gain nothing
_RELEASE_CHARS = 1 << 20
# what the whole-document parser has read just before each place a hand walk checks punctuation:
# its own error message for the character found there is asked of it (they differ by Python version)
_OBJECT_START, _AFTER_KEY, _AFTER_MEMBER, _AFTER_MEMBER_COMMA = "{", '{""', '{"":0', '{"":0,'
_AFTER_ITEM, _AFTER_ITEM_COMMA = "[0", "[0,"


class JsonText:
    """The text of one JSON document and how far it has been read."""

    def __init__(self, text: str, path: Path | None) -> None:
        self.path = path
        self._text = text
        self._pos = 0
        self._base = 0  # offset in the whole document of ``_text[0]``
        self._lines = 0  # newlines before ``_base``
        self._last_newline = -1  # offset in the whole document of the last of them

    # --- places -------------------------------------------------------------------------------

    def location(self, offset: int) -> str:
        """``line L, column C`` of ``offset`` in the text held."""
        text = self._text
        newline = text.rfind("\n", 0, offset)
        line = self._lines + text.count("\n", 0, offset) + 1
        column = offset - newline if newline >= 0 else self._base + offset - self._last_newline
        return f"line {line}, column {column}"

    def _failure(self, error: ValueError | RecursionError, start: int, where: str) -> CassetteError:
        place = f"{where} ({self.location(start)})" if where else self.location(start)
        return json_failure(error, self._text, self.path, self.location, start=start, place=place)

    def _punctuation_error(self, parsed: str) -> CassetteError:
        """What ``json.loads`` says of the character here (or the end), having read ``parsed``."""
        probe = parsed + self._text[self._pos : self._pos + 1]
        try:
            UNIQUE_KEYS_DECODER.raw_decode(probe)
        except json.JSONDecodeError as error:
            return CassetteError(
                self.path,
                f"invalid JSON: {json_reason(error)}",
                location=self.location(self._pos + error.pos - len(parsed)),
            )
        raise AssertionError(f"{probe!r} parsed")  # pragma: no cover - only called where it cannot

    # --- reading ------------------------------------------------------------------------------

    def peek(self) -> str:
        """The next character after whitespace ("" at the end), not read."""
        self._pos = _WHITESPACE.match(self._text, self._pos).end()  # type: ignore[union-attr]
        return self._text[self._pos : self._pos + 1]

    def value(self, where: str) -> Any:
        """The value starting here, parsed whole; ``where`` (``log.entries[3]``) names it in errors."""
        self.peek()
        start = self._pos
        try:
            parsed, self._pos = UNIQUE_KEYS_DECODER.raw_decode(self._text, start)
        except (ValueError, RecursionError) as error:
            raise self._failure(error, start, where) from None
        return parsed

    def members(self) -> Iterator[str]:
        """The keys of the object starting here, each left for the caller to read its value.

        A duplicate key is reported when the object closes, as the whole-document parser does."""
        if self.peek() != "{":
            raise self._punctuation_error("")  # pragma: no cover - callers peek first
        self._pos += 1
        seen: set[str] = set()
        duplicate: tuple[str, str] | None = None  # the first key seen twice, and where
        expecting = _OBJECT_START
        if self.peek() != "}":
            while True:
                if self.peek() != '"':
                    raise self._punctuation_error(expecting)
                key_start = self._pos
                try:
                    key, self._pos = json.decoder.scanstring(self._text, self._pos + 1, True)  # type: ignore[attr-defined]
                except json.JSONDecodeError as error:
                    raise self._failure(error, key_start, "") from None
                if key in seen and duplicate is None:
                    duplicate = (key, self.location(key_start))
                seen.add(key)
                if self.peek() != ":":
                    raise self._punctuation_error(_AFTER_KEY)
                self._pos += 1
                self.peek()
                yield key
                separator = self.peek()
                if separator == "}":
                    break
                if separator != ",":
                    raise self._punctuation_error(_AFTER_MEMBER)
                self._pos += 1
                expecting = _AFTER_MEMBER_COMMA
        self._pos += 1
        if duplicate is not None:
            raise duplicate_key_failure(*duplicate, self.path)

    def items(self) -> Iterator[int]:
        """The indexes of the array starting here, each left for the caller to read its value."""
        if self.peek() != "[":
            raise self._punctuation_error("")  # pragma: no cover - callers peek first
        self._pos += 1
        if self.peek() != "]":
            index = 0
            while True:
                yield index
                index += 1
                separator = self.peek()
                if separator == "]":
                    break
                if separator != ",":
                    raise self._punctuation_error(_AFTER_ITEM)
                self._pos += 1
                if self.peek() == "]":
                    raise self._punctuation_error(_AFTER_ITEM_COMMA)
        self._pos += 1

    def end(self) -> None:
        """Nothing but whitespace is left (``Extra data`` otherwise); the text is let go."""
        if self.peek():
            raise CassetteError(self.path, "invalid JSON: Extra data", location=self.location(self._pos))
        self._text = ""

    def release(self) -> None:
        """Let go of the text read so far once it is at least as long as the rest: the rest is
        copied, so over a whole document the copies add up to at most its length."""
        text, pos = self._text, self._pos
        if pos < _RELEASE_CHARS or pos < len(text) - pos:
            return
        newline = text.rfind("\n", 0, pos)
        if newline >= 0:
            self._last_newline = self._base + newline
        self._lines += text.count("\n", 0, pos)
        self._base += pos
        self._text, self._pos = text[pos:], 0
