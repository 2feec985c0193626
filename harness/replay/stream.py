"""Byte streams that serve a replay plan to httpx / httpx2 clients, sync and async."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator

import anyio
import httpx
import httpx2

from harness.replay.plan import ReplayPlan

ProtocolError = type[httpx.RemoteProtocolError] | type[httpx2.RemoteProtocolError]


class ReplaySyncStream(httpx.SyncByteStream, httpx2.SyncByteStream):
    def __init__(self, plan: ReplayPlan, error_class: ProtocolError) -> None:
        self._plan = plan
        self._error_class = error_class

    def __iter__(self) -> Iterator[bytes]:
        for wait, data in self._plan.reads():
            if wait:
                time.sleep(wait)
            yield data
        if self._plan.error:
            raise self._error_class(self._plan.error)

    def close(self) -> None:
        pass


class ReplayAsyncStream(httpx.AsyncByteStream, httpx2.AsyncByteStream):
    def __init__(self, plan: ReplayPlan, error_class: ProtocolError) -> None:
        self._plan = plan
        self._error_class = error_class

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for wait, data in self._plan.reads():
            if wait:
                await anyio.sleep(wait)
            yield data
        if self._plan.error:
            raise self._error_class(self._plan.error)

    async def aclose(self) -> None:
        pass
