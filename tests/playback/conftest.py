from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.scripted_server import Route, ScriptedServer

REAL = Path(__file__).resolve().parents[2] / "cassettes" / "real"

FAKE_KEY = "sk-test-fake-key-for-recording-0123456789"


def real_body(name: str) -> bytes:
    (path,) = REAL.glob(f"{name}*.sse")
    return path.read_bytes()


@pytest.fixture
def serve() -> Iterator[object]:
    """Start a scripted server on 127.0.0.1: ``with serve(route) as server``; stopped at teardown."""
    started: list[ScriptedServer] = []

    def start(route: Route) -> ScriptedServer:
        server = ScriptedServer(route)
        server.__enter__()
        started.append(server)
        return server

    yield start
    for server in started:
        server.__exit__(None, None, None)
