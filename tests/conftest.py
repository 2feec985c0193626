"""Fixtures shared by the test packages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.scripted_server import Route, ScriptedServer


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
