"""Responses and Chat Completions streams with a value of another type anywhere in one event: the fold
names what it skips and never reports its own ``internal-error`` (its safety net must stay unused)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.protocols import by_name, fold
from harness.sse import ServerSentEvent, parse_sse
from tests.protocols.builders import ResponsesStream, chat_scenario, response_object, responses_scenario, sse
from tests.support.json_places import places, replaced

CONFUSIONS: list[Any] = [[], {}, 1.5, None]
STREAMS = [
    ("responses", responses_scenario("parallel-tool-calls")),
    ("responses", responses_scenario("reasoning-summary")),
    ("responses", responses_scenario("web-search-citation")),
    ("chat.completions", chat_scenario("parallel-tool-calls")),
    ("chat.completions", chat_scenario("logprobs")),
]


@pytest.mark.parametrize(("protocol", "body"), STREAMS)
def test_a_value_of_another_type_anywhere_is_never_an_internal_error(protocol: str, body: bytes) -> None:
    events = parse_sse(body)
    crashes = []
    for position, event in enumerate(events):
        if event.data == "[DONE]":
            continue
        payload = json.loads(event.data)
        for place in places(payload):
            for value in CONFUSIONS:
                confused = list(events)
                confused[position] = ServerSentEvent(event.event, json.dumps(replaced(payload, place, value)))
                transcript = fold(by_name(protocol), [confused])
                if "internal-error" in [diagnostic.code for diagnostic in transcript.diagnostics]:
                    crashes.append((position, place, value))
    assert crashes == []


def test_an_item_id_that_is_not_a_string_is_no_id_and_the_terminal_object_still_wins() -> None:
    stream = ResponsesStream().start()
    stream.add("response.output_item.added", output_index=0, item={"type": "function_call", "arguments": ""})
    stream.add("response.function_call_arguments.delta", output_index=0, delta="{}")
    done = {"id": ["fc"], "type": "function_call", "arguments": "{}"}
    stream.add("response.output_item.done", output_index=0, item=done)
    terminal = [{"id": {"x": 1}, "type": "function_call", "arguments": "{}"}]
    stream.add("response.completed", response=response_object("completed", terminal))
    transcript = fold(by_name("responses"), [parse_sse(sse(stream.events))])
    assert transcript.diagnostics == []
    assert transcript.to_dict()["final_response"]["output"] == terminal
