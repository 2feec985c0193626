"""What a cassette holds: HTTP exchanges, with streamed bodies kept as events and chunks."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harness.cassette.frames import Frames, body_of, offsets
from harness.sse.decoder import iter_sse, parse_sse
from harness.sse.event import ServerSentEvent
from harness.sse.framing import event_ends

Headers = list[tuple[str, str]]
# Header pairs as a reader may hand them over: a tuple it shares between the exchanges that carry
# the same headers (most entries of a large file); ``headers`` makes them a list of its own when
# asked for, so code that edits a list in place still can.
HeaderPairs = Sequence[tuple[str, str]]

SSE_MEDIA_TYPE = "text/event-stream"


def header_value(headers: HeaderPairs, name: str) -> str | None:
    """The first value of a header, compared case-insensitively."""
    wanted = name.lower()
    for key, value in headers:
        if key.lower() == wanted:
            return value
    return None


def is_event_stream(headers: HeaderPairs) -> bool:
    content_type = header_value(headers, "content-type") or ""
    return content_type.split(";", 1)[0].strip().lower() == SSE_MEDIA_TYPE


def _listed(headers: HeaderPairs) -> Headers:
    return headers if isinstance(headers, list) else list(headers)


class _WithHeaders:
    """A request's or response's ``headers``: kept as handed over (a shared tuple costs nothing per
    exchange; a million exchanges would otherwise hold a million lists), a list once asked for."""

    __slots__ = ("_headers",)

    def __init__(self, headers: HeaderPairs | None) -> None:
        self._headers: HeaderPairs = () if headers is None else headers

    @property
    def headers(self) -> Headers:
        headers = self._headers
        if not isinstance(headers, list):
            headers = self._headers = list(headers)
        return headers

    @headers.setter
    def headers(self, headers: HeaderPairs) -> None:
        self._headers = headers

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclasses they were


# dataclasses still (``dataclasses.replace`` and ``fields`` work on them), with their own slots,
# ``__init__``, ``==`` and repr: the fields and behaviour the generated ones had, ``headers`` kept
# as handed over until asked for
@dataclass(init=False, repr=False, eq=False)
class RecordedRequest(_WithHeaders):
    __slots__ = ("body", "method", "url")
    method: str
    url: str
    if not TYPE_CHECKING:  # a field for dataclasses; for the type checker, the property it is
        headers: Headers
    body: bytes

    def __init__(self, method: str, url: str, headers: HeaderPairs | None = None, body: bytes = b"") -> None:
        super().__init__(headers)
        self.method = method
        self.url = url
        self.body = body

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, RecordedRequest)
        return (self.method, self.url, _listed(self._headers), self.body) == (
            other.method,
            other.url,
            _listed(other._headers),
            other.body,
        )

    def __repr__(self) -> str:
        return (
            f"RecordedRequest(method={self.method!r}, url={self.url!r}, "
            f"headers={_listed(self._headers)!r}, body={self.body!r})"
        )


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
    small streams would otherwise hold two one-element lists each. A body of one event keeps no
    frames view until one is asked for.
    """

    __slots__ = ("_decoded", "_frames", "_sizes", "_times", "cut")

    def __init__(
        self,
        frames: Sequence[bytes],
        chunk_sizes: list[int],
        chunk_times: list[float],
        cut: str | None = None,
    ) -> None:
        self._frames: Sequence[bytes] | bytes = frames  # bytes: the body of one event
        self._sizes: list[int] | int = chunk_sizes
        self._times: list[float] | None = chunk_times
        self.cut = cut
        # The decoded events of `frames`, with the frames list (and its length) they were decoded from.
        self._decoded: tuple[Sequence[bytes], int, list[ServerSentEvent]] | None = None

    @property
    def frames(self) -> Sequence[bytes]:
        frames = self._frames
        if isinstance(frames, bytes):
            frames = self._frames = _one_frame(frames)
        return frames

    @frames.setter
    def frames(self, frames: Sequence[bytes]) -> None:
        self._frames = frames

    def _frames_seen(self) -> Sequence[bytes]:
        """``frames`` for a comparison or a repr, without keeping the view of one event's body."""
        frames = self._frames
        return _one_frame(frames) if isinstance(frames, bytes) else frames

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
        return (self._frames_seen(), self.chunk_sizes, self.chunk_times, self.cut) == (
            other._frames_seen(),
            other.chunk_sizes,
            other.chunk_times,
            other.cut,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    def __repr__(self) -> str:
        return (
            f"RecordedStream(frames={self._frames_seen()!r}, chunk_sizes={self.chunk_sizes!r}, "
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
        if len(frames) == 1:
            stream._frames = body  # its view made again when asked for
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
        decoded, frames = self._decoded, self._frames
        if decoded is not None and decoded[0] is frames and decoded[1] == len(frames):
            return iter(decoded[2])
        return iter_sse(self._frames_seen())

    @property
    def body(self) -> bytes:
        frames = self._frames
        return frames if isinstance(frames, bytes) else body_of(frames)

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


def _one_frame(body: bytes) -> Frames:
    return Frames(body, offsets((len(body),)))


def _split(body: bytes) -> tuple[Frames, list[ServerSentEvent]]:
    ends, events = event_ends(body)
    if ends[-1:] != [len(body)] and body:  # bytes after the last event are a frame of their own
        ends.append(len(body))
    return Frames(body, offsets(ends)), events


@dataclass(init=False, repr=False, eq=False)
class RecordedResponse(_WithHeaders):
    __slots__ = ("body", "reason", "status", "stream")
    status: int
    reason: str
    if not TYPE_CHECKING:  # as in RecordedRequest
        headers: Headers
    body: bytes
    stream: RecordedStream | None

    def __init__(
        self,
        status: int,
        reason: str = "",
        headers: HeaderPairs | None = None,
        body: bytes = b"",
        stream: RecordedStream | None = None,
    ) -> None:
        super().__init__(headers)
        self.status = status
        self.reason = reason
        self.body = body
        self.stream = stream

    @property
    def content(self) -> bytes:
        """The whole body, streamed or not."""
        return self.stream.body if self.stream is not None else self.body

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, RecordedResponse)
        return (self.status, self.reason, _listed(self._headers), self.body, self.stream) == (
            other.status,
            other.reason,
            _listed(other._headers),
            other.body,
            other.stream,
        )

    def __repr__(self) -> str:
        return (
            f"RecordedResponse(status={self.status!r}, reason={self.reason!r}, "
            f"headers={_listed(self._headers)!r}, body={self.body!r}, stream={self.stream!r})"
        )


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
