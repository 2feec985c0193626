"""Async SDK, plain httpx transports, and events spread over time on real HTTP."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import httpx
import openai
import pytest

import harness.http.server
from harness.emulator import (
    AsyncEmulatorTransport,
    Emulator,
    EmulatorRequest,
    EmulatorServer,
    EmulatorTransport,
)
from harness.sse import parse_sse
from tests.emulator.support import FAKE_KEY, WEATHER_TOOL, call_json
from tests.support.clocks import FakeTime, SleepLog
from tests.support.handshake import Handshake
from tests.support.installed_sdk import HTTP_LIBRARIES, async_client_of, async_emulator_http_client


async def _async_tool_conversation(client: openai.AsyncOpenAI) -> str:
    assistant = await client.beta.assistants.create(
        model="gpt-4o",
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
        metadata={"emulator_scenario": "tool-call"},
    )
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": "Weather?"}])
    async with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        await stream.until_done()
        run = await stream.get_final_run()
    assert run.status == "requires_action" and run.required_action is not None
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    async with client.beta.threads.runs.submit_tool_outputs_stream(
        thread_id=thread.id, run_id=run.id, tool_outputs=[{"tool_call_id": call.id, "output": "rain"}]
    ) as stream:
        await stream.until_done()
        final = await stream.get_final_run()
        messages = await stream.get_final_messages()
    assert final.status == "completed"
    return messages[0].content[0].text.value  # type: ignore[union-attr]


@pytest.mark.parametrize("library", HTTP_LIBRARIES)
@pytest.mark.parametrize("way", ["http", "in-process"])
def test_async_sdk(way: str, library: str) -> None:
    emulator = Emulator(event_delay=0.001)

    async def main(base_url: str, http_client: Any) -> str:
        client = openai.AsyncOpenAI(
            api_key=FAKE_KEY, base_url=base_url, max_retries=0, timeout=20, http_client=http_client
        )
        async with client:
            return await _async_tool_conversation(client)

    if way == "http":
        with EmulatorServer(emulator) as server:
            reply = asyncio.run(main(server.base_url, async_client_of(library)))
    else:
        reply = asyncio.run(main("http://emulator.test/v1", async_emulator_http_client(emulator, library)))
    assert "rain" in reply


def _new_stream_request(emulator: Emulator) -> dict[str, object]:
    assistant = call_json(emulator, "POST", "/v1/assistants", {"model": "gpt-4o", "instructions": "x"})
    return {
        "assistant_id": assistant["id"],
        "stream": True,
        "thread": {"messages": [{"role": "user", "content": "hi"}]},
    }


def _run_request(emulator: Emulator) -> EmulatorRequest:
    body = json.dumps(_new_stream_request(emulator)).encode()
    return EmulatorRequest.from_target("POST", "/v1/threads/runs", {}, body)


def test_plain_httpx_transport_streams() -> None:
    emulator = Emulator(event_delay=0)
    client = httpx.Client(transport=EmulatorTransport(emulator), base_url="http://emulator.test/v1")
    with client, client.stream("POST", "/threads/runs", json=_new_stream_request(emulator)) as response:
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        chunks = list(response.iter_bytes())
    events = parse_sse(b"".join(chunks))
    assert events[0].event == "thread.created" and events[-1].event == "done"
    assert len(chunks) == len(events)


def test_plain_httpx_async_transport_streams() -> None:
    emulator = Emulator(event_delay=0)

    async def main() -> bytes:
        async with httpx.AsyncClient(
            transport=AsyncEmulatorTransport(emulator), base_url="http://emulator.test/v1"
        ) as client:
            response = await client.post("/threads/runs", json=_new_stream_request(emulator))
            return response.content

    assert parse_sse(asyncio.run(main()))[-1].event == "done"


def test_events_are_paced_and_sent_one_by_one_over_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server waits the pause the emulator asks for before each event (noted, not slept),
    and sends each event when it is due: it holds the rest back until the client has seen the
    first event, which a server that buffered the stream would never let happen."""
    handshake = Handshake()

    def hold_after_the_first_event() -> None:
        if len(sleeps.waits) == 2:  # the first event has been sent, whether a wait came before it
            handshake.wait_for_client()

    sleeps = SleepLog(then=hold_after_the_first_event)
    monkeypatch.setattr(harness.http.server, "time", FakeTime(sleep=sleeps))
    emulator, twin = (Emulator(event_delay=0.02, message_deltas=20, seed=5) for _ in range(2))
    pieces = list(twin.handle(_run_request(twin)).pieces())
    received: list[bytes] = []
    with EmulatorServer(emulator) as server, httpx.Client(base_url=server.base_url, timeout=60) as client:
        with client.stream("POST", "/threads/runs", json=_new_stream_request(emulator)) as response:
            assert response.headers["transfer-encoding"] == "chunked"
            for chunk in response.iter_raw():
                received.append(chunk)
                handshake.client_has_seen()
    assert not handshake.held_up, "the client saw nothing until the server had sent every event"
    assert len(parse_sse(b"".join(received))) == len(pieces) > 25
    assert sleeps.waits == [delay for delay, _ in pieces if delay > 0]
    assert sum(sleeps.waits) > 0.3, "the events are spread over time"


def test_cancel_from_another_client_while_streaming() -> None:
    emulator = Emulator(event_delay=0.01, message_deltas=400)
    with EmulatorServer(emulator) as server:
        streamer = openai.OpenAI(api_key=FAKE_KEY, base_url=server.base_url, max_retries=0, timeout=20)
        canceller = openai.OpenAI(api_key=FAKE_KEY, base_url=server.base_url, max_retries=0, timeout=20)
        assistant = streamer.beta.assistants.create(model="gpt-4o", instructions="x")
        thread = streamer.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
        names: list[str] = []
        cancelled = threading.Event()
        with streamer.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
            for event in stream:
                names.append(event.event)
                if event.event == "thread.message.delta" and not cancelled.is_set():
                    run = stream.current_run
                    assert run is not None
                    canceller.beta.threads.runs.cancel(thread_id=thread.id, run_id=run.id)
                    cancelled.set()
        streamer.close()
        canceller.close()
    assert names[-3:] == ["thread.message.incomplete", "thread.run.step.cancelled", "thread.run.cancelled"]
    assert names.count("thread.message.delta") < 400
