"""Responses and Chat Completions conversations recorded through the openai SDK, then replayed offline.

Every call style (``responses.create(stream=True)``, ``responses.stream``,
``chat.completions.create(stream=True)``, ``chat.completions.stream``), sync and
async, over httpx2 and plain httpx (each library the installed SDK takes: openai 3.x runs on
httpx2 and takes httpx clients, openai 2.x the other way round, openai 1.x knows only httpx), under
every chunking; then the fault set through the SDK.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest

from harness import CutAfter, DelayBefore, DisconnectAfter, HTTPError, use_cassette
from harness.cassette import load_cassette
from harness.emulator import Emulator, EmulatorServer, FixedClock
from harness.errors import UnmatchedRequestError
from harness.pytest_plugin.failures import harness_error_in
from tests.playback.conftest import FAKE_KEY
from tests.support.installed_sdk import (
    HTTP_LIBRARIES,
    SDK_HTTP,
    async_sdk_client,
    mid_stream_disconnect_errors,
    sdk_client,
)

OFFLINE_URL = "http://127.0.0.1:9/v1"  # nothing listens there: a replay must not need the network
CHUNKINGS = ["recorded", "event", "byte", "random:7", "whole"]
STYLES = ["responses.create", "responses.stream", "chat.create", "chat.stream"]
TOOLS: list[Any] = [
    {
        "type": "function",
        "name": "get_current_weather",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}},
    }
]
CHAT_TOOLS: list[Any] = [{"type": "function", "function": {k: v for k, v in TOOLS[0].items() if k != "type"}}]
# openai 1.x and 2.x's async chat.completions.stream refuses tools it cannot parse arguments of strictly
STRICT_CHAT_TOOLS: list[Any] = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "strict": True,
            "parameters": {
                "type": "object",
                "properties": {"location": {"type": "string"}},
                "required": ["location"],
                "additionalProperties": False,
            },
        },
    }
]
USER = "What should I wear? [scenario:tool-call]"
HI: list[Any] = [{"role": "user", "content": "hi"}]

Seen = list[str]


@pytest.fixture
def emulator_url() -> Iterator[str]:
    emulator = Emulator(seed=4, clock=FixedClock(), event_delay=0.0003)
    with EmulatorServer(emulator) as server:
        yield server.base_url


def _client(base_url: str, http: str) -> openai.OpenAI:
    return sdk_client(http, api_key=FAKE_KEY, base_url=base_url, max_retries=0)


def _async_client(base_url: str, http: str) -> openai.AsyncOpenAI:
    return async_sdk_client(http, api_key=FAKE_KEY, base_url=base_url, max_retries=0)


def _responses_outputs(calls: list[Any]) -> list[Any]:
    return [
        {"type": "function_call_output", "call_id": c.call_id, "output": f"{c.name}: sunny"} for c in calls
    ]


def _chat_history(message: Any) -> list[Any]:
    outputs = [
        {"role": "tool", "tool_call_id": c.id, "content": f"{c.function.name}: sunny"}
        for c in message.tool_calls or []
    ]
    return [
        {"role": "user", "content": USER},
        message.model_dump(exclude_none=True, exclude={"parsed"}),
        *outputs,
    ]


def _sync_conversation(client: openai.OpenAI, style: str) -> Seen:
    """The tool-call round trip in one call style; what the SDK saw, event by event."""
    seen: Seen = []
    if style == "responses.create":
        calls: list[Any] = []
        for event in client.responses.create(model="gpt-4o", input=USER, tools=TOOLS, stream=True):
            seen.append(event.type)
            if event.type == "response.output_item.done" and event.item.type == "function_call":
                calls.append(event.item)
            if event.type == "response.completed":
                previous = event.response.id
        for event in client.responses.create(
            model="gpt-4o", previous_response_id=previous, input=_responses_outputs(calls), stream=True
        ):
            seen.append(f"{event.type}:{getattr(event, 'delta', '')}")
    elif style == "responses.stream":
        with client.responses.stream(model="gpt-4o", input=USER, tools=TOOLS) as stream:
            seen.extend(f"{e.type}:{getattr(e, 'delta', '')}" for e in stream)
            first = stream.get_final_response()
        calls = [item for item in first.output if item.type == "function_call"]
        with client.responses.stream(
            model="gpt-4o", previous_response_id=first.id, input=_responses_outputs(calls)
        ) as stream:
            seen.extend(e.type for e in stream)
            seen.append(stream.get_final_response().output_text)
    elif style == "chat.create":
        arguments = ""
        chunks = client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": USER}], tools=CHAT_TOOLS, stream=True
        )
        for chunk in chunks:
            for call in chunk.choices[0].delta.tool_calls or [] if chunk.choices else []:
                arguments += call.function.arguments or "" if call.function else ""
                seen.append(f"args:{call.function.arguments if call.function else ''}")
        seen.append(arguments)
    else:
        with client.chat.completions.stream(
            model="gpt-4o",
            messages=[{"role": "user", "content": USER}],
            tools=CHAT_TOOLS,
            stream_options={"include_usage": True},
        ) as chat_stream:
            seen.extend(e.type for e in chat_stream)
            message = chat_stream.get_final_completion().choices[0].message
        with client.chat.completions.stream(model="gpt-4o", messages=_chat_history(message)) as chat_stream:
            seen.extend(f"{e.type}:{getattr(e, 'delta', '')}" for e in chat_stream)
            seen.append(chat_stream.get_final_completion().choices[0].message.content or "")
    return seen


async def _async_conversation(client: openai.AsyncOpenAI, style: str) -> Seen:
    seen: Seen = []
    if style == "responses.create":
        stream = await client.responses.create(model="gpt-4o", input=USER, tools=TOOLS, stream=True)
        seen.extend([f"{event.type}:{getattr(event, 'delta', '')}" async for event in stream])
    elif style == "responses.stream":
        async with client.responses.stream(model="gpt-4o", input=USER, tools=TOOLS) as manager:
            seen.extend([event.type async for event in manager])
            final = await manager.get_final_response()
        seen.append(final.output[0].type)
    elif style == "chat.create":
        chunks = await client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": USER}], tools=CHAT_TOOLS, stream=True
        )
        seen.extend([chunk.model_dump_json(exclude={"obfuscation"}) async for chunk in chunks])
    else:
        async with client.chat.completions.stream(
            model="gpt-4o", messages=[{"role": "user", "content": USER}], tools=STRICT_CHAT_TOOLS
        ) as chat_stream:
            seen.extend([event.type async for event in chat_stream])
            completion = await chat_stream.get_final_completion()
        seen.append(completion.choices[0].finish_reason)
    return seen


@pytest.mark.parametrize("http", HTTP_LIBRARIES)
@pytest.mark.parametrize("style", STYLES)
def test_sync_call_styles_replay_identically_under_every_chunking(
    emulator_url: str, tmp_path: Path, style: str, http: str
) -> None:
    path = tmp_path / "conversation.json"
    with use_cassette(path, record_mode="once"):
        recorded = _sync_conversation(_client(emulator_url, http), style)
    stored = load_cassette(path)
    assert len(stored.exchanges) == (1 if style == "chat.create" else 2)
    assert all(len(stream.chunk_sizes) > 1 for stream in stored.streams)  # timing and chunks kept
    for chunking in CHUNKINGS:
        with use_cassette(path, record_mode="none", chunking=chunking) as cassette:
            assert _sync_conversation(_client(OFFLINE_URL, http), style) == recorded, chunking
        assert [s.body for s in cassette.streams] == [s.body for s in stored.streams]


@pytest.mark.parametrize("http", HTTP_LIBRARIES)
@pytest.mark.parametrize("style", STYLES)
def test_async_call_styles_replay_identically(
    emulator_url: str, tmp_path: Path, style: str, http: str
) -> None:
    path = tmp_path / "conversation.json"
    with use_cassette(path, record_mode="once"):
        recorded = asyncio.run(_async_conversation(_async_client(emulator_url, http), style))
    assert recorded
    for chunking in ("recorded", "byte", "random:3"):
        with use_cassette(path, record_mode="none", chunking=chunking):
            assert asyncio.run(_async_conversation(_async_client(OFFLINE_URL, http), style)) == recorded


@pytest.fixture
def responses_cassette(emulator_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "responses.json"
    with use_cassette(path, record_mode="once"):
        list(_client(emulator_url, SDK_HTTP).responses.create(model="gpt-4o", input="hi", stream=True))
    return path


@pytest.fixture
def chat_cassette(emulator_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "chat.json"
    with use_cassette(path, record_mode="once"):
        list(
            _client(emulator_url, SDK_HTTP).chat.completions.create(model="gpt-4o", messages=HI, stream=True)
        )
    return path


def _responses_types(path: Path, **options: Any) -> list[str]:
    with use_cassette(path, record_mode="none", **options):
        client = _client(OFFLINE_URL, SDK_HTTP)
        return [e.type for e in client.responses.create(model="gpt-4o", input="hi", stream=True)]


def _chat_texts(path: Path, http: str, **options: Any) -> list[str]:
    with use_cassette(path, record_mode="none", **options):
        chunks = _client(OFFLINE_URL, http).chat.completions.create(model="gpt-4o", messages=HI, stream=True)
        return [chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices]


def test_cut_after_an_event_ends_the_stream_where_the_sdk_sees_it(responses_cassette: Path) -> None:
    full = _responses_types(responses_cassette)
    assert _responses_types(responses_cassette, faults=[CutAfter(event=4)], chunking="byte") == full[:5]
    with use_cassette(responses_cassette, record_mode="none", faults=[CutAfter(event=4)]):
        client = _client(OFFLINE_URL, SDK_HTTP)
        with client.responses.stream(model="gpt-4o", input="hi") as stream:
            with pytest.raises(RuntimeError, match=r"response\.completed"):
                stream.get_final_response()


@pytest.mark.parametrize("http", HTTP_LIBRARIES)
def test_disconnect_raises_the_sdk_connection_error(
    responses_cassette: Path, chat_cassette: Path, http: str
) -> None:
    with use_cassette(responses_cassette, record_mode="none", faults=[DisconnectAfter(event=3)]):
        stream = _client(OFFLINE_URL, http).responses.create(model="gpt-4o", input="hi", stream=True)
        with pytest.raises(mid_stream_disconnect_errors()):
            list(stream)
    with pytest.raises(mid_stream_disconnect_errors()):
        _chat_texts(chat_cassette, http, faults=[DisconnectAfter(event=3)])


@pytest.mark.parametrize("http", HTTP_LIBRARIES)
def test_delays_cuts_and_http_errors_reach_chat_clients(chat_cassette: Path, http: str) -> None:
    whole = _chat_texts(chat_cassette, http)
    assert "".join(whole).startswith("Hello! I'm an emulated assistant")
    assert _chat_texts(chat_cassette, http, faults=[DelayBefore(event=2, seconds=0.01)]) == whole
    # no [DONE]: the SDK stops quietly at the end of the body, with what came so far
    assert _chat_texts(chat_cassette, http, faults=[CutAfter(event=2)]) == whole[:3]
    client = sdk_client(http, api_key=FAKE_KEY, base_url=OFFLINE_URL, max_retries=1)
    with use_cassette(chat_cassette, record_mode="none", faults=[HTTPError(503, retry_after=0)]):
        chunks = client.chat.completions.create(model="gpt-4o", messages=HI, stream=True)
        assert [c.choices[0].delta.content or "" for c in chunks if c.choices] == whole


def test_a_request_the_cassette_does_not_hold_is_refused_offline(responses_cassette: Path) -> None:
    with use_cassette(responses_cassette, record_mode="none"):
        client = _client(OFFLINE_URL, SDK_HTTP)
        list(client.responses.create(model="gpt-4o", input="hi", stream=True))
        # openai 3.x lets the harness's error through; older releases wrap it as a connection error
        with pytest.raises((UnmatchedRequestError, openai.APIConnectionError)) as raised:
            client.responses.create(model="gpt-4o", input="something else", stream=True)
    refused = harness_error_in(raised.value)
    assert isinstance(refused, UnmatchedRequestError) and "POST /v1/responses" in str(refused)
