"""A blocked connection leaves no open socket behind, whoever made it."""

from __future__ import annotations

import gc
import socket
import warnings

import pytest

from harness.http.guard import NetworkBlockedError, blocked_network

# TEST-NET-3: documentation addresses, never routed
BLOCKED = ("203.0.113.7", 443)


def test_a_socket_refused_by_the_guard_is_closed() -> None:
    sock = socket.socket()
    with blocked_network(), pytest.raises(NetworkBlockedError, match=r"203\.0\.113\.7:443"):
        sock.connect(BLOCKED)
    assert sock.fileno() == -1


def test_create_connection_refused_by_the_guard_leaks_no_socket() -> None:
    """``socket.create_connection`` closes its socket only on an OSError: a leaked one warned in
    whatever test the garbage collector next ran in."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        with blocked_network(), pytest.raises(NetworkBlockedError):
            socket.create_connection(BLOCKED, timeout=1)
        gc.collect()
    assert [str(item.message) for item in caught if issubclass(item.category, ResourceWarning)] == []
