"""Folding Responses streams: the final Response of every response, and each protocol break named by event."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.diagnostics import Diagnostic
from harness.protocols.responses_fold import ResponsesTranscript, fold_responses
from harness.sse import parse_sse

from .builders import ResponsesStream, response_object, responses_scenario, sse


def fold(*bodies: bytes) -> ResponsesTranscript:
    return fold_responses([parse_sse(body) for body in bodies])


def only(transcript: ResponsesTranscript, code: str) -> Diagnostic:
    found = [diagnostic for diagnostic in transcript.diagnostics if diagnostic.code == code]
    assert len(found) == 1, transcript.diagnostics
    return found[0]


def events_of(body: bytes) -> list[dict[str, Any]]:
    return [json.loads(event.data) for event in parse_sse(body)]


def test_text_tool_calls_reasoning_and_citations_fold_into_the_final_response() -> None:
    stream = ResponsesStream().start()
    stream.reasoning(["Let me ", "think."])
    stream.function_call("lookup", ['{"q":', '"x"}'])
    citation = {
        "type": "url_citation",
        "start_index": 0,
        "end_index": 2,
        "url": "https://a.test",
        "title": "A",
    }
    stream.message(["Hi", " there"], annotations=[citation])
    transcript = fold(stream.finish())
    assert transcript.diagnostics == []
    final = transcript.final_response
    assert final is not None
    assert [item["type"] for item in final["output"]] == ["reasoning", "function_call", "message"]
    assert final["output"][0]["summary"][0]["text"] == "Let me think."
    assert final["output"][1]["arguments"] == '{"q":"x"}'
    assert final["output"][2]["content"][0] == {
        "type": "output_text",
        "annotations": [citation],
        "logprobs": [],
        "text": "Hi there",
    }
    assert final["usage"] == {"input_tokens": 5, "output_tokens": 7, "total_tokens": 12}
    assert transcript.responses == [final]


def test_without_a_terminal_event_the_accumulated_items_are_the_response() -> None:
    stream = ResponsesStream().start()
    stream.message(["Hel", "lo"])
    events = stream.events
    transcript = fold(sse(events))
    diagnostic = only(transcript, "missing-terminal")
    assert diagnostic.event == len(events) - 1
    final = transcript.final_response
    assert final is not None
    assert final["status"] == "in_progress"
    assert final["output"][0]["content"][0]["text"] == "Hello"


def test_deltas_before_their_item_is_done_are_kept_in_order_of_output_index() -> None:
    stream = ResponsesStream().start()
    stream.add(
        "response.output_item.added", output_index=1, item={"id": "msg_b", "type": "message", "content": []}
    )
    stream.add(
        "response.output_item.added", output_index=0, item={"id": "msg_a", "type": "message", "content": []}
    )
    for index, item_id, text in [(1, "msg_b", "second"), (0, "msg_a", "first")]:
        stream.add(
            "response.content_part.added",
            item_id=item_id,
            output_index=index,
            content_index=0,
            part={"type": "output_text", "text": ""},
        )
        stream.add(
            "response.output_text.delta", item_id=item_id, output_index=index, content_index=0, delta=text
        )
    final = fold(sse(stream.events)).final_response
    assert final is not None
    assert [item["content"][0]["text"] for item in final["output"]] == ["first", "second"]


def test_accumulated_text_that_disagrees_with_the_done_event_is_reported_at_that_event() -> None:
    events = events_of(responses_scenario("text"))
    done = next(i for i, e in enumerate(events) if e["type"] == "response.output_text.done")
    events[done]["text"] = "Hello, world!"
    transcript = fold(sse(events))
    diagnostic = transcript.diagnostics[0]
    assert (diagnostic.code, diagnostic.event) == ("delta-done-mismatch", done)
    assert "'Hello, world'" in diagnostic.message and "'Hello, world!'" in diagnostic.message


def test_arguments_that_disagree_with_the_terminal_object_are_reported_and_the_terminal_wins() -> None:
    events = events_of(responses_scenario("parallel-tool-calls"))
    terminal = len(events) - 1
    events[terminal]["response"]["output"][0]["arguments"] = '{"city":"Rome"}'
    transcript = fold(sse(events))
    diagnostic = only(transcript, "delta-snapshot-mismatch")
    assert diagnostic.event == terminal
    assert "arguments" in diagnostic.message
    assert transcript.final_response is not None
    assert transcript.final_response["output"][0]["arguments"] == '{"city":"Rome"}'


@pytest.mark.parametrize(
    ("numbers", "code", "at"),
    [
        ([0, 1, 3, 4], "sequence-gap", 2),
        ([0, 1, 1, 2], "sequence-repeated", 2),
        ([0, 2, 1, 3], "sequence-backwards", 2),
    ],
)
def test_sequence_number_gaps_repeats_and_backwards_steps_are_named(
    numbers: list[int], code: str, at: int
) -> None:
    events = events_of(responses_scenario("text"))[:4]
    for event, number in zip(events, numbers, strict=True):
        event["sequence_number"] = number
    assert only(fold(sse(events)), code).event == at


def test_a_resumed_stream_may_start_past_zero() -> None:
    events = events_of(responses_scenario("text"))[3:]
    events.insert(
        0,
        {
            "type": "response.in_progress",
            "sequence_number": 2,
            "response": response_object("in_progress", []),
        },
    )
    transcript = fold(sse(events))
    assert [d.code for d in transcript.diagnostics if d.code.startswith("sequence")] == []


def test_a_delta_for_an_output_index_no_item_was_added_at_is_named() -> None:
    stream = ResponsesStream().start()
    stream.add("response.output_text.delta", item_id="msg_x", output_index=3, content_index=0, delta="x")
    diagnostic = only(fold(sse(stream.events)), "output-index-out-of-range")
    assert diagnostic.event == 2
    assert "output_index 3" in diagnostic.message


def test_a_delta_for_an_unknown_item_is_named() -> None:
    stream = ResponsesStream().start()
    stream.add(
        "response.output_item.added", output_index=0, item={"id": "msg_a", "type": "message", "content": []}
    )
    stream.add("response.output_text.delta", item_id="msg_zzz", output_index=0, content_index=0, delta="x")
    diagnostic = only(fold(sse(stream.events)), "delta-unknown-item")
    assert diagnostic.event == 3


def test_events_after_the_terminal_event_are_kept_but_not_applied() -> None:
    events = events_of(responses_scenario("text"))
    late = {
        "type": "response.output_text.delta",
        "sequence_number": len(events),
        "item_id": "msg_0",
        "output_index": 0,
        "content_index": 0,
        "delta": "LATE",
    }
    transcript = fold(sse([*events, late]))
    assert only(transcript, "event-after-terminal").event == len(events)
    assert transcript.event_names[-1] == "response.output_text.delta"
    assert transcript.final_response is not None
    assert "LATE" not in json.dumps(transcript.final_response)


def test_unknown_event_types_are_kept_and_reported_never_dropped() -> None:
    stream = ResponsesStream().start()
    stream.add("response.hologram.delta", output_index=0, delta="?")
    transcript = fold(sse(stream.events))
    assert transcript.event_names[2] == "response.hologram.delta"
    assert only(transcript, "unknown-event").event == 2


def test_built_in_tool_progress_audio_and_mcp_events_are_known() -> None:
    stream = ResponsesStream().start()
    stream.web_search("q")
    for name in ("response.audio.delta", "response.audio.transcript.delta"):
        stream.add(name, delta="AAAA")
    stream.add("response.audio.done")
    transcript = fold(stream.finish())
    assert transcript.diagnostics == []


def test_the_payload_type_wins_over_a_differing_event_name() -> None:
    body = b'event: response.created\ndata: {"type":"response.in_progress","response":{"id":"resp_1"}}\n\n'
    transcript = fold(body)
    assert transcript.event_names == ["response.in_progress"]
    assert only(transcript, "type-mismatch").event == 0


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"not json", "invalid-json"),
        (b"[1, 2]", "unexpected-payload"),
        (b'{"type":"response.created"}', "unexpected-payload"),
    ],
)
def test_bad_payloads_are_reported_never_raised(data: bytes, code: str) -> None:
    transcript = fold(b"event: response.created\ndata: " + data + b"\n\n")
    assert only(transcript, code).event == 0


def test_an_empty_stream_is_reported() -> None:
    assert only(fold(b""), "empty-stream").event is None


def test_every_response_of_a_cassette_is_kept_in_order_of_first_appearance() -> None:
    first = responses_scenario("text")
    second = first.replace(b"resp_0000test", b"resp_0000next")
    transcript = fold(first, second)
    assert [response["id"] for response in transcript.responses] == ["resp_0000test", "resp_0000next"]
    assert transcript.final_response is not None
    assert transcript.final_response["id"] == "resp_0000next"
    assert transcript.stream_starts == [0, len(parse_sse(first))]


def test_the_inspect_json_shape() -> None:
    shape = fold(responses_scenario("text")).to_dict()
    assert list(shape) == ["protocol", "events", "responses", "final_response", "diagnostics"]
    assert shape["protocol"] == "responses"
    assert shape["events"][:2] == ["response.created", "response.in_progress"]


def test_a_delta_for_a_part_never_added_is_named_and_its_text_kept() -> None:
    stream = ResponsesStream().start()
    stream.add(
        "response.output_item.added", output_index=0, item={"id": "msg_a", "type": "message", "content": []}
    )
    stream.add("response.output_text.delta", item_id="msg_a", output_index=0, content_index=0, delta="kept")
    transcript = fold(sse(stream.events))
    assert only(transcript, "delta-unknown-part").event == 3
    assert transcript.final_response is not None
    assert transcript.final_response["output"][0]["content"] == [{"text": "kept"}]


def test_after_an_error_event_the_responses_own_terminal_object_is_applied_and_nothing_else() -> None:
    # The API follows an `error` event with response.failed (cassettes/real/responses/111): that
    # terminal object is the final state. Any other event after the error is still one too many.
    stream = ResponsesStream().start()
    stream.add(
        "error", error={"type": "server_error", "code": "server_error", "message": "boom", "param": None}
    )
    stream.add("response.failed", response=response_object("failed", [], error={"code": "server_error"}))
    stream.add("response.output_text.delta", item_id="msg_0", output_index=0, content_index=0, delta="x")
    transcript = fold(sse(stream.events))
    assert transcript.final_response is not None
    assert transcript.final_response["status"] == "failed"
    assert [(d.code, d.event) for d in transcript.diagnostics] == [
        ("error-event", 2),
        ("response-failed", 3),
        ("event-after-terminal", 4),
    ]
    alone = ResponsesStream().start()
    alone.add(
        "error", error={"type": "server_error", "code": "server_error", "message": "boom", "param": None}
    )
    alone.add("response.output_text.delta", item_id="msg_0", output_index=0, content_index=0, delta="x")
    ended = fold(sse(alone.events))
    assert [(d.code, d.event) for d in ended.diagnostics] == [("error-event", 2), ("event-after-terminal", 3)]
