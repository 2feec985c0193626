"""``cassette.transport()``: record and replay injected into a client instead of patched in, for
httpx and httpx2, sync and async, through the openai SDK."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

import httpx
import httpx2
import openai
import pytest

from harness import use_cassette
from harness.cassette import Cassette, save_cassette
from harness.cassette.model import Exchange, RecordedRequest, RecordedResponse
from harness.cli.conversation import FAKE_KEY, drive_conversation
from harness.emulator import Emulator, EmulatorServer, FixedClock
from harness.errors import CassetteError
from harness.http import encoding
from harness.playback.transport import CassetteTransport
from tests.support.installed_sdk import HTTP_LIBRARIES, client_of

OFFLINE = "http://127.0.0.1:9/v1"


def _emulator() -> Emulator:
    return Emulator(scenario="tool-call", seed=3, clock=FixedClock(), event_delay=0.0)


def _sdk(transport: CassetteTransport, base_url: str, library: str) -> openai.OpenAI:
    http_client = client_of(library, transport=transport)
    return openai.OpenAI(api_key=FAKE_KEY, base_url=base_url, http_client=http_client, max_retries=0)


@pytest.mark.parametrize("library", HTTP_LIBRARIES)
def test_the_sdk_records_and_replays_through_an_injected_transport(tmp_path: Path, library: str) -> None:
    path = tmp_path / "injected.json"
    with (
        EmulatorServer(_emulator()) as server,
        use_cassette(path, record_mode="once", patch=False) as cassette,
    ):
        recorded = drive_conversation(_sdk(cassette.transport(), server.base_url, library), "tool-call")
    with use_cassette(path, record_mode="none", patch=False, chunking="byte") as cassette:
        replayed = drive_conversation(_sdk(cassette.transport(), OFFLINE, library), "tool-call")
        assert cassette.play_counts and sum(cassette.play_counts.values()) == len(cassette.exchanges)
    assert replayed.final_status == recorded.final_status == "completed"
    assert replayed.runs[-1] == recorded.runs[-1]


def test_without_patching_a_plain_client_is_not_intercepted(tmp_path: Path) -> None:
    with EmulatorServer(_emulator()) as server, use_cassette(tmp_path / "c.json", patch=False) as cassette:
        httpx.post(f"{server.base_url}/assistants", json={"model": "gpt-4o"})
    assert cassette.exchanges == []


@pytest.mark.parametrize("library", [httpx, httpx2], ids=["httpx", "httpx2"])
def test_an_injected_transport_inside_the_patching_records_each_request_once(
    library: object, tmp_path: Path
) -> None:
    path = tmp_path / "both.json"
    with EmulatorServer(_emulator()) as server, use_cassette(path, record_mode="once") as cassette:
        client = library.Client(transport=cassette.transport())  # type: ignore[attr-defined]
        response = client.post(f"{server.base_url}/assistants", json={"model": "gpt-4o"})
    assert response.status_code == 200
    assert len(cassette.exchanges) == 1
    with use_cassette(path, record_mode="none") as cassette:
        client = library.Client(transport=cassette.transport())  # type: ignore[attr-defined]
        assert client.post(f"{OFFLINE}/assistants", json={"model": "gpt-4o"}).json() == response.json()


@pytest.mark.parametrize("library", [httpx, httpx2], ids=["httpx", "httpx2"])
def test_an_injected_async_transport_replays(library: object, tmp_path: Path) -> None:
    path = tmp_path / "async.json"
    with EmulatorServer(_emulator()) as server, use_cassette(path, record_mode="once"):
        expected = httpx.post(f"{server.base_url}/assistants", json={"model": "gpt-4o"}).json()

    async def replay() -> object:
        with use_cassette(path, record_mode="none", patch=False) as cassette:
            async with library.AsyncClient(transport=cassette.transport()) as client:  # type: ignore[attr-defined]
                response = await client.post(f"{OFFLINE}/assistants", json={"model": "gpt-4o"})
                return response.json()

    assert asyncio.run(replay()) == expected


def _gzip_cassette(path: Path, body: bytes) -> None:
    exchange = Exchange(
        RecordedRequest("GET", "https://api.openai.com/v1/files/file_x/content", [], b""),
        RecordedResponse(
            200, "OK", [("content-encoding", "gzip"), ("content-type", "text/plain")], gzip.compress(body)
        ),
    )
    save_cassette(Cassette([exchange]), path)


def test_a_compressed_body_is_inflated_on_replay(tmp_path: Path) -> None:
    _gzip_cassette(tmp_path / "gz.json", b"hello " * 100)
    with use_cassette(tmp_path / "gz.json", record_mode="none"):
        response = httpx.get("https://api.openai.com/v1/files/file_x/content")
    assert response.text == "hello " * 100
    assert "content-encoding" not in response.headers


def test_a_compression_bomb_stops_at_the_cap_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encoding, "MAX_INFLATED_BYTES", 1024 * 1024)
    _gzip_cassette(tmp_path / "bomb.json", bytes(4 * 1024 * 1024))
    with use_cassette(tmp_path / "bomb.json", record_mode="none"), pytest.raises(CassetteError) as caught:
        httpx.get("https://api.openai.com/v1/files/file_x/content")
    assert "bomb.json: exchange #0: gzip-compressed body inflates to more than 1048576 bytes" in str(
        caught.value
    )
