"""Incremental, chunk-boundary independent decoding of `text/event-stream` bytes.

Follows the WHATWG event-stream interpretation rules: ``\\n``, ``\\r\\n`` and
``\\r`` line ends, multi-line ``data:``, comments, ``id:`` / ``retry:``, a
leading BOM. One deliberate difference: an event still pending when the stream
closes (no final blank line) is dispatched, because real run streams end with
``data: [DONE]`` and no blank line, and every SDK accepts that.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator

from harness.sse.event import ServerSentEvent

BYTE_ORDER_MARK = b"\xef\xbb\xbf"  # UTF-8's; a text file may start with it, and it is not part of the text
_LINE_END = re.compile(rb"\r\n|\r|\n")
# An event as servers send it: its name, one data line, the blank line (or the end of a block whose
# dropped last newline is that blank line's end).
_USUAL_EVENT = re.compile(rb"event: ?([^\n]*)\ndata: ?([^\n]*)\n(?:\n|\Z)")
# Events past this size have their data decoded straight from the buffer (no copy of a long line).
_LONG_EVENT = 1 << 16


_SLOTS = ServerSentEvent.__dict__
_set_event, _set_data, _set_id, _set_retry = (
    _SLOTS[name].__set__ for name in ("event", "data", "id", "retry")
)
_allocate = object.__new__


def _new_event(event: str, data: str, event_id: str | None, retry: int | None) -> ServerSentEvent:
    """``ServerSentEvent(event, data, event_id, retry)`` without the frozen-dataclass ``__init__``, which
    costs more than the rest of decoding an event; the slots are written once, exactly as it would."""
    sse: ServerSentEvent = _allocate(ServerSentEvent)
    _set_event(sse, event)
    _set_data(sse, data)
    _set_id(sse, event_id)
    _set_retry(sse, retry)
    return sse


class SSEDecoder:
    """Feed bytes in any split; get back the events completed so far.

    ``event_ends`` lists, for every dispatched event, the offset in the whole
    byte stream just past the blank line that dispatched it (the stream's
    length for an event dispatched by :meth:`close`), so callers can cut the
    raw bytes into per-event frames without decoding twice.
    """

    __slots__ = (
        "_buffer",
        "_consumed",
        "_data",
        "_event",
        "_has_data",
        "_id",
        "_pieces",
        "_retry",
        "_started",
        "event_ends",
    )

    def __init__(self) -> None:
        self._buffer = b""
        self._pieces: list[bytes] = []  # chunks of an unfinished line that follow self._buffer
        self._consumed = 0  # bytes of the whole stream before self._buffer
        self._started = False
        self._event: str | None = None
        self._data: list[str] = []
        self._has_data = False
        self._id: str | None = None
        self._retry: int | None = None
        self.event_ends: list[int] = []

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        if not chunk:
            return []
        if (
            self._buffer
            and (self._pieces or not self._buffer.endswith(b"\r"))  # a held \r is decided by this chunk
            and b"\n" not in chunk
            and b"\r" not in chunk
        ):
            # still inside one long line: collect the pieces and join them once the line ends,
            # instead of copying the growing line again on every chunk
            self._pieces.append(chunk)
            return []
        if self._pieces:  # the long line ends in this chunk: one join, the pieces let go at once
            buffer = b"".join([self._buffer, *self._pieces, chunk])
            self._buffer, self._pieces = b"", []
        else:
            buffer = self._buffer + chunk if self._buffer else chunk
        if not self._started:
            if len(buffer) < len(BYTE_ORDER_MARK) and BYTE_ORDER_MARK.startswith(buffer):
                self._buffer = buffer
                return []
            buffer = self._skip_bom(buffer)
        events: list[ServerSentEvent] = []
        base = self._consumed
        # A trailing \r may be the first half of \r\n: keep it until the next byte.
        limit = len(buffer) - 1 if buffer.endswith(b"\r") else len(buffer)
        position = 0
        if b"\r" not in buffer:
            end = buffer.rfind(b"\n", 0, limit)
            if end >= 0:
                position = self._lf_lines(buffer, end, base, events)
        else:
            for match in _LINE_END.finditer(buffer, 0, limit):
                line = buffer[position : match.start()]
                position = match.end()
                self._line(line, base + position, events)
        self._consumed = base + position
        self._buffer = buffer[position:]
        return events

    def _take_buffer(self) -> bytes:
        if self._pieces:
            self._buffer = b"".join([self._buffer, *self._pieces])
            self._pieces = []
        return self._buffer

    def close(self) -> list[ServerSentEvent]:
        """End of stream: finish a last unterminated line, then a pending event."""
        events: list[ServerSentEvent] = []
        buffer, self._buffer = self._take_buffer(), b""
        if not self._started:
            buffer = self._skip_bom(buffer)
        if buffer:
            self._consumed += len(buffer)
            self._line(buffer[:-1] if buffer.endswith(b"\r") else buffer, self._consumed, events)
        self._dispatch(self._consumed, events)
        return events

    def _lf_lines(self, block: bytes, size: int, base: int, events: list[ServerSentEvent]) -> int:
        """The hot path of :meth:`feed`: ``block[:size]`` holds whole ``\\n``-terminated lines (the last
        ``\\n`` dropped; not sliced off, so a long line is not copied). Same rules as :meth:`_line`,
        inlined with the parser state in locals; an event in the usual shape (``event:``, one ``data:``,
        a blank line) with nothing pending before it is taken by one regular-expression match instead
        of line by line."""
        position = 0
        ends = self.event_ends
        name = self._event
        data = self._data
        has_data = self._has_data
        usual = _USUAL_EVENT.match
        while position <= size:
            if name is None and not has_data and self._retry is None:
                found = usual(block, position, size)
                if found is not None:
                    end = found.end()
                    # a long data line is decoded in place, without a copy of its bytes first
                    data_text = (
                        str(memoryview(block)[found.start(2) : found.end(2)], "utf-8", "replace")
                        if end - position > _LONG_EVENT
                        else found.group(2).decode("utf-8", "replace")
                    )
                    position = end if end < size or block.endswith(b"\n\n", 0, size) else size + 1
                    event_name = sys.intern(found.group(1).decode("utf-8", "replace")) or "message"
                    events.append(_new_event(event_name, data_text, self._id, None))
                    ends.append(base + position)
                    continue
            line_end = block.find(b"\n", position, size)
            if line_end < 0:
                line_end = size
            if line_end - position > _LONG_EVENT and block.startswith(b"data:", position):
                start = position + (6 if block[position + 5 : position + 6] == b" " else 5)
                data.append(str(memoryview(block)[start:line_end], "utf-8", "replace"))  # no copy first
                has_data = True
                position = line_end + 1
                continue
            line = block[position:line_end]
            position = line_end + 1
            if not line:
                if has_data:
                    events.append(_new_event(name or "message", "\n".join(data), self._id, self._retry))
                    ends.append(base + position)
                name = None
                data.clear()  # reused: one list per decoder, not per event
                has_data = False
                self._retry = None
            elif line.startswith(b"data:"):
                data.append((line[6:] if line[5:6] == b" " else line[5:]).decode("utf-8", "replace"))
                has_data = True
            elif line.startswith(b"event:"):
                # interned: a long stream repeats a handful of names a million times
                name = sys.intern((line[7:] if line[6:7] == b" " else line[6:]).decode("utf-8", "replace"))
            else:
                self._event, self._data, self._has_data = name, data, has_data
                self._line(line, base + position, events)
                name, data, has_data = self._event, self._data, self._has_data
        self._event, self._data, self._has_data = name, data, has_data
        return position

    def _skip_bom(self, buffer: bytes) -> bytes:
        self._started = True
        if buffer.startswith(BYTE_ORDER_MARK):
            self._consumed += len(BYTE_ORDER_MARK)
            return buffer[len(BYTE_ORDER_MARK) :]
        return buffer

    def _line(self, raw: bytes, end_offset: int, events: list[ServerSentEvent]) -> None:
        if not raw:
            self._dispatch(end_offset, events)
            return
        line = raw.decode("utf-8", "replace")
        if line[0] == ":":
            return
        name, sep, value = line.partition(":")
        if sep and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
            self._has_data = True
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)

    def _dispatch(self, end_offset: int, events: list[ServerSentEvent]) -> None:
        if self._has_data:
            events.append(_new_event(self._event or "message", "\n".join(self._data), self._id, self._retry))
            self.event_ends.append(end_offset)
        self._event = None
        self._data.clear()
        self._has_data = False
        self._retry = None


def iter_sse(chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
    """Decode an iterable of byte chunks lazily, yielding events as they complete."""
    decoder = SSEDecoder()
    ends = decoder.event_ends  # not asked for here: let go chunk by chunk, not one per event kept
    for chunk in chunks:
        yield from decoder.feed(chunk)
        ends.clear()
    yield from decoder.close()


def parse_sse(body: bytes | str | Iterable[bytes]) -> list[ServerSentEvent]:
    """Decode a whole `text/event-stream` body (bytes, text, or an iterable of chunks)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return list(iter_sse([bytes(body)]))
    return list(iter_sse(body))
