"""Clients of the emulated Responses and Chat Completions APIs, and a check of field sets against the SDK."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openai
from pydantic import BaseModel

from harness.emulator import Emulator, FixedClock
from tests.emulator.support import FAKE_KEY
from tests.support.installed_sdk import async_emulator_http_client, emulator_http_client

RESPONSES_TOOLS: list[Any] = [
    {
        "type": "function",
        "name": "get_current_weather",
        "description": "The current weather at a location",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}},
    },
    {"type": "function", "name": "get_local_time", "parameters": {"type": "object", "properties": {}}},
]
CHAT_TOOLS: list[Any] = [
    {"type": "function", "function": {key: value for key, value in tool.items() if key != "type"}}
    for tool in RESPONSES_TOOLS
]


def emulator(seed: int = 3) -> Emulator:
    return Emulator(seed=seed, clock=FixedClock(), event_delay=0)


def client(em: Emulator) -> openai.OpenAI:
    http = emulator_http_client(em)
    return openai.OpenAI(
        api_key=FAKE_KEY, base_url="http://emulator.test/v1", http_client=http, max_retries=0
    )


def async_client(em: Emulator) -> openai.AsyncOpenAI:
    http = async_emulator_http_client(em)
    return openai.AsyncOpenAI(
        api_key=FAKE_KEY, base_url="http://emulator.test/v1", http_client=http, max_retries=0
    )


def unknown_fields(model: Any, where: str = "") -> Iterator[str]:
    """Every field the SDK's model did not declare (it keeps them in ``model_extra``)."""
    if isinstance(model, BaseModel):
        for name in model.model_extra or {}:
            yield f"{where}.{name}"
        for name in type(model).model_fields:
            yield from unknown_fields(getattr(model, name), f"{where}.{name}")
    elif isinstance(model, list):
        for item in model:
            yield from unknown_fields(item, where + "[]")
