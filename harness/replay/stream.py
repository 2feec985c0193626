"""Byte streams that serve a replay plan to httpx / httpx2 clients, sync and async."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import httpx
import httpx2

from harness.replay.plan import ReplayPlan


def replay_error(module: Any, message: str) -> Exception:
    """The exception a replayed cut raises: the HTTP library's own class named in the recorded
    ``connection-error: ReadTimeout: ...`` when it has one, else its ``RemoteProtocolError``."""
    name = message.removeprefix("connection-error: ").split(":", 1)[0].strip()
    error_class = getattr(module, name, None)
    if not (isinstance(error_class, type) and issubclass(error_class, module.TransportError)):
        error_class = module.RemoteProtocolError
    return error_class(message)  # type: ignore[no-any-return]


class ReplaySyncStream(httpx.SyncByteStream, httpx2.SyncByteStream):
    def __init__(self, plan: ReplayPlan, module: Any) -> None:
        self._plan = plan
        self._module = module

    def __iter__(self) -> Iterator[bytes]:
        for wait, data in self._plan.reads():
            if wait:
                time.sleep(wait)
            yield data
        if self._plan.error:
            raise replay_error(self._module, self._plan.error)

    def close(self) -> None:
        pass


class ReplayAsyncStream(httpx.AsyncByteStream, httpx2.AsyncByteStream):
    def __init__(self, plan: ReplayPlan, module: Any) -> None:
        self._plan = plan
        self._module = module

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for wait, data in self._plan.reads():
            if wait:
                await anyio.sleep(wait)
            yield data
        if self._plan.error:
            raise replay_error(self._module, self._plan.error)

    async def aclose(self) -> None:
        pass
