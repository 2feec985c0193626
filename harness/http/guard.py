"""Blocking the network: every socket connection fails unless it goes to an allowed host.

Used for ``--run-block-network`` and, with a CI variable set, around every cassette test that
the command line did not ask to record (loopback stays open there: servers a test starts, such
as the emulator, listen on it; a cassette's replays open no socket at all).

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
    """A connection attempt that no cassette serves while the network is blocked."""


BLOCK_NETWORK_REASON = (
    "is blocked (--run-block-network): replay it from a cassette (@pytest.mark.run_cassette), record it "
    "with --run-record-mode=once, or allow the host with --run-allowed-hosts."
)


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


def _guard(original: Callable[..., Any], allowed: Sequence[str], reason: str) -> Callable[..., Any]:
    def connect(sock: socket.socket, address: Any, *args: Any, **kwargs: Any) -> Any:
        not_network = sock.family not in (socket.AF_INET, socket.AF_INET6)
        if not_network or getattr(_inside_socketpair, "active", False):
            return original(sock, address, *args, **kwargs)
        host = _host_of(address)
        if host_allowed(host, allowed):
            return original(sock, address, *args, **kwargs)
        port = address[1] if isinstance(address, tuple) and len(address) > 1 else "?"
        # as a refused connection leaves it: socket.create_connection closes its socket only on an
        # OSError, and this error must not be one (HTTP clients would retry it as a connect error)
        sock.close()
        raise NetworkBlockedError(f"network access to {host}:{port} {reason}")

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
def blocked_network(allowed_hosts: Sequence[str] = (), reason: str = BLOCK_NETWORK_REASON) -> Iterator[None]:
    """``reason`` follows "network access to HOST:PORT " in the error."""
    originals = (socket.socket.connect, socket.socket.connect_ex, socket.socketpair)
    socket.socket.connect = _guard(originals[0], allowed_hosts, reason)  # type: ignore[method-assign]
    socket.socket.connect_ex = _guard(originals[1], allowed_hosts, reason)  # type: ignore[method-assign]
    socket.socketpair = _socketpair_guard(originals[2])
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.socketpair = originals  # type: ignore[method-assign]
