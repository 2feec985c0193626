"""The ``run_emulator`` fixtures: the built-in emulator served on 127.0.0.1 for a test or a session.

Kept apart from the cassette fixtures and importing the emulator only when a test asks for one,
so a suite that never uses it pays nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from harness.emulator.running import RunningEmulator


@pytest.fixture
def run_emulator_config() -> dict[str, Any]:
    """Options of the emulator ``run_emulator`` starts: ``scenario``, ``seed``, ``clock``,
    ``event_delay``, ``message_deltas``, ``model``... (see ``harness.emulator.Emulator``).
    Override it in a conftest or a module, or per test with
    ``@pytest.mark.parametrize("run_emulator_config", [{"scenario": "tool-call"}])``."""
    return {}


def _start(options: dict[str, Any]) -> RunningEmulator:
    from harness.emulator.running import RunningEmulator, deterministic_emulator

    try:
        emulator = deterministic_emulator(**options)
    except ValueError as error:
        pytest.fail(f"run_emulator_config: {error}", pytrace=False)
    return RunningEmulator(emulator).start()


@pytest.fixture
def run_emulator(run_emulator_config: dict[str, Any]) -> Iterator[RunningEmulator]:
    """The built-in Assistants API emulator, fresh for this test, on 127.0.0.1: ``.base_url``,
    ``.client()`` / ``.async_client()`` (openai SDK clients pointed at it), ``.emulator``.
    Seeded and on a fixed clock by default, so recording the test again gives the same snapshot.
    Under a recording ``run_cassette`` its answers are recorded; on replay it is never asked."""
    server = _start(dict(run_emulator_config))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def run_emulator_session() -> Iterator[RunningEmulator]:
    """One emulator for the whole session (default options); cheaper than ``run_emulator``, but the
    ids it hands out depend on the order tests run in, so prefer ``run_emulator`` for recording."""
    server = _start({})
    try:
        yield server
    finally:
        server.stop()
