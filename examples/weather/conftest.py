"""Where the example's client points: the built-in emulator (``run_emulator``), started on
127.0.0.1 for each test; a replaying cassette answers before any request reaches it.

A real project would point at the real API (``OPENAI_API_KEY`` set) to record; the cassettes
and snapshots in this folder were recorded from the emulator's ``tool-call`` scenario:

    pytest examples/weather --run-record-mode=all --snapshot-update
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import openai
import pytest

if TYPE_CHECKING:
    from harness.emulator.running import RunningEmulator


@pytest.fixture
def run_emulator_config() -> dict[str, Any]:
    return {"scenario": "tool-call", "seed": 4}


@pytest.fixture
def client(run_emulator: RunningEmulator) -> openai.OpenAI:
    return run_emulator.client()
