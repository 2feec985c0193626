"""A fake key the model streams in pieces over Responses and Chat deltas never reaches the cassette.

The emulator's reply, reasoning summary, refusal or tool-call arguments are made
to hold the key; it streams token by token (``sk``, ``-``, ``test``...), so no
single delta holds it, yet a client joins it back. Recorded through the SDK,
the cassette must hold no piece of it: replayed, the client joins only masks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest

from harness import use_cassette
from harness.emulator import Emulator, EmulatorServer, FixedClock, content, scenarios
from tests.playback.conftest import FAKE_KEY

KEY = "sk-test-fake-planted-0123456789abcdefXYZ"
OFFLINE_URL = "http://127.0.0.1:9/v1"
TOOLS: list[Any] = [
    {
        "type": "function",
        "name": "get_current_weather",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}},
    }
]
CHAT_TOOLS: list[Any] = [{"type": "function", "function": {k: v for k, v in TOOLS[0].items() if k != "type"}}]


@pytest.fixture
def emulator_url() -> Iterator[str]:
    with EmulatorServer(Emulator(seed=2, clock=FixedClock(), event_delay=0)) as server:
        yield server.base_url


def _plant(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    text = f"Here is the key {KEY} as promised."
    if where == "arguments":
        monkeypatch.setitem(scenarios._SAMPLE_STRINGS, "location", [KEY, KEY])
    else:
        monkeypatch.setattr(content, where, text)


def _responses_streamed(client: openai.OpenAI, scenario: str) -> str:
    """Every string the Responses deltas streamed, joined as a client joins them."""
    joined = []
    for event in client.responses.create(
        model="gpt-4o", input=f"hi [scenario:{scenario}]", tools=TOOLS, stream=True
    ):
        if event.type.endswith(".delta"):
            joined.append(str(getattr(event, "delta", "")))
    return "".join(joined)


def _chat_streamed(client: openai.OpenAI, scenario: str) -> str:
    joined = []
    for chunk in client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": f"hi [scenario:{scenario}]"}],
        tools=CHAT_TOOLS,
        stream=True,
    ):
        for choice in chunk.choices:
            delta = choice.delta
            joined += [delta.content or "", delta.refusal or ""]
            joined += [call.function.arguments or "" for call in delta.tool_calls or [] if call.function]
    return "".join(joined)


@pytest.mark.parametrize(
    ("api", "scenario", "where"),
    [
        ("responses", "text", "GREETING"),  # response.output_text.delta
        ("responses", "tool-call", "arguments"),  # response.function_call_arguments.delta
        ("responses", "reasoning", "REASONING_SUMMARY"),  # response.reasoning_summary_text.delta
        ("responses", "refusal", "REFUSAL"),  # response.refusal.delta
        ("chat", "text", "GREETING"),  # choices[].delta.content
        ("chat", "tool-call", "arguments"),  # choices[].delta.tool_calls[].function.arguments
        ("chat", "refusal", "REFUSAL"),  # choices[].delta.refusal
    ],
)
def test_a_key_split_across_deltas_is_masked_in_every_piece(
    monkeypatch: pytest.MonkeyPatch, emulator_url: str, tmp_path: Path, api: str, scenario: str, where: str
) -> None:
    _plant(monkeypatch, where)
    streamed = _responses_streamed if api == "responses" else _chat_streamed
    path = tmp_path / "planted.json"
    with use_cassette(path, record_mode="once"):
        live = streamed(openai.OpenAI(api_key=FAKE_KEY, base_url=emulator_url, max_retries=0), scenario)
    assert KEY in live  # the client under test saw the stream as it was
    saved = path.read_text()
    assert KEY not in saved and "0123456789abcdef" not in saved
    with use_cassette(path, record_mode="none"):
        replayed = streamed(openai.OpenAI(api_key=FAKE_KEY, base_url=OFFLINE_URL, max_retries=0), scenario)
    assert KEY not in replayed
    assert len(replayed) == len(live)  # masked in place: every delta keeps its length
    assert "*" * 16 in replayed
