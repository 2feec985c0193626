"""What a cassette holds: HTTP exchanges, with streamed bodies kept as events and chunks."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.cassette.frames import Frames, body_of, offsets
from harness.sse.decoder import iter_sse, parse_sse
from harness.sse.event import ServerSentEvent
from harness.sse.framing import event_ends

Headers = list[tuple[str, str]]

SSE_MEDIA_TYPE = "text/event-stream"


def header_value(headers: Headers, name: str) -> str | None:
    """The first value of a header, compared case-insensitively."""
    wanted = name.lower()
    for key, value in headers:
        if key.lower() == wanted:
            return value
    return None


def is_event_stream(headers: Headers) -> bool:
    content_type = header_value(headers, "content-type") or ""
    return content_type.split(";", 1)[0].strip().lower() == SSE_MEDIA_TYPE


@dataclass(slots=True)
class RecordedRequest:
    method: str
    url: str
    headers: Headers = field(default_factory=list)
    body: bytes = b""


class RecordedStream:
    """A `text/event-stream` body as received.

    ``frames`` cut the body into one event each (``b"".join(frames)`` is the
    body, byte for byte): a :class:`~harness.cassette.frames.Frames` view of
    the body as read or recorded (no object per event), or a list of bytes
    where code edits them. ``chunk_sizes`` / ``chunk_times`` say how the bytes
    arrived: sizes of the reads the client saw and their arrival times in
    seconds after the response headers. ``cut`` is None for a stream that
    ended normally, else why it stopped early (``"client-closed"``,
    ``"connection-error: ..."``).

    A body that arrived at once (one chunk at 0 s, as most files other than the harness's say)
    keeps its size as an int and no list of times until they are asked for: a file of a million
    small streams would otherwise hold two one-element lists each.
    """

    __slots__ = ("_decoded", "_sizes", "_times", "cut", "frames")

    def __init__(
        self,
        frames: Sequence[bytes],
        chunk_sizes: list[int],
        chunk_times: list[float],
        cut: str | None = None,
    ) -> None:
        self.frames = frames
        self._sizes: list[int] | int = chunk_sizes
        self._times: list[float] | None = chunk_times
        self.cut = cut
        # The decoded events of `frames`, with the frames list (and its length) they were decoded from.
        self._decoded: tuple[Sequence[bytes], int, list[ServerSentEvent]] | None = None

    @property
    def chunk_sizes(self) -> list[int]:
        sizes = self._sizes
        if isinstance(sizes, int):
            sizes = self._sizes = [sizes]
        return sizes

    @chunk_sizes.setter
    def chunk_sizes(self, sizes: list[int]) -> None:
        self._sizes = sizes

    @property
    def chunk_times(self) -> list[float]:
        times = self._times
        if times is None:
            times = self._times = [0.0]
        return times

    @chunk_times.setter
    def chunk_times(self, times: list[float]) -> None:
        self._times = times

    def arrival_times(self) -> Sequence[float]:
        """``chunk_times`` to read, without making the list of a body that arrived at once."""
        return _AT_ONCE if self._times is None else self._times

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, RecordedStream)
        return (self.frames, self.chunk_sizes, self.chunk_times, self.cut) == (
            other.frames,
            other.chunk_sizes,
            other.chunk_times,
            other.cut,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    def __repr__(self) -> str:
        return (
            f"RecordedStream(frames={self.frames!r}, chunk_sizes={self.chunk_sizes!r}, "
            f"chunk_times={self.chunk_times!r}, cut={self.cut!r})"
        )

    @classmethod
    def from_body(cls, body: bytes, *, cut: str | None = None) -> RecordedStream:
        """A stream known only as a whole body: one chunk, arrived at once.

        Its events are decoded again when asked for, not kept from the split: a file read holds
        many such streams (a HAR of a million entries), and a fold reads their events once."""
        frames, _ = _split(body)
        if not body:
            return cls(frames, [], [], cut)
        stream = cls(frames, [], [], cut)
        stream._sizes, stream._times = len(body), None  # one chunk, at 0 s
        return stream

    @classmethod
    def from_chunks(
        cls, chunks: list[bytes], times: list[float], *, cut: str | None = None
    ) -> RecordedStream:
        frames, events = _split(b"".join(chunks))
        stream = cls(frames, [len(chunk) for chunk in chunks], list(times), cut)
        stream._decoded = (frames, len(frames), events)
        return stream

    def events(self) -> list[ServerSentEvent]:
        """The decoded events of the body, decoded once (again only if ``frames`` is replaced)."""
        frames = self.frames
        decoded = self._decoded
        if decoded is None or decoded[0] is not frames or decoded[1] != len(frames):
            decoded = self._decoded = (frames, len(frames), parse_sse(frames))
        return decoded[2]

    def iter_events(self) -> Iterator[ServerSentEvent]:
        """The decoded events for one pass: those :meth:`events` keeps when it has them, else decoded
        as they are read and not kept (a long stream's events are never all held)."""
        decoded = self._decoded
        if decoded is not None and decoded[0] is self.frames and decoded[1] == len(self.frames):
            return iter(decoded[2])
        return iter_sse(self.frames)

    @property
    def body(self) -> bytes:
        return body_of(self.frames)

    def chunks(self) -> list[bytes]:
        """The body cut as it was received."""
        body = self.body
        pieces: list[bytes] = []
        start = 0
        for size in self.chunk_sizes:
            pieces.append(body[start : start + size])
            start += size
        return pieces


_AT_ONCE = (0.0,)


def _split(body: bytes) -> tuple[Frames, list[ServerSentEvent]]:
    ends, events = event_ends(body)
    if ends[-1:] != [len(body)] and body:  # bytes after the last event are a frame of their own
        ends.append(len(body))
    return Frames(body, offsets(ends)), events


@dataclass(slots=True)
class RecordedResponse:
    status: int
    reason: str = ""
    headers: Headers = field(default_factory=list)
    body: bytes = b""
    stream: RecordedStream | None = None

    @property
    def content(self) -> bytes:
        """The whole body, streamed or not."""
        return self.stream.body if self.stream is not None else self.body


@dataclass(slots=True)
class Exchange:
    request: RecordedRequest
    response: RecordedResponse


@dataclass(slots=True)
class Cassette:
    """A loaded cassette file: its exchanges in recorded order.

    ``source_format`` is the key, in :mod:`harness.cassette.registry`, of the
    format it was read from (``harness``, ``vcrpy``, ``vcrpy-json``,
    ``ruby-vcr``, ``har``, ``cassetter``, ``test-proxy``, ``sse``...), so tools
    can say what they converted and write a file back in its own format.
    """

    exchanges: list[Exchange] = field(default_factory=list)
    source_format: str = "harness"
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def streams(self) -> list[RecordedStream]:
        return [exchange.response.stream for exchange in self.exchanges if exchange.response.stream]

    def event_streams(self) -> list[list[ServerSentEvent]]:
        """The decoded events of every streamed response, in recorded order."""
        return [stream.events() for stream in self.streams]


# A cassette read an exchange at a time: the exchanges, handed over as read (each the reader's no
# longer), then, returned, the cassette without them (its format and metadata). Errors are raised
# where reading the whole file first would raise them, so a consumer shows nothing until the end.
ExchangeReading = Generator[Exchange, None, Cassette]


def collected(reading: ExchangeReading) -> Cassette:
    """The whole cassette a reading hands over."""
    exchanges: list[Exchange] = []
    cassette = each_exchange(reading, exchanges.append)
    cassette.exchanges = exchanges
    return cassette


def each_exchange(reading: ExchangeReading, take: Callable[[Exchange], object]) -> Cassette:
    """``take`` each exchange a reading hands over, in order; the cassette it returns, without them."""
    while True:
        try:
            take(next(reading))
        except StopIteration as stop:
            cassette: Cassette = stop.value
            return cassette


def handed_over(cassette: Cassette) -> ExchangeReading:
    """A cassette read whole, as a reading: its exchanges handed over (and taken out of it), then
    the cassette without them."""
    exchanges, cassette.exchanges = cassette.exchanges, []
    yield from exchanges
    return cassette
