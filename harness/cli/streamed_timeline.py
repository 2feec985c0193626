"""``harness inspect``'s timeline rendered as the fold goes, kept compressed until it is written.

The header of each stream (``stream 1: N events``) comes before its timeline and counts its events,
known once the stream is folded; the conversation's final objects come after every timeline. So the
lines are rendered from each event's view as the fold hands it over
(:func:`harness.protocols.feed_stream`, :class:`~harness.cli.render_text.Timeline`), kept
zlib-compressed a block at a time (the 34 MB timeline of a million tiny events takes 2.4 MB so),
and read back into :func:`~harness.cli.render_text.text_pieces` once the fold is done: the text is
byte for byte the one rendered from a transcript's columns, and no event's view is kept. The lines
are kept as rendered and scrubbed when written (they never leave memory unscrubbed).
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterator

from harness.cli.render_text import StreamLines, Timeline
from harness.protocols import EventView, StreamProtocol, ViewSink

_BLOCK_CHARS = 1 << 16  # lines compressed together
_LEVEL = 1  # zlib's fastest: a timeline repeats itself, the fastest level already shrinks it 14 times


class Timelines:
    """The timelines of a conversation's streams, one :class:`ProtocolTimeline` per protocol (a
    cassette mixing protocols shows each protocol's streams apart)."""

    def __init__(self) -> None:
        self._by_protocol: dict[str, ProtocolTimeline] = {}

    def sink(self, protocol: StreamProtocol) -> ViewSink:
        """Where the views of ``protocol``'s events go (``view_sinks`` of the folds' drivers)."""
        return self._by_protocol.setdefault(protocol.name, ProtocolTimeline(protocol))

    def lines(self, protocol: str) -> StreamLines | None:
        """The lines of ``protocol``'s streams for :func:`~harness.cli.render_text.text_pieces`, or
        None when none of its streams was folded (the transcript's columns, empty, say the same)."""
        timeline = self._by_protocol.get(protocol)
        return timeline.lines if timeline is not None else None


class ProtocolTimeline:
    """The timeline lines of one protocol's streams, fed each event's view as it is folded, then
    read back stream by stream (:meth:`lines`)."""

    def __init__(self, protocol: StreamProtocol) -> None:
        self._deltas = protocol.delta_events
        self._compressor = zlib.compressobj(_LEVEL)
        self._blocks: list[bytes] = []
        self._pending: list[str] = []  # lines not compressed yet
        self._pending_chars = 0
        self._compressed_chars = 0
        self._chars = array("q")  # characters of each stream's lines, by the fold's stream number
        self._stream = -1  # the fold's number of the stream being rendered
        self._stream_began = 0  # characters of the lines before it
        self._timeline = Timeline(self._deltas, self._line)
        self._text: Iterator[str] | None = None  # the blocks read back, once folding is done
        self._block = ""  # the block being read back, up to ``_read``
        self._read = 0

    def __call__(self, view: EventView) -> None:
        stream, name, object_id, text, status, data = view
        if stream != self._stream:
            self._end_stream()
            self._stream = stream
            self._timeline = Timeline(self._deltas, self._line)
        self._timeline.add(name, object_id, text, status, data)

    def _line(self, line: str) -> None:
        self._pending.append(line)
        self._pending_chars += len(line)
        if self._pending_chars >= _BLOCK_CHARS:
            self._compress()

    def _compress(self) -> None:
        # flushed to a byte boundary: each block reads back alone, as the whole lines it holds
        text = "".join(self._pending)
        compressor = self._compressor
        self._blocks.append(compressor.compress(text.encode()) + compressor.flush(zlib.Z_SYNC_FLUSH))
        self._compressed_chars += len(text)
        self._pending.clear()
        self._pending_chars = 0

    def _end_stream(self) -> None:
        """The last line of the stream being rendered, and how many characters its lines take."""
        if self._stream < 0:
            return
        self._timeline.close()
        chars = self._chars
        while len(chars) < self._stream:
            chars.append(0)  # a stream with no event hands over no view
        rendered = self._compressed_chars + self._pending_chars
        chars.append(rendered - self._stream_began)
        self._stream_began = rendered

    def lines(self, stream: int, start: int, end: int) -> Iterator[str]:
        """Stream ``stream``'s lines, in pieces of whole lines; streams are read in order."""
        if self._text is None:
            self._end_stream()
            self._stream = -1
            self._compress()
            self._text = self._read_back()
        left = self._chars[stream] if stream < len(self._chars) else 0
        while left:
            if self._read == len(self._block):
                self._block, self._read = next(self._text), 0
            cut = min(left, len(self._block) - self._read)
            yield self._block[self._read : self._read + cut]
            self._read += cut
            left -= cut

    def _read_back(self) -> Iterator[str]:
        """The blocks' lines in order, each block let go once read."""
        decompressor = zlib.decompressobj()
        blocks = self._blocks
        blocks.reverse()
        while blocks:
            yield decompressor.decompress(blocks.pop()).decode()
