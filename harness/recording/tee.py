"""Streams that hand each chunk to the client as it arrives and keep a timed copy."""

from __future__ import annotations

import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator

import httpx
import httpx2

from harness.cassette.model import RecordedStream

OnFinish = Callable[[RecordedStream], None]
CLIENT_CLOSED = "client-closed"


class _Capture:
    """Chunks and arrival times since the response headers, finished exactly once."""

    def __init__(self, on_finish: OnFinish) -> None:
        self._start = time.perf_counter()
        self._chunks: list[bytes] = []
        self._times: list[float] = []
        self._on_finish: OnFinish | None = on_finish

    def add(self, chunk: bytes) -> None:
        if chunk:
            self._times.append(time.perf_counter() - self._start)
            self._chunks.append(chunk)

    def finish(self, cut: str | None) -> None:
        if cut == CLIENT_CLOSED and self._ends_with_done():
            cut = None  # SDKs stop reading at `[DONE]` and close: nothing was missed
        if self._on_finish is not None:
            on_finish, self._on_finish = self._on_finish, None
            on_finish(self.snapshot(cut))

    def snapshot(self, cut: str | None) -> RecordedStream:
        """What was received so far, without finishing."""
        return RecordedStream.from_chunks(list(self._chunks), list(self._times), cut=cut)

    def _ends_with_done(self) -> bool:
        tail = b"".join(self._chunks[-2:]).rstrip(b"\r\n")
        return tail.endswith((b"data: [DONE]", b"data:[DONE]"))

    @property
    def finished(self) -> bool:
        return self._on_finish is None


def _describe(error: BaseException) -> str:
    if not isinstance(error, Exception):  # KeyboardInterrupt, SystemExit: the test stopped, not the link
        return f"interrupted: {type(error).__name__}"
    return f"connection-error: {type(error).__name__}: {error}"


class TeeSyncStream(httpx.SyncByteStream, httpx2.SyncByteStream):
    def __init__(self, inner: Iterable[bytes], close_inner: Callable[[], None], on_finish: OnFinish) -> None:
        self._inner = inner
        self._close_inner = close_inner
        self._capture = _Capture(on_finish)

    def received(self, cut: str) -> RecordedStream | None:
        """The bytes so far if the stream is still open (None once it finished)."""
        return None if self._capture.finished else self._capture.snapshot(cut)

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self._inner:
                self._capture.add(chunk)
                yield chunk
        except GeneratorExit:
            raise
        except BaseException as error:
            self._capture.finish(_describe(error))
            raise
        self._capture.finish(None)

    def close(self) -> None:
        self._capture.finish(CLIENT_CLOSED)
        self._close_inner()


class TeeAsyncStream(httpx.AsyncByteStream, httpx2.AsyncByteStream):
    def __init__(
        self, inner: AsyncIterable[bytes], close_inner: Callable[[], object], on_finish: OnFinish
    ) -> None:
        self._inner = inner
        self._close_inner = close_inner
        self._capture = _Capture(on_finish)

    def received(self, cut: str) -> RecordedStream | None:
        return None if self._capture.finished else self._capture.snapshot(cut)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                self._capture.add(chunk)
                yield chunk
        except GeneratorExit:
            raise
        except BaseException as error:
            self._capture.finish(_describe(error))
            raise
        self._capture.finish(None)

    async def aclose(self) -> None:
        self._capture.finish(CLIENT_CLOSED)
        result = self._close_inner()
        if hasattr(result, "__await__"):
            await result
