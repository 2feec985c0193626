"""Where the example's client points: the built-in emulator while recording, nowhere when replaying.

A real project would point at the real API (``OPENAI_API_KEY`` set) to record; the cassettes
and snapshots in this folder were recorded from the emulator's ``tool-call`` scenario:

    pytest examples/weather --run-record-mode=all --snapshot-update
"""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from harness.emulator import Emulator, EmulatorServer, FixedClock
from harness.playback.cassette import RunCassette

FAKE_KEY = "sk-test-fake-weather-example"
NOWHERE = "http://127.0.0.1:9/v1"  # replay never connects; a stray request fails fast


@pytest.fixture
def client(run_cassette: RunCassette) -> Iterator[openai.OpenAI]:
    if run_cassette.write_protected:  # replaying only: no server needed
        yield openai.OpenAI(api_key=FAKE_KEY, base_url=NOWHERE, max_retries=0)
        return
    emulator = Emulator(scenario="tool-call", seed=4, clock=FixedClock())
    with EmulatorServer(emulator) as server:
        yield openai.OpenAI(api_key=FAKE_KEY, base_url=server.base_url, max_retries=0)
