"""Cassettes users already hold (vcrpy / pytest-recording, Ruby VCR, HAR) replay as they are."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import openai
import pytest

from harness import HarnessError, use_cassette
from harness.sse import parse_sse
from tests.playback.conftest import FAKE_KEY, real_body

DATA = Path(__file__).resolve().parents[1] / "cassette_formats" / "data"


def test_vcrpy_cassette_replays_through_the_sdk_event_by_event(tmp_path: Path) -> None:
    cassette = shutil.copy(DATA / "vcrpy-function-requires-action.yaml", tmp_path / "legacy.yaml")
    before = Path(cassette).read_bytes()
    client = openai.OpenAI(api_key=FAKE_KEY, base_url="http://127.0.0.1:9/v1", max_retries=0)
    for chunking in ("recorded", "byte", "event"):
        with use_cassette(cassette, record_mode="none", chunking=chunking):
            stream = client.beta.threads.create_and_run(
                assistant_id="asst_BFMmpHsel3a7MuFuKKY9i5uG",
                stream=True,
                tools=[{"type": "function", "function": {"name": "get_weather"}}],
            )
            names = [event.event for event in stream]
        assert names == [event.event for event in parse_sse(real_body("010"))][:-1]
    assert Path(cassette).read_bytes() == before


def test_recording_into_a_foreign_cassette_is_refused_without_touching_it(tmp_path: Path) -> None:
    cassette = shutil.copy(DATA / "vcrpy-function-requires-action.yaml", tmp_path / "legacy.yaml")
    before = Path(cassette).read_bytes()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True}))
    with pytest.raises(HarnessError, match=r"legacy\.yaml is a vcrpy cassette.*harness import"):
        with use_cassette(cassette, record_mode="new_episodes"), httpx.Client(transport=transport) as client:
            client.get("http://example.test/v1/assistants")
    assert Path(cassette).read_bytes() == before
