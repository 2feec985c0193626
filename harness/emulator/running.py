"""The emulator as a service for tests and commands: deterministic by default, with SDK clients.

    with RunningEmulator(deterministic_emulator(scenario="tool-call")) as emulator:
        client = emulator.client()          # openai.OpenAI at emulator.base_url
        async_client = emulator.async_client()

The pytest fixture ``run_emulator`` and ``harness emulator`` both serve one of these.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from harness.emulator.app import Emulator
from harness.emulator.clock import FixedClock
from harness.emulator.server import EmulatorServer

if TYPE_CHECKING:
    import openai

#: What clients send to the emulator (it checks nothing); shaped like a key so scrubbing is exercised.
EMULATOR_API_KEY = "sk-test-fake-emulator-key"
DEFAULT_SEED = 0
#: ``Emulator(...)`` keyword arguments a caller may set (the fixture's ``run_emulator_config``).
EMULATOR_OPTIONS = frozenset(inspect.signature(Emulator).parameters)


def deterministic_emulator(**options: Any) -> Emulator:
    """An :class:`Emulator` whose ids, timings and timestamps depend only on the requests: seed
    :data:`DEFAULT_SEED` and a :class:`FixedClock` unless ``options`` say otherwise, so recording
    the same conversation again gives the same snapshot. Raises ``ValueError`` on an unknown
    option or scenario."""
    unknown = sorted(set(options) - EMULATOR_OPTIONS)
    if unknown:
        known = ", ".join(sorted(EMULATOR_OPTIONS))
        raise ValueError(f"unknown emulator option(s) {', '.join(map(repr, unknown))}; known: {known}")
    options.setdefault("seed", DEFAULT_SEED)
    if options.get("clock") is None:
        options["clock"] = FixedClock()
    return Emulator(**options)


class RunningEmulator(EmulatorServer):
    """The emulator served over HTTP on 127.0.0.1 (a free port unless given), with openai SDK
    clients pointed at it. ``client()`` and ``async_client()`` take any ``openai.OpenAI`` option;
    retries are off unless asked for, so a recording holds each request once."""

    def client(self, **options: Any) -> openai.OpenAI:
        import openai

        return openai.OpenAI(**self._client_options(options))

    def async_client(self, **options: Any) -> openai.AsyncOpenAI:
        import openai

        return openai.AsyncOpenAI(**self._client_options(options))

    def _client_options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"api_key": EMULATOR_API_KEY, "base_url": self.base_url, "max_retries": 0, **options}
