"""Tests of the weather app, offline: the run streams replay from cassettes/, the reconstructed
conversation is compared with __snapshots__/."""

from __future__ import annotations

import openai
import pytest
from weather_assistant import ask_weather

from harness.playback.cassette import RunCassette

# The SDK marks the Assistants API deprecated (it was sunset in 2026); this app still uses it.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.run_cassette
def test_answers_with_the_local_weather(
    client: openai.OpenAI, run_cassette: RunCassette, run_snapshot: object
) -> None:
    reply = ask_weather(client, "What should I wear in Paris today?")

    assert reply.status == "completed"
    assert [(name, args["city"]) for name, args, _ in reply.tool_calls] == [("get_weather", "Paris")]
    assert "Paris: 18C and sunny" in reply.text
    assert run_snapshot == run_cassette.transcript


@pytest.mark.run_cassette("weather_conversation", chunkings=["recorded", "byte", "random:3", "whole"])
def test_reply_does_not_depend_on_chunk_boundaries(client: openai.OpenAI, run_snapshot: object) -> None:
    reply = ask_weather(client, "What should I wear in Paris today?")

    assert run_snapshot == reply
