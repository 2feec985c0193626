"""The emulated Chat Completions API through the openai SDK: every scenario, tool round trips, errors."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import openai
import pytest
from openai.types.chat import ChatCompletionChunk

from harness.emulator import API_SCENARIOS, EmulatorRequest
from harness.protocols.chat_fold import fold_chat
from harness.sse import parse_sse
from tests.emulator.api_support import CHAT_TOOLS, async_client, client, emulator, unknown_fields

USER: list[Any] = [{"role": "user", "content": "What should I wear?"}]
FINISH = {"tool-call": "tool_calls", "parallel-tools": "tool_calls", "incomplete": "length"}
# The real API sends these (annotations: search models), and openai-python's chunk model does not
# declare them (its accumulator still merges delta annotations into the message).
SENT_BUT_UNDECLARED = (".obfuscation", ".delta.annotations")


def _raw_stream(scenario: str, seed: int = 3, **body: Any) -> bytes:
    request = {
        "model": "gpt-4o",
        "messages": USER,
        "tools": CHAT_TOOLS,
        "stream": True,
        "metadata": {"emulator_scenario": scenario},
    } | body
    response = emulator(seed).handle(
        EmulatorRequest("POST", "/v1/chat/completions", body=json.dumps(request).encode())
    )
    assert response.status == 200
    return response.read()


@pytest.mark.parametrize("scenario", [s for s in API_SCENARIOS["chat"] if s not in ("error", "incomplete")])
def test_every_scenario_streams_what_the_sdk_accumulates(scenario: str) -> None:
    sdk = client(emulator())
    with sdk.chat.completions.stream(
        model="gpt-4o",
        messages=USER,
        tools=CHAT_TOOLS,
        metadata={"emulator_scenario": scenario},
        stream_options={"include_usage": True},
    ) as stream:
        events = list(stream)
        final = stream.get_final_completion()
    (choice,) = final.choices
    assert choice.finish_reason == FINISH.get(scenario, "stop")
    assert final.usage is not None and final.usage.total_tokens > 0
    content = "".join(e.delta for e in events if e.type == "content.delta")
    assert (choice.message.content or "") == content
    if scenario == "refusal":
        assert choice.message.refusal == "I'm sorry, but I can't help with that request."
        assert choice.message.content is None
    if scenario in ("tool-call", "parallel-tools"):
        calls = choice.message.tool_calls or []
        assert len(calls) == (1 if scenario == "tool-call" else 2)
        call: Any = calls[0]
        assert json.loads(call.function.arguments) == {"location": "Paris, France"}
    if scenario == "web-search":
        (annotation,) = choice.message.annotations or []
        cited = content[annotation.url_citation.start_index : annotation.url_citation.end_index]
        assert cited.startswith("([example.com]")
    if scenario == "reasoning":
        details = final.usage.completion_tokens_details
        assert details is not None and (details.reasoning_tokens or 0) > 0


def test_length_finish_raises_in_the_sdk_yet_the_chunks_are_all_there() -> None:
    sdk = client(emulator())
    # openai-python raises LengthFinishReasonError on finish_reason "length", even without a
    # response_format; the stream itself is legitimate and complete.
    with sdk.chat.completions.stream(
        model="gpt-4o", messages=USER, metadata={"emulator_scenario": "incomplete"}, max_completion_tokens=5
    ) as stream:
        chunks = [e.chunk for e in stream if e.type == "chunk"]
        with pytest.raises(openai.LengthFinishReasonError):
            stream.get_final_completion()
    assert chunks[-1].choices[0].finish_reason == "length"
    assert sum(1 for c in chunks if c.choices and c.choices[0].delta.content) == 5


@pytest.mark.parametrize("scenario", API_SCENARIOS["chat"])
def test_every_chunk_has_only_fields_the_sdk_knows(scenario: str) -> None:
    events = parse_sse(_raw_stream(scenario, stream_options={"include_usage": True}))
    assert all(event.event == "message" for event in events)
    if scenario != "error":
        assert events[-1].data == "[DONE]"
        events = events[:-1]
    for event in events:
        data = json.loads(event.data)
        if "error" in data:
            assert scenario == "error"
            continue
        chunk = ChatCompletionChunk.model_validate(data)
        unknown = [f for f in unknown_fields(chunk) if not f.endswith(SENT_BUT_UNDECLARED)]
        assert unknown == []
        assert "usage" in data


def test_usage_chunk_only_when_asked() -> None:
    plain = [json.loads(e.data) for e in parse_sse(_raw_stream("text"))[:-1]]
    assert all("usage" not in chunk for chunk in plain)
    events = parse_sse(_raw_stream("text", stream_options={"include_usage": True}))
    asked = [json.loads(e.data) for e in events[:-1]]
    usage_chunk = asked[-1]
    assert usage_chunk["choices"] == [] and usage_chunk["usage"]["total_tokens"] > 0
    assert all(chunk["usage"] is None for chunk in asked[:-1])


def test_same_seed_and_clock_same_bytes() -> None:
    assert _raw_stream("parallel-tools", seed=5) == _raw_stream("parallel-tools", seed=5)
    assert _raw_stream("text", seed=5) != _raw_stream("text", seed=6)


def test_n_choices_each_say_the_same() -> None:
    chunks = [json.loads(e.data) for e in parse_sse(_raw_stream("text", n=2))[:-1]]
    by_index: dict[int, str] = {}
    for chunk in chunks:
        (choice,) = chunk["choices"]
        by_index[choice["index"]] = by_index.get(choice["index"], "") + (choice["delta"].get("content") or "")
    assert sorted(by_index) == [0, 1] and by_index[0] == by_index[1] != ""
    completion = client(emulator()).chat.completions.create(model="gpt-4o", messages=USER, n=3)
    assert [c.message.content for c in completion.choices] == [by_index[0]] * 3


def test_tool_messages_continue_the_conversation() -> None:
    sdk = client(emulator())
    first = sdk.chat.completions.create(
        model="gpt-4o", messages=USER, tools=CHAT_TOOLS, metadata={"emulator_scenario": "parallel-tools"}
    )
    message = first.choices[0].message
    calls: list[Any] = list(message.tool_calls or [])
    assert [call.function.name for call in calls] == ["get_current_weather", "get_local_time"]
    history: list[Any] = [*USER, message.model_dump(exclude_none=True)]
    with pytest.raises(openai.BadRequestError, match="did not have response messages"):
        sdk.chat.completions.create(
            model="gpt-4o", messages=[*history, {"role": "tool", "tool_call_id": calls[1].id, "content": "x"}]
        )
    outputs: list[Any] = [
        {"role": "tool", "tool_call_id": call.id, "content": f"{call.function.name} ok"} for call in calls
    ]
    with sdk.chat.completions.stream(model="gpt-4o", messages=[*history, *outputs]) as stream:
        second = stream.get_final_completion()
    assert second.id != first.id
    assert second.choices[0].message.content == (
        "Thanks for waiting. The tool reported: get_current_weather ok; get_local_time ok. "
        "Let me know if you need anything else!"
    )


def test_error_chunk_raises_api_error() -> None:
    sdk = client(emulator())
    seen = []
    with pytest.raises(openai.APIError, match="server had an error"):
        for chunk in sdk.chat.completions.create(
            model="gpt-4o", messages=USER, stream=True, metadata={"emulator_scenario": "error"}
        ):
            seen.append(chunk)
    assert seen and seen[0].choices[0].delta.role == "assistant"


def test_async_create_stream() -> None:
    async def main() -> str:
        sdk = async_client(emulator())
        stream = await sdk.chat.completions.create(model="gpt-4o", messages=USER, stream=True)
        return "".join([chunk.choices[0].delta.content or "" async for chunk in stream if chunk.choices])

    assert asyncio.run(main()).startswith("Hello! I'm an emulated assistant")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"messages": USER}, "Missing required parameter: 'model'."),
        ({"model": "m"}, "Missing required parameter: 'messages'."),
        ({"model": "m", "messages": USER, "metadata": {"emulator_scenario": "failed"}}, "Unknown emulator"),
        (
            {"model": "m", "messages": USER, "metadata": {"emulator_message_deltas": "x"}},
            "expected an integer",
        ),
    ],
)
def test_bad_requests_get_the_api_error_shape(body: dict[str, Any], message: str) -> None:
    response = emulator().handle(
        EmulatorRequest("POST", "/v1/chat/completions", body=json.dumps(body).encode())
    )
    assert response.status == 400
    assert message in json.loads(response.read())["error"]["message"]


@pytest.mark.parametrize("scenario", API_SCENARIOS["chat"])
def test_every_scenario_folds_with_only_the_diagnostics_it_is_about(scenario: str) -> None:
    transcript = fold_chat([parse_sse(_raw_stream(scenario, stream_options={"include_usage": True}, n=2))])
    # the API ends a failed stream with its error line and no [DONE]: only the error is reported
    expected = ["error-event"] if scenario == "error" else []
    assert transcript.diagnostic_codes() == expected
    (completion,) = transcript.completions
    assert [choice["index"] for choice in completion["choices"]] == [0, 1]
