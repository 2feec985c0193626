"""``--run-block-network``: every socket connection fails unless a cassette serves it.

The guard sits on ``socket.socket.connect``/``connect_ex``, below every HTTP library, so
requests, urllib, httpx, aiohttp or a raw socket are all caught. Unix sockets stay open (they
are not the network); so does the loopback connection ``socket.socketpair`` makes on Windows
(asyncio builds its event loop on it).
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from harness.errors import HarnessError

LOOPBACK = "loopback"
_LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
_inside_socketpair = threading.local()


class NetworkBlockedError(HarnessError, RuntimeError):
    """A connection attempt under ``--run-block-network`` that no cassette serves."""


def host_allowed(host: str, allowed: Sequence[str]) -> bool:
    for pattern in allowed:
        if pattern == LOOPBACK:
            if host in _LOOPBACK_HOSTS or host.startswith("127."):
                return True
        elif re.fullmatch(pattern, host):
            return True
    return False


def _host_of(address: Any) -> str:
    if isinstance(address, tuple) and address:
        return str(address[0])
    return str(address)


def _guard(original: Callable[..., Any], allowed: Sequence[str]) -> Callable[..., Any]:
    def connect(sock: socket.socket, address: Any, *args: Any, **kwargs: Any) -> Any:
        not_network = sock.family not in (socket.AF_INET, socket.AF_INET6)
        if not_network or getattr(_inside_socketpair, "active", False):
            return original(sock, address, *args, **kwargs)
        host = _host_of(address)
        if host_allowed(host, allowed):
            return original(sock, address, *args, **kwargs)
        raise NetworkBlockedError(
            f"network access to {host}:{address[1] if isinstance(address, tuple) else '?'} is blocked "
            "(--run-block-network): replay it from a cassette (@pytest.mark.run_cassette), record it "
            "with --run-record-mode=once, or allow the host with --run-allowed-hosts."
        )

    return connect


def _socketpair_guard(original: Callable[..., Any]) -> Callable[..., Any]:
    def socketpair(*args: Any, **kwargs: Any) -> Any:
        previous = getattr(_inside_socketpair, "active", False)
        _inside_socketpair.active = True
        try:
            return original(*args, **kwargs)
        finally:
            _inside_socketpair.active = previous

    return socketpair


@contextmanager
def blocked_network(allowed_hosts: Sequence[str] = ()) -> Iterator[None]:
    originals = (socket.socket.connect, socket.socket.connect_ex, socket.socketpair)
    socket.socket.connect = _guard(originals[0], allowed_hosts)  # type: ignore[method-assign]
    socket.socket.connect_ex = _guard(originals[1], allowed_hosts)  # type: ignore[method-assign]
    socket.socketpair = _socketpair_guard(originals[2])
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.socketpair = originals  # type: ignore[method-assign]
