"""Record real run streams through the openai SDK from a local server, then replay them offline: every
Assistants call style, sync and async, over each HTTP library the installed SDK takes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from openai import AssistantEventHandler

from harness import use_cassette
from harness.cassette import load_cassette
from harness.sse import parse_sse
from tests.playback.conftest import FAKE_KEY, real_body
from tests.support.installed_sdk import HTTP_LIBRARIES, async_sdk_client, sdk_client
from tests.support.scripted_server import iter_routes, sse_answer

OFFLINE_URL = "http://127.0.0.1:9/v1"  # nothing listens there: a replay must not need the network
CHUNKINGS = ["recorded", "event", "byte", "random:7", "whole"]


class Collecting(AssistantEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def on_event(self, event: Any) -> None:
        self.names.append(event.event)


def _stream_run(base_url: str, http: str) -> tuple[list[str], Any, list[Any], list[Any]]:
    client = sdk_client(http, api_key=FAKE_KEY, base_url=base_url, max_retries=0)
    handler = Collecting()
    with client.beta.threads.runs.stream(
        thread_id="thread_abc", assistant_id="asst_abc", event_handler=handler
    ) as stream:
        stream.until_done()
    return handler.names, handler.get_final_run(), handler.get_final_run_steps(), handler.get_final_messages()


@pytest.mark.parametrize("http", HTTP_LIBRARIES)
def test_runs_stream_replays_identically_under_every_chunking(serve: Any, tmp_path: Path, http: str) -> None:
    body = real_body("017")
    server = serve(iter_routes(sse_answer(body, 0.0005)))
    cassette_path = tmp_path / "run.json"
    with use_cassette(cassette_path, record_mode="once"):
        recorded = _stream_run(server.base_url, http)

    stored = load_cassette(cassette_path)
    assert stored.streams[0].body == body
    assert len(stored.streams[0].chunk_sizes) > 1
    for chunking in CHUNKINGS:
        with use_cassette(cassette_path, record_mode="none", chunking=chunking) as cassette:
            replayed = _stream_run(OFFLINE_URL, http)
        assert replayed == recorded, chunking
        assert cassette.streams[0].body == body
        assert cassette.events[0] == parse_sse(body)


@pytest.mark.parametrize("http", HTTP_LIBRARIES)
def test_create_stream_true_and_submit_tool_outputs_stream(serve: Any, tmp_path: Path, http: str) -> None:
    first, second = real_body("010"), real_body("011")
    server = serve(iter_routes(sse_answer(first), sse_answer(second)))

    def conversation(base_url: str) -> tuple[list[str], list[str]]:
        client = sdk_client(http, api_key=FAKE_KEY, base_url=base_url, max_retries=0)
        stream = client.beta.threads.create_and_run(assistant_id="asst_x", stream=True)
        names_1: list[str] = [event.event for event in stream]
        run = next(e.data for e in parse_sse(first) if e.event == "thread.run.requires_action")
        run_id, thread_id = run.split('"id":"')[1].split('"')[0], "thread_6oUGUBxLwhyApwhYBhWjHI5f"
        names_2: list[str] = []
        with client.beta.threads.runs.submit_tool_outputs_stream(
            run_id=run_id, thread_id=thread_id, tool_outputs=[{"tool_call_id": "call_x", "output": "sunny"}]
        ) as continuation:
            for event in continuation:
                names_2.append(event.event)
        return names_1, names_2

    cassette_path = tmp_path / "tool.json"
    with use_cassette(cassette_path, record_mode="once"):
        recorded = conversation(server.base_url)
    assert recorded[0][-1] == "thread.run.requires_action"
    assert recorded[1][-1] == "thread.run.completed"
    with use_cassette(cassette_path, record_mode="none", chunking="byte") as cassette:
        assert conversation(OFFLINE_URL) == recorded
    assert [s.body for s in cassette.streams] == [first, second]
    assert all(count == 1 for count in cassette.play_counts.values())


@pytest.mark.parametrize("http", HTTP_LIBRARIES)
def test_async_client_records_and_replays(serve: Any, tmp_path: Path, http: str) -> None:
    body = real_body("020")
    server = serve(iter_routes(sse_answer(body, 0.001)))

    async def run(base_url: str) -> list[str]:
        client = async_sdk_client(http, api_key=FAKE_KEY, base_url=base_url, max_retries=0)
        stream = await client.beta.threads.runs.create(
            thread_id="thread_a", assistant_id="asst_b", stream=True
        )
        return [event.event async for event in stream]

    cassette_path = tmp_path / "async.json"
    with use_cassette(cassette_path, record_mode="once"):
        recorded = asyncio.run(run(server.base_url))
    assert recorded[-1] == "thread.run.completed"
    for chunking in CHUNKINGS:
        with use_cassette(cassette_path, record_mode="none", chunking=chunking):
            assert asyncio.run(run(OFFLINE_URL)) == recorded


@pytest.mark.parametrize("http", HTTP_LIBRARIES)
def test_async_runs_stream_and_submit_tool_outputs_stream(serve: Any, tmp_path: Path, http: str) -> None:
    first, second = real_body("010"), real_body("011")
    server = serve(iter_routes(sse_answer(first, 0.0005), sse_answer(second)))

    async def conversation(base_url: str) -> list[Any]:
        client = async_sdk_client(http, api_key=FAKE_KEY, base_url=base_url, max_retries=0)
        async with client.beta.threads.runs.stream(thread_id="thread_a", assistant_id="asst_b") as stream:
            names = [event.event async for event in stream]
            run = await stream.get_final_run()
        async with client.beta.threads.runs.submit_tool_outputs_stream(
            thread_id=run.thread_id,
            run_id=run.id,
            tool_outputs=[{"tool_call_id": "call_x", "output": "sunny"}],
        ) as continuation:
            names += [event.event async for event in continuation]
            final = await continuation.get_final_run()
            messages = await continuation.get_final_messages()
        return [names, final.model_dump(), [message.model_dump() for message in messages]]

    cassette_path = tmp_path / "async-tool.json"
    with use_cassette(cassette_path, record_mode="once"):
        recorded = asyncio.run(conversation(server.base_url))
    assert "thread.run.requires_action" in recorded[0] and recorded[1]["status"] == "completed"
    for chunking in ("recorded", "byte", "random:5"):
        with use_cassette(cassette_path, record_mode="none", chunking=chunking):
            assert asyncio.run(conversation(OFFLINE_URL)) == recorded, chunking


@pytest.mark.parametrize("http", HTTP_LIBRARIES)
def test_runs_create_stream_true_replays(serve: Any, tmp_path: Path, http: str) -> None:
    body = real_body("020")
    server = serve(iter_routes(sse_answer(body, 0.0005)))

    def run(base_url: str) -> list[str]:
        client = sdk_client(http, api_key=FAKE_KEY, base_url=base_url, max_retries=0)
        stream = client.beta.threads.runs.create(thread_id="thread_a", assistant_id="asst_b", stream=True)
        return [event.model_dump_json() for event in stream]

    cassette_path = tmp_path / "create.json"
    with use_cassette(cassette_path, record_mode="once"):
        recorded = run(server.base_url)
    assert '"thread.run.completed"' in recorded[-1]
    for chunking in CHUNKINGS:
        with use_cassette(cassette_path, record_mode="none", chunking=chunking):
            assert run(OFFLINE_URL) == recorded, chunking


@pytest.mark.parametrize("chunking", CHUNKINGS)
def test_plain_httpx_client_sees_identical_bytes(serve: Any, tmp_path: Path, chunking: str) -> None:
    body = real_body("014")
    server = serve(iter_routes(sse_answer(body)))
    cassette_path = tmp_path / "httpx.json"
    with use_cassette(cassette_path, record_mode="once"), httpx.Client() as client:
        with client.stream("POST", f"{server.base_url}/threads/t/runs", json={"stream": True}) as response:
            assert b"".join(response.iter_raw()) == body
    with use_cassette(cassette_path, record_mode="none", chunking=chunking), httpx.Client() as client:
        with client.stream("POST", f"{OFFLINE_URL}/threads/t/runs", json={"stream": True}) as response:
            reads = list(response.iter_raw())
    assert b"".join(reads) == body
    if chunking == "byte":
        assert all(len(read) == 1 for read in reads)
    if chunking == "whole":
        assert len(reads) == 1
    if chunking == "event":
        assert len(reads) == len(parse_sse(body))
