"""Every emulated Responses and Chat scenario folds cleanly, and agrees with openai-python under chunkings."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from harness.emulator import API_SCENARIOS, EmulatorRequest
from tests.emulator.api_support import CHAT_TOOLS, RESPONSES_TOOLS, emulator

from .test_sdk_agreement_new_protocols import (
    assert_chat_agrees,
    assert_responses_agree,
    ours_chat,
    ours_responses,
)

# Diagnostics a scenario is about: its stream ends with an `error` (no terminal response follows).
EXPECTED = {"error": ["error-event"], "failed": ["response-failed"]}


def emulated(path: str, scenario: str, **body: Any) -> bytes:
    request = {"model": "gpt-4o", "stream": True, "metadata": {"emulator_scenario": scenario}, **body}
    response = emulator(7).handle(EmulatorRequest("POST", path, body=json.dumps(request).encode()))
    assert response.status == 200
    return response.read()


@pytest.mark.parametrize("scenario", API_SCENARIOS["responses"])
def test_emulated_responses_scenarios(scenario: str) -> None:
    body = emulated("/v1/responses", scenario, input="What should I wear?", tools=RESPONSES_TOOLS)
    assert ours_responses(body).diagnostic_codes() == EXPECTED.get(scenario, [])
    if scenario in ("error", "failed"):
        return  # the SDK raises on these (test_sdk_agreement_new_protocols shows why)
    rng = random.Random(scenario)
    for size in [None, 1, rng.randint(2, 200)]:
        assert_responses_agree(body, size)


@pytest.mark.parametrize("scenario", API_SCENARIOS["chat"])
def test_emulated_chat_scenarios(scenario: str) -> None:
    messages = [{"role": "user", "content": "What should I wear?"}]
    body = emulated("/v1/chat/completions", scenario, messages=messages, tools=CHAT_TOOLS)
    assert ours_chat(body).diagnostic_codes() == EXPECTED.get(scenario, [])
    if scenario == "error":
        return
    rng = random.Random(scenario)
    for size in [None, 1, rng.randint(2, 200)]:
        assert_chat_agrees(body, size)
