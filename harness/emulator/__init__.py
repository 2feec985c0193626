"""A built-in, in-memory OpenAI API that streams realistic events: Assistants (v2) runs,
the Responses API (``POST /v1/responses``) and Chat Completions (``POST /v1/chat/completions``),
each playing the same scenarios (:mod:`harness.emulator.scenarios`).

    from harness.emulator import Emulator, EmulatorServer

    with EmulatorServer(Emulator(scenario="tool-call", seed=7)) as server:
        client = openai.OpenAI(api_key="sk-test-fake-emulator-key", base_url=server.base_url)

In-process, without sockets: ``EmulatorTransport``/``AsyncEmulatorTransport``
(httpx) and ``EmulatorTransport2``/``AsyncEmulatorTransport2`` (httpx2, used by
openai 3.x). Scenario selection is described in :mod:`harness.emulator.scenarios`.
"""

from harness.emulator.api_error import ApiError
from harness.emulator.app import Emulator
from harness.emulator.clock import Clock, FixedClock, SystemClock
from harness.emulator.exchange import EmulatorRequest, EmulatorResponse
from harness.emulator.scenarios import API_SCENARIOS, DELTAS_KEY, SCENARIO_KEY, SCENARIOS
from harness.emulator.server import EmulatorServer
from harness.emulator.transport import (
    AsyncEmulatorTransport,
    AsyncEmulatorTransport2,
    EmulatorTransport,
    EmulatorTransport2,
)

SCENARIO_NAMES: tuple[str, ...] = API_SCENARIOS["assistants"]

__all__ = [
    "API_SCENARIOS",
    "DELTAS_KEY",
    "SCENARIOS",
    "SCENARIO_KEY",
    "SCENARIO_NAMES",
    "ApiError",
    "AsyncEmulatorTransport",
    "AsyncEmulatorTransport2",
    "Clock",
    "Emulator",
    "EmulatorRequest",
    "EmulatorResponse",
    "EmulatorServer",
    "EmulatorTransport",
    "EmulatorTransport2",
    "FixedClock",
    "SystemClock",
]
