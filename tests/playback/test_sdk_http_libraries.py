"""The "httpx and httpx2" of the SDK-driven tests is what really carries the SDK's requests, and a
library is skipped only where the installed SDK refuses it."""

from __future__ import annotations

from pathlib import Path

import openai
import pytest

from harness import use_cassette
from harness.cassette import load_cassette
from harness.emulator import Emulator, EmulatorServer, FixedClock
from tests.playback.conftest import FAKE_KEY
from tests.support.installed_sdk import (
    ACCEPTED,
    HTTP_LIBRARIES,
    OPENAI_MAJOR,
    SDK_HTTP,
    http_module,
    sdk_client,
)

OFFLINE_URL = "http://127.0.0.1:9/v1"


def test_the_libraries_driven_are_every_one_the_installed_sdk_takes() -> None:
    # openai 1.x knows only httpx; 2.x runs on httpx and takes httpx2 clients; 3.x the other way round
    assert ({"httpx"} if OPENAI_MAJOR < 2 else {"httpx", "httpx2"}) == ACCEPTED
    assert ("httpx2" if OPENAI_MAJOR >= 3 else "httpx") == SDK_HTTP


@pytest.mark.parametrize("http", HTTP_LIBRARIES)
def test_the_sdk_records_and_replays_through_the_library_named(tmp_path: Path, http: str) -> None:
    path = tmp_path / "hi.json"
    emulator = Emulator(seed=1, clock=FixedClock(), event_delay=0)
    with EmulatorServer(emulator) as server, use_cassette(path, record_mode="once"):
        client = sdk_client(http, api_key=FAKE_KEY, base_url=server.base_url, max_retries=0)
        assert isinstance(client._client, http_module(http).Client)
        recorded = [e.type for e in client.responses.create(model="gpt-4o", input="hi", stream=True)]
    assert recorded[-1] == "response.completed"
    assert len(load_cassette(path).exchanges) == 1
    with use_cassette(path, record_mode="none"):
        client = sdk_client(http, api_key=FAKE_KEY, base_url=OFFLINE_URL, max_retries=0)
        replayed = [e.type for e in client.responses.create(model="gpt-4o", input="hi", stream=True)]
    assert replayed == recorded


REFUSED = sorted({"httpx", "httpx2"} - ACCEPTED)


@pytest.mark.skipif(not REFUSED, reason=f"openai {openai.__version__} takes httpx and httpx2 clients")
def test_a_library_the_sdk_refuses_is_refused_by_the_sdk_itself() -> None:
    for library in REFUSED:
        with http_module(library).Client() as client, pytest.raises(TypeError, match="http_client"):
            openai.OpenAI(api_key=FAKE_KEY, http_client=client)
