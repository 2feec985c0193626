"""Global patching: httpx and httpx2 transports routed through a cassette's transport.

A thin adapter over :class:`~harness.playback.transport.CassetteTransport`: each stub hands the
request to it, with the original method as the sender for what is recorded. Users who would
rather inject a transport than patch use ``cassette.transport()``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import httpx2

from harness.playback.cassette import RunCassette
from harness.playback.transport import FORWARDING, CassetteTransport

Patch = tuple[Any, str, Any]


def transport_patches(cassette: RunCassette) -> list[Patch]:
    """(class, method name, stub) for every httpx / httpx2 transport method the cassette takes over."""
    transport = CassetteTransport(cassette)
    patches: list[Patch] = []
    for module in (httpx, httpx2):
        for owner in (module.HTTPTransport, module.MockTransport):
            patches.append((owner, "handle_request", _sync_stub(transport, owner.handle_request)))
        for owner in (module.AsyncHTTPTransport, module.MockTransport):
            patches.append(
                (owner, "handle_async_request", _async_stub(transport, owner.handle_async_request))
            )
    return patches


def _sync_stub(transport: CassetteTransport, original: Callable[..., Any]) -> Callable[..., Any]:
    def handle_request(self: Any, request: Any) -> Any:
        if FORWARDING.get():  # a cassette transport sending on: this is the network side
            return original(self, request)
        return transport.handle(request, lambda outgoing: original(self, outgoing))

    return handle_request


def _async_stub(
    transport: CassetteTransport, original: Callable[..., Awaitable[Any]]
) -> Callable[..., Awaitable[Any]]:
    async def handle_async_request(self: Any, request: Any) -> Any:
        if FORWARDING.get():
            return await original(self, request)
        return await transport.handle_async(request, lambda outgoing: original(self, outgoing))

    return handle_async_request
