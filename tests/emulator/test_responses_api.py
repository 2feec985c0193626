"""The emulated Responses API through the openai SDK: every scenario, the tool round trips, errors."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from typing import Any

import openai
import pytest
from openai.types.responses import ResponseStreamEvent
from pydantic import TypeAdapter

from harness.emulator import API_SCENARIOS, EmulatorRequest
from harness.protocols.responses_fold import fold_responses
from harness.protocols.responses_vocabulary import LIFECYCLE_EVENTS
from harness.sse import parse_sse
from tests.emulator.api_support import RESPONSES_TOOLS, async_client, client, emulator, unknown_fields
from tests.emulator.support import CORPUS, key_paths
from tests.support.installed_sdk import OPENAI_MAJOR

EVENT = TypeAdapter(ResponseStreamEvent)
OUTPUT_TYPES = {
    "text": ["message"],
    "annotations": ["message"],
    "tool-call": ["function_call"],
    "parallel-tools": ["function_call", "function_call"],
    "incomplete": ["message"],
    "failed": ["message"],
    "unicode": ["message"],
    "reasoning": ["reasoning", "message"],
    "refusal": ["message"],
    "web-search": ["web_search_call", "message"],
}
STATUS = {"incomplete": "incomplete", "failed": "failed"}
# The real API sends these, and openai-python's models do not declare them.
SENT_BUT_UNDECLARED = ("response.store", "obfuscation", "frequency_penalty", "presence_penalty") + (
    # declared from openai 2.x on
    ("response.completed_at", "response.prompt_cache_retention", "input_tokens_details.cache_write_tokens")
    if OPENAI_MAJOR < 2
    else ()
)
NOT_IN_CORPUS = (".refusal", ".summary[].text", ".summary[].type")
CLIENT_CHOSEN = ("response.tools", "response.metadata.", "response.instructions")


def _raw_stream(scenario: str, seed: int = 3, **body: Any) -> bytes:
    request = {
        "model": "gpt-4o",
        "input": "What should I wear?",
        "tools": RESPONSES_TOOLS,
        "stream": True,
        "metadata": {"emulator_scenario": scenario},
    } | body
    em = emulator(seed)
    response = em.handle(EmulatorRequest("POST", "/v1/responses", body=json.dumps(request).encode()))
    assert response.status == 200
    return response.read()


@pytest.mark.parametrize("scenario", [s for s in API_SCENARIOS["responses"] if s != "error"])
def test_every_scenario_streams_what_the_sdk_accumulates(scenario: str) -> None:
    sdk = client(emulator())
    deltas: list[str] = []
    with sdk.responses.stream(
        model="gpt-4o",
        input="What should I wear?",
        tools=RESPONSES_TOOLS,
        metadata={"emulator_scenario": scenario},
    ) as stream:
        events = list(stream)
        deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
        if scenario in STATUS:
            # openai-python wants response.completed; the API's terminal object is in the last event.
            with pytest.raises(RuntimeError, match=r"response\.completed"):
                stream.get_final_response()
            last: Any = events[-1]
            final = last.response
        else:
            final = stream.get_final_response()
    assert final.status == STATUS.get(scenario, "completed")
    assert [item.type for item in final.output] == OUTPUT_TYPES[scenario]
    assert [e.sequence_number for e in events] == list(range(len(events)))
    if scenario not in ("failed", "tool-call", "parallel-tools", "refusal"):
        assert final.output_text == "".join(deltas)
    if scenario == "refusal":
        refused: Any = final.output[0]
        (part,) = refused.content
        assert part.type == "refusal" and part.refusal.startswith("I'm sorry")
    if scenario == "failed":
        assert final.error is not None and final.error.code == "server_error"
    if scenario == "incomplete":
        assert final.incomplete_details is not None
        assert final.incomplete_details.reason == "max_output_tokens"
    if scenario in ("annotations", "web-search"):
        cited: Any = final.output[-1]
        (part,) = cited.content
        assert part.annotations
        for annotation in part.annotations:
            if annotation.type == "url_citation":
                assert final.output_text[annotation.start_index : annotation.end_index].startswith("([")
    if scenario == "reasoning":
        assert final.usage is not None and final.usage.output_tokens_details.reasoning_tokens > 0


def _real_key_paths() -> dict[str, set[str]]:
    paths: dict[str, set[str]] = defaultdict(set)
    for path in (CORPUS / "responses").glob("*.sse"):
        for event in parse_sse(path.read_bytes()):
            paths[event.event] |= {
                p for p in key_paths(json.loads(event.data)) if not p.startswith(CLIENT_CHOSEN)
            }
    # every lifecycle event carries the same Response object: a field the API sent in one (the
    # only real response.failed has no output and no usage yet) is a field of the others
    carried = {
        p for name in LIFECYCLE_EVENTS & paths.keys() for p in paths[name] if p.startswith("response.")
    }
    for name in LIFECYCLE_EVENTS & paths.keys():
        paths[name] |= carried
    return paths


@pytest.mark.parametrize("scenario", API_SCENARIOS["responses"])
def test_every_event_has_the_fields_real_streams_have(scenario: str) -> None:
    """Event types in the real corpus: no field the real API did not send there (refusals and
    reasoning summaries are not in the corpus: their parts' fields are the SDK's). Other event
    types: only fields openai-python declares (and the two the API sends that it does not)."""
    real = _real_key_paths()
    for event in parse_sse(_raw_stream(scenario)):
        data = json.loads(event.data)
        if event.event in real:
            extra = {p for p in key_paths(data) if not p.startswith(CLIENT_CHOSEN)} - real[event.event]
            assert {p for p in extra if not p.endswith(NOT_IN_CORPUS)} == set(), event.event
            continue
        parsed = EVENT.validate_json(event.data)
        assert parsed.type == event.event
        unknown = [f for f in unknown_fields(parsed, event.event) if not f.endswith(SENT_BUT_UNDECLARED)]
        assert unknown == []


def test_same_seed_and_clock_same_bytes() -> None:
    assert _raw_stream("parallel-tools", seed=5) == _raw_stream("parallel-tools", seed=5)
    assert _raw_stream("text", seed=5) != _raw_stream("text", seed=6)


def test_obfuscation_can_be_left_out() -> None:
    body = _raw_stream("text", stream_options={"include_obfuscation": False})
    assert b"obfuscation" not in body
    assert b'"obfuscation"' in _raw_stream("text")


@pytest.mark.parametrize("chain", ["previous_response_id", "input items"])
def test_function_call_outputs_continue_the_conversation(chain: str) -> None:
    sdk = client(emulator())
    first = sdk.responses.create(
        model="gpt-4o",
        input="What should I wear?",
        tools=RESPONSES_TOOLS,
        metadata={"emulator_scenario": "parallel-tools"},
    )
    calls = [item for item in first.output if item.type == "function_call"]
    assert [call.name for call in calls] == ["get_current_weather", "get_local_time"]
    assert json.loads(calls[0].arguments) == {"location": "Paris, France"}
    outputs: list[Any] = [
        {"type": "function_call_output", "call_id": call.call_id, "output": f"{call.name} ok"}
        for call in calls
    ]
    if chain == "previous_response_id":
        extra: dict[str, Any] = {"previous_response_id": first.id, "input": outputs}
    else:
        earlier: list[Any] = [{"role": "user", "content": "What should I wear?"}]
        extra = {"input": earlier + [call.model_dump() for call in calls] + outputs, "store": False}
    with sdk.responses.stream(model="gpt-4o", tools=RESPONSES_TOOLS, **extra) as stream:
        second = stream.get_final_response()
    assert second.id != first.id and second.status == "completed"
    assert second.previous_response_id == (first.id if chain == "previous_response_id" else None)
    assert second.output_text == (
        "Thanks for waiting. The tool reported: get_current_weather ok; get_local_time ok. "
        "Let me know if you need anything else!"
    )
    assert sdk.responses.retrieve(second.id).output_text == second.output_text


def test_async_stream_and_create() -> None:
    async def main() -> tuple[str, str]:
        sdk = async_client(emulator())
        async with sdk.responses.stream(model="gpt-4o", input="hi [scenario:unicode]") as stream:
            streamed = await stream.get_final_response()
        created = await sdk.responses.create(model="gpt-4o", input="hi")
        return streamed.output_text, created.output_text

    streamed, created = asyncio.run(main())
    assert "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466" in streamed
    assert created.startswith("Hello! I'm an emulated assistant")


def test_error_event_ends_the_stream() -> None:
    events = parse_sse(_raw_stream("error"))
    assert events[-1].event == "error"
    error = json.loads(events[-1].data)["error"]
    assert error["code"] == "server_error" and "request ID req_" in error["message"]
    assert not any(e.event == "response.completed" for e in events)


def test_error_event_is_shaped_as_the_live_api_sends_it() -> None:
    """The one real `error` event (cassettes/real/responses/111) nests code, message, param and
    type under "error", where the API reference documents them flat; the SDK raises on it."""
    real = next(
        json.loads(event.data)
        for event in parse_sse(next((CORPUS / "responses").glob("111-*.sse")).read_bytes())
        if event.event == "error"
    )
    emulated = json.loads(parse_sse(_raw_stream("error"))[-1].data)
    assert emulated.keys() == real.keys()
    assert emulated["error"].keys() == real["error"].keys()
    sdk = client(emulator())
    with pytest.raises(openai.APIError, match="request ID req_"):
        for _ in sdk.responses.create(
            model="gpt-4o", input="hi", stream=True, metadata={"emulator_scenario": "error"}
        ):
            pass


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"input": "hi"}, 400, "Missing required parameter: 'model'."),
        ({"model": "m", "previous_response_id": "resp_nope"}, 400, "Previous response with id 'resp_nope'"),
        (
            {"model": "m", "input": [{"type": "function_call_output", "call_id": "call_x", "output": "1"}]},
            400,
            "No tool call found for function call output with call_id call_x.",
        ),
        (
            {"model": "m", "input": "hi", "metadata": {"emulator_scenario": "expired"}},
            400,
            "Unknown emulator",
        ),
        (
            {"model": "m", "input": "hi", "metadata": {"emulator_scenario": "error"}},
            500,
            "server had an error",
        ),
        ({"model": "m", "input": 3}, 400, "Invalid type for 'input'"),
    ],
)
def test_bad_requests_get_the_api_error_shape(body: dict[str, Any], status: int, message: str) -> None:
    response = emulator().handle(EmulatorRequest("POST", "/v1/responses", body=json.dumps(body).encode()))
    assert response.status == status
    assert message in json.loads(response.read())["error"]["message"]


def test_missing_output_for_one_call_is_refused() -> None:
    sdk = client(emulator())
    first = sdk.responses.create(
        model="gpt-4o", input="hi", tools=RESPONSES_TOOLS, metadata={"emulator_scenario": "parallel-tools"}
    )
    call = next(item for item in first.output if item.type == "function_call")
    with pytest.raises(openai.BadRequestError, match="No tool output found for function call"):
        sdk.responses.create(
            model="gpt-4o",
            previous_response_id=first.id,
            input=[{"type": "function_call_output", "call_id": call.call_id, "output": "x"}],
        )
    with pytest.raises(openai.NotFoundError, match="not found"):
        sdk.responses.retrieve("resp_unknown")


@pytest.mark.parametrize("scenario", API_SCENARIOS["responses"])
def test_every_scenario_folds_with_only_the_diagnostics_it_is_about(scenario: str) -> None:
    transcript = fold_responses([parse_sse(_raw_stream(scenario))])
    expected = {"failed": ["response-failed"], "error": ["error-event"]}.get(scenario, [])
    assert transcript.diagnostic_codes() == expected
    assert len(transcript.responses) == 1
