"""The suite's own hygiene: what one test does in process cannot change what a later one sees."""

from __future__ import annotations

import socket

import httpx
import pytest

FIRST_REQUEST = """
import httpx

def test_a_refused_connection():
    with httpx.Client(timeout=5) as client:
        try:
            client.get("http://127.0.0.1:{port}/")
        except httpx.ConnectError:
            pass
"""


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_httpx_errors_stay_httpx_errors_after_an_in_process_pytester_run(pytester: pytest.Pytester) -> None:
    """pytester forgets the modules first imported during its run; httpx imports httpcore lazily and
    keeps its exception classes from the first request, so without ``conftest.py`` importing
    httpcore first, a later refused connection raised ``httpcore.ConnectError``."""
    port = _closed_port()
    pytester.makepyfile(FIRST_REQUEST.replace("{port}", str(port)))
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)
    with httpx.Client(timeout=5) as client, pytest.raises(httpx.ConnectError):
        client.get(f"http://127.0.0.1:{port}/")
