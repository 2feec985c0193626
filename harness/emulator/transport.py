"""In-process transports: httpx and httpx2 clients talk to the emulator without sockets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import httpx2

from harness.emulator.app import Emulator
from harness.emulator.exchange import BodyPiece, EmulatorRequest, EmulatorResponse


def _target(raw_path: bytes) -> str:
    return raw_path.decode("ascii")


def _sleeping(pieces: Iterator[BodyPiece]) -> Iterator[bytes]:
    try:
        for delay, chunk in pieces:
            if delay > 0:
                time.sleep(delay)
            yield chunk
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()


async def _async_sleeping(pieces: Iterator[BodyPiece]) -> AsyncIterator[bytes]:
    try:
        for delay, chunk in pieces:
            if delay > 0:
                await asyncio.sleep(delay)
            yield chunk
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()


class _SyncBody(httpx.SyncByteStream, httpx2.SyncByteStream):  # one class serves both libraries
    def __init__(self, pieces: Iterator[BodyPiece]) -> None:
        self._pieces = pieces

    def __iter__(self) -> Iterator[bytes]:
        return _sleeping(self._pieces)

    def close(self) -> None:
        close = getattr(self._pieces, "close", None)
        if close is not None:
            close()


class _AsyncBody(httpx.AsyncByteStream, httpx2.AsyncByteStream):
    def __init__(self, pieces: Iterator[BodyPiece]) -> None:
        self._pieces = pieces

    def __aiter__(self) -> AsyncIterator[bytes]:
        return _async_sleeping(self._pieces)

    async def aclose(self) -> None:
        close = getattr(self._pieces, "close", None)
        if close is not None:
            close()


def _emulator_request(method: str, raw_path: bytes, headers: dict[str, str], body: bytes) -> EmulatorRequest:
    return EmulatorRequest.from_target(method, _target(raw_path), headers, body)


def _respond(
    emulator: Emulator, method: str, raw_path: bytes, headers: dict[str, str], body: bytes
) -> EmulatorResponse:
    return emulator.handle(_emulator_request(method, raw_path, headers, body))


class EmulatorTransport(httpx.BaseTransport):
    """``httpx.Client(transport=EmulatorTransport(emulator), base_url="http://emulator.test/v1")``."""

    def __init__(self, emulator: Emulator | None = None) -> None:
        self.emulator = emulator if emulator is not None else Emulator()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = _respond(
            self.emulator, request.method, request.url.raw_path, dict(request.headers), request.read()
        )
        return httpx.Response(response.status, headers=response.headers, stream=_SyncBody(response.pieces()))


class AsyncEmulatorTransport(httpx.AsyncBaseTransport):
    def __init__(self, emulator: Emulator | None = None) -> None:
        self.emulator = emulator if emulator is not None else Emulator()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = _respond(
            self.emulator, request.method, request.url.raw_path, dict(request.headers), await request.aread()
        )
        return httpx.Response(response.status, headers=response.headers, stream=_AsyncBody(response.pieces()))


class EmulatorTransport2(httpx2.BaseTransport):
    """The same for httpx2, the HTTP stack of openai 3.x (pass it in ``httpx2.Client(transport=...)``)."""

    def __init__(self, emulator: Emulator | None = None) -> None:
        self.emulator = emulator if emulator is not None else Emulator()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = _respond(
            self.emulator, request.method, request.url.raw_path, dict(request.headers), request.read()
        )
        return httpx2.Response(response.status, headers=response.headers, stream=_SyncBody(response.pieces()))


class AsyncEmulatorTransport2(httpx2.AsyncBaseTransport):
    def __init__(self, emulator: Emulator | None = None) -> None:
        self.emulator = emulator if emulator is not None else Emulator()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = _respond(
            self.emulator, request.method, request.url.raw_path, dict(request.headers), await request.aread()
        )
        return httpx2.Response(
            response.status, headers=response.headers, stream=_AsyncBody(response.pieces())
        )
