"""Reading the ``events`` lists of a harness cassette straight from the file's bytes.

Parsed as JSON, a stream of a million tiny events is a million Python strings (87 bytes each for
a 38-byte event) beside the file's text. The lists of strings are instead cut out of the bytes
and decoded a batch at a time into the stream's body; the rest of the document, small, is parsed
as JSON with each list replaced by a placeholder that names it. Anything unusual in a list (a
frame kept as base64, an escape that is not UTF-8, text that is not JSON, a run of events over a
MiB that is also more than a sixteenth of the file) leaves the file to the plain reader, which
says what is wrong and where. Lists written an event a line, as the harness writes them, are cut
by finding lines; the pattern reads what is laid out otherwise.
"""

from __future__ import annotations

import json
import re
import secrets
from array import array
from dataclasses import dataclass
from itertools import accumulate, islice
from typing import NamedTuple

from harness.cassette.frames import Frames, encoded_texts, offsets

BATCH = 256  # strings matched and decoded at once
# A batch longer than this holds long lines, which the plain reader holds at about twice their
# size: cut out and decoded here they would be copied once more on the way. That costs little when
# the batch is a small part of the file (the last event of a long stream, say, holding the whole
# message), so a batch goes to the plain reader only when it is long and also more than a
# LONG_SHARE-th of the file.
LONG_BATCH = 1 << 20
LONG_SHARE = 16
_EVENTS_KEY = re.compile(rb'(?<!\\)"events"[ \t\n\r]*:[ \t\n\r]*\[')
_STRING = rb'[ \t\n\r]*"[^"\\]*(?:\\.[^"\\]*)*"[ \t\n\r]*'
# up to BATCH strings of a list, the separator after the last: "," (more follow) or "]"
_RUN = re.compile(rb"(?:%s,){0,%d}%s([,\]])" % (_STRING, BATCH - 1, _STRING))
_EMPTY = re.compile(rb"[ \t\n\r]*\]")
_SPACE = re.compile(rb"[ \t\n\r]*")


class NotPlain(Exception):
    """A list this reader leaves to the plain JSON reader."""


@dataclass(slots=True)
class _List:
    pieces: list[bytes]
    ends: array[int]


class EventLists:
    """The lists cut out of one file, each taken once, by the placeholder left in its place."""

    def __init__(self, lists: list[_List], token: str) -> None:
        self._lists: list[_List | None] = list(lists)
        self._token = token

    def __len__(self) -> int:
        return len(self._lists)

    def number(self, value: object) -> int | None:
        """Which list a placeholder names (None for any other value)."""
        if not isinstance(value, str) or not value.startswith(self._token):
            return None
        digits = value[len(self._token) :]
        return int(digits) if digits.isdigit() and int(digits) < len(self._lists) else None

    def take(self, number: int) -> Frames:
        taken = self._lists[number]
        assert taken is not None, "each list is named by one placeholder, checked before any is taken"
        self._lists[number] = None
        body = b"".join(taken.pieces)
        taken.pieces.clear()
        return Frames(body, taken.ends)


def cut_event_lists(data: bytes) -> tuple[bytes, EventLists]:
    """``data`` with each ``"events": [...]`` list of strings replaced by a placeholder string,
    and the lists. Raises :class:`NotPlain` when a list is not one of plain UTF-8 strings, or when
    the lists are not the most of the file (the rest would be copied for little gain)."""
    token = f"\x00harness-events-{secrets.token_hex(8)}-"
    kept: list[bytes] = []
    lists: list[_List] = []
    position = 0
    while (found := _EVENTS_KEY.search(data, position)) is not None:
        start = found.end() - 1  # the list's "["
        events, end = _strings(data, found.end())
        kept.append(data[position:start])
        kept.append(json.dumps(f"{token}{len(lists)}").encode("ascii"))
        lists.append(events)
        position = end
    kept.append(data[position:])
    if sum(len(piece) for piece in kept) > len(data) // 2:  # not a file of long streams
        raise NotPlain("the rest of the document is the most of it")
    return b"".join(kept), EventLists(lists, token)


def _strings(data: bytes, position: int) -> tuple[_List, int]:
    """The list of strings starting at ``position`` (just after its ``[``), and where it ends."""
    events = _List([], offsets(()))
    empty = _EMPTY.match(data, position)
    if empty is not None:
        return events, empty.end()
    while True:
        run = _run_of_lines(data, position)
        if run is None or not _take(data, run, events, or_none=True):
            run = _run(data, position)
            _take(data, run, events)
        position = run.end
        if run.last:
            return events, position


class _Run(NamedTuple):
    """Strings of a list in ``data[start:stop]``; the list goes on at ``end``, or ends there."""

    start: int
    stop: int
    end: int
    last: bool


def _take(data: bytes, run: _Run, events: _List, *, or_none: bool = False) -> bool:
    """The strings of ``run`` decoded into ``events``; with ``or_none``, False when they are not a
    run of strings. A run both long and a large part of the file is left to the plain reader before
    any copy is made."""
    length = run.stop - run.start
    if length > LONG_BATCH and length > len(data) // LONG_SHARE:
        raise NotPlain("long events")
    try:
        _decode(data[run.start : run.stop], events)
    except NotPlain:
        if not or_none:
            raise
        return False
    return True


def _run(data: bytes, position: int) -> _Run:
    """Up to BATCH strings from ``position`` and the separator after the last: "," or the "]" that
    closes the list."""
    run = _RUN.match(data, position)
    if run is None:
        raise NotPlain("not a list of strings")
    return _Run(run.start(), run.end() - 1, run.end(), run.group(1) == b"]")


def _run_of_lines(data: bytes, position: int) -> _Run | None:
    """:func:`_run` for BATCH lines that each end in ``",\\n`` (the harness writes an event a line; a
    string holds no raw newline), found by ``find`` instead of the pattern's scan of each string;
    None for lines laid out otherwise (the list's last ones, say). Whether they are strings is
    for the decoding to say."""
    position = end = _SPACE.match(data, position).end()  # type: ignore[union-attr]  # it matches ""
    for _ in range(BATCH):
        end = data.find(b"\n", end) + 1
        if end == 0:
            return None
    if data.count(b'",\n', position, end) != BATCH:
        return None
    return _Run(position, end - 2, end, False)


def _decode(strings: bytes, events: _List) -> None:
    try:
        joined, lengths = encoded_texts(json.loads("[" + strings.decode("utf-8") + "]"))
    except (ValueError, TypeError) as error:  # invalid JSON or UTF-8, a lone surrogate
        raise NotPlain(str(error)) from None
    events.ends.extend(islice(accumulate(lengths, initial=events.ends[-1] if events.ends else 0), 1, None))
    events.pieces.append(joined)
