"""Folding Responses streams through the protocol registry: every malformed event named at its index,
the final ``Response`` built from what the stream sent, and the per-event columns of the timeline."""

from __future__ import annotations

import json
from typing import Any

from harness.protocols import by_name, fold
from harness.protocols.base import FoldedTranscript
from harness.protocols.responses_fold import ResponsesTranscript
from harness.sse import parse_sse
from tests.guards.findings import codes_at, only
from tests.protocols.builders import ResponsesStream, response_object, sse


def folded(body: bytes, *, views: bool = False) -> FoldedTranscript:
    return fold(by_name("responses"), [parse_sse(body)], views=views)


def final(body: bytes) -> dict[str, Any]:
    response = folded(body).to_dict()["final_response"]
    assert isinstance(response, dict)
    return response


def started_message(content: Any = None, item_id: str = "msg_a") -> ResponsesStream:
    """A stream that created a response and added one message item (with ``content`` if given)."""
    stream = ResponsesStream().start()
    item: dict[str, Any] = {"id": item_id, "type": "message", "role": "assistant"}
    if content is not None:
        item["content"] = content
    stream.add("response.output_item.added", output_index=0, item=item)
    return stream


def text_delta(stream: ResponsesStream, delta: Any, **where: Any) -> None:
    place = {"item_id": "msg_a", "output_index": 0, "content_index": 0, **where}
    stream.add(
        "response.output_text.delta",
        **{key: value for key, value in place.items() if value is not None},
        delta=delta,
    )


def test_a_part_added_to_an_item_without_a_content_list_makes_one() -> None:
    for content in (None, "not a list"):
        stream = started_message(content)
        part = {"type": "output_text", "text": ""}
        stream.add("response.content_part.added", item_id="msg_a", output_index=0, content_index=0, part=part)
        text_delta(stream, "Hi")
        transcript = folded(sse(stream.events))
        assert transcript.to_dict()["final_response"]["output"][0]["content"] == [
            {"type": "output_text", "text": "Hi"}
        ]
        assert codes_at(transcript) == [("missing-terminal", 4)]


def test_a_part_added_over_an_entry_that_is_not_an_object_replaces_it() -> None:
    stream = started_message([None, "junk"])
    part = {"type": "output_text", "text": ""}
    stream.add("response.content_part.added", item_id="msg_a", output_index=0, content_index=1, part=part)
    text_delta(stream, "x", content_index=1)
    content = final(sse(stream.events))["output"][0]["content"]
    assert content == [None, {"type": "output_text", "text": "x"}]


def test_a_part_added_again_starts_its_text_afresh() -> None:
    stream = started_message([])
    part = {"type": "output_text", "text": ""}
    where = {"item_id": "msg_a", "output_index": 0, "content_index": 0}
    stream.add("response.content_part.added", **where, part=part)
    text_delta(stream, "dropped")
    stream.add("response.content_part.added", **where, part=part)
    text_delta(stream, "kept")
    assert final(sse(stream.events))["output"][0]["content"] == [{"type": "output_text", "text": "kept"}]


def test_the_timeline_columns_hold_one_entry_per_event_even_for_bad_json() -> None:
    stream = ResponsesStream().start()
    body = sse(stream.events) + b"event: response.output_text.delta\ndata: {oops\n\n"
    body += b'event: error\ndata: {"type":"error","code":"server_error","message":"boom"}\n\n'
    transcript = folded(body, views=True)
    assert transcript.event_names[2:] == ["response.output_text.delta", "error"]
    assert transcript.event_texts[2:] == [None, "boom"]
    assert isinstance(transcript, ResponsesTranscript)  # the statuses the timeline shows
    assert transcript.event_statuses == ["in_progress", "in_progress", None, None]
    assert transcript.event_object_ids == ["resp_0000test", "resp_0000test", None, None]
    assert codes_at(transcript) == [("invalid-json", 2), ("error-event", 3)]


def test_each_event_is_about_its_item_or_its_response() -> None:
    stream = ResponsesStream().start()
    stream.message(["Hi"])
    transcript = folded(stream.finish())
    ids = dict(zip(transcript.event_names, transcript.event_object_ids, strict=True))
    assert ids["response.created"] == ids["response.completed"] == "resp_0000test"
    assert ids["response.output_item.added"] == ids["response.output_text.delta"] == "msg_0"


def test_data_that_is_not_json_is_named_with_its_event_and_quoted_to_sixty_characters() -> None:
    data = "{" + "x" * 100
    transcript = folded(f"data: {data}\n\n".encode())
    assert transcript.event_names == ["message"]
    (invalid, _) = transcript.diagnostics
    assert invalid.message.startswith("message data is not JSON (")
    assert invalid.message.endswith(f"): {data[:60]!r}")


def test_an_error_event_without_a_message_shows_its_error_in_the_timeline() -> None:
    body = b'event: error\ndata: {"type":"error","error":"quota"}\n\n'
    assert folded(body, views=True).event_texts == ["quota"]
    assert folded(b'event: error\ndata: {"type":"error"}\n\n', views=True).event_texts == [""]


def test_a_lifecycle_event_without_a_response_object_is_named_and_skipped() -> None:
    stream = ResponsesStream().start()
    stream.add("response.completed", response="resp_x")
    transcript = folded(sse(stream.events))
    assert codes_at(transcript) == [("unexpected-payload", 2), ("missing-terminal", 2)]
    assert transcript.to_dict()["final_response"]["status"] == "in_progress"


def test_a_terminal_response_without_an_output_list_takes_the_streamed_items() -> None:
    stream = ResponsesStream().start()
    stream.message(["Hel", "lo"])
    response = response_object("completed", [])
    del response["output"]
    stream.add("response.completed", response=response)
    transcript = folded(sse(stream.events))
    assert transcript.diagnostics == []
    output = transcript.to_dict()["final_response"]["output"]
    assert [part["text"] for part in output[0]["content"]] == ["Hello"]
    assert output[0]["id"] == "msg_0"


def test_items_without_an_id_are_checked_against_the_terminal_object_by_position() -> None:
    stream = ResponsesStream().start()
    stream.add("response.output_item.added", output_index=0, item={"type": "function_call", "arguments": ""})
    stream.add("response.function_call_arguments.delta", output_index=0, delta='{"a":1}')
    stream.add(
        "response.completed",
        response=response_object("completed", [{"type": "function_call", "arguments": '{"a":2}'}]),
    )
    transcript = folded(sse(stream.events))
    mismatch = only(transcript, "delta-snapshot-mismatch")
    assert mismatch.event == 4
    assert "'{\"a\":1}'" in mismatch.message and "'{\"a\":2}'" in mismatch.message
    # the API's terminal object wins
    assert transcript.to_dict()["final_response"]["output"][0]["arguments"] == '{"a":2}'


def test_an_item_the_terminal_object_lacks_is_named_unless_its_output_is_empty() -> None:
    stream = ResponsesStream().start()
    stream.message(["Hi"])
    events = stream.events
    other = {"id": "msg_other", "type": "message", "content": []}
    with_other = [*events, {"type": "response.completed", "response": response_object("completed", [other])}]
    mismatch = only(folded(sse(with_other)), "delta-snapshot-mismatch")
    assert "no item msg_0" in mismatch.message
    assert mismatch.event == len(events)
    empty = [*events, {"type": "response.completed", "response": response_object("completed", [])}]
    assert folded(sse(empty)).diagnostics == []


def test_a_delta_naming_only_its_item_id_finds_the_item() -> None:
    stream = started_message([{"type": "output_text", "text": ""}])
    stream.add("response.output_text.delta", item_id="msg_a", content_index=0, delta="by id")
    transcript = folded(sse(stream.events))
    assert codes_at(transcript) == [("missing-terminal", 3)]
    assert transcript.to_dict()["final_response"]["output"][0]["content"][0]["text"] == "by id"


def test_a_delta_naming_no_item_is_named() -> None:
    stream = started_message([])
    stream.add("response.output_text.delta", content_index=0, delta="lost")
    diagnostic = only(folded(sse(stream.events)), "unexpected-payload")
    assert diagnostic.event == 3
    assert "names no output_index or known item_id" in diagnostic.message


def test_item_events_before_the_response_was_created_are_named() -> None:
    stream = ResponsesStream()
    stream.add("response.output_item.added", output_index=0, item={"id": "msg_a", "type": "message"})
    stream.add("response.output_text.delta", item_id="msg_a", output_index=0, content_index=0, delta="x")
    transcript = folded(sse(stream.events))
    assert codes_at(transcript)[:2] == [("output-index-out-of-range", 0), ("output-index-out-of-range", 1)]
    assert "before response.created" in transcript.diagnostics[0].message
    assert transcript.to_dict()["final_response"] is None


def test_tool_progress_before_the_response_is_named_only_when_it_names_an_output_index() -> None:
    stream = ResponsesStream()
    stream.add("response.web_search_call.searching", item_id="ws_0")
    stream.add("response.web_search_call.completed", output_index=0, item_id="ws_0")
    assert codes_at(folded(sse(stream.events)))[:2] == [
        ("output-index-out-of-range", 1),
        ("missing-terminal", 1),
    ]


def test_an_item_added_without_an_item_object_or_output_index_is_named() -> None:
    for fields in ({"output_index": 0, "item": "msg"}, {"item": {"id": "msg_a", "type": "message"}}):
        stream = ResponsesStream().start()
        stream.add("response.output_item.added", **fields)
        transcript = folded(sse(stream.events))
        assert only(transcript, "unexpected-payload").event == 2
        assert transcript.to_dict()["final_response"]["output"] == []


def test_an_item_done_without_an_item_object_is_named_and_the_item_kept() -> None:
    stream = started_message([{"type": "output_text", "text": ""}])
    text_delta(stream, "kept")
    stream.add("response.output_item.done", output_index=0, item=None)
    transcript = folded(sse(stream.events))
    assert only(transcript, "unexpected-payload").event == 4
    assert transcript.to_dict()["final_response"]["output"][0]["content"][0]["text"] == "kept"


def test_an_item_done_that_disagrees_with_its_deltas_is_named_and_wins() -> None:
    stream = started_message([{"type": "output_text", "text": ""}])
    text_delta(stream, "built")
    done = {"id": "msg_a", "type": "message", "content": [{"type": "output_text", "text": "sent"}]}
    stream.add("response.output_item.done", output_index=0, item=done)
    transcript = folded(sse(stream.events))
    assert only(transcript, "delta-snapshot-mismatch").event == 4
    assert transcript.to_dict()["final_response"]["output"] == [done]


def test_a_delta_that_is_not_a_string_is_named_and_skipped() -> None:
    stream = started_message([{"type": "output_text", "text": "a"}])
    text_delta(stream, ["b"])
    text_delta(stream, "c")
    transcript = folded(sse(stream.events))
    diagnostic = only(transcript, "unexpected-payload")
    assert (diagnostic.event, diagnostic.message) == (
        3,
        "response.output_text.delta delta should be a string",
    )
    assert transcript.to_dict()["final_response"]["output"][0]["content"][0]["text"] == "ac"


def test_a_delta_or_done_with_a_bad_part_index_is_named_and_skipped() -> None:
    for bad in (-1, "0", 1.0):
        stream = started_message([{"type": "output_text", "text": "a"}])
        text_delta(stream, "b", content_index=bad)
        stream.add("response.output_text.done", item_id="msg_a", output_index=0, content_index=bad, text="ab")
        transcript = folded(sse(stream.events))
        assert codes_at(transcript) == [
            ("unexpected-payload", 3),
            ("unexpected-payload", 4),
            ("missing-terminal", 4),
        ]
        assert "non-negative integer content_index" in transcript.diagnostics[0].message
        assert transcript.to_dict()["final_response"]["output"][0]["content"][0]["text"] == "a"


def test_a_done_event_without_its_whole_string_changes_nothing() -> None:
    stream = started_message([{"type": "output_text", "text": ""}])
    text_delta(stream, "ab")
    stream.add("response.output_text.done", item_id="msg_a", output_index=0, content_index=0, text=None)
    transcript = folded(sse(stream.events))
    assert codes_at(transcript) == [("missing-terminal", 4)]
    assert transcript.to_dict()["final_response"]["output"][0]["content"][0]["text"] == "ab"


def test_a_done_event_for_text_no_delta_built_settles_it_without_a_finding() -> None:
    stream = started_message([{"type": "output_text", "text": ""}])
    stream.add("response.output_text.done", item_id="msg_a", output_index=0, content_index=0, text="whole")
    transcript = folded(sse(stream.events))
    assert codes_at(transcript) == [("missing-terminal", 3)]
    assert transcript.to_dict()["final_response"]["output"][0]["content"][0]["text"] == "whole"


def test_a_part_added_without_a_part_object_or_index_is_named() -> None:
    for fields in (
        {"part": None, "content_index": 0},
        {"part": {"type": "output_text"}, "content_index": -1},
    ):
        stream = started_message([])
        stream.add("response.content_part.added", item_id="msg_a", output_index=0, **fields)
        transcript = folded(sse(stream.events))
        diagnostic = only(transcript, "unexpected-payload")
        assert diagnostic.event == 3
        assert "needs a part object and an integer content_index" in diagnostic.message
        assert transcript.to_dict()["final_response"]["output"][0]["content"] == []


def test_a_summary_part_done_that_disagrees_with_its_deltas_is_named_and_wins() -> None:
    stream = ResponsesStream().start()
    stream.add(
        "response.output_item.added", output_index=0, item={"id": "rs_0", "type": "reasoning", "summary": []}
    )
    where = {"item_id": "rs_0", "output_index": 0, "summary_index": 0}
    stream.add("response.reasoning_summary_part.added", **where, part={"type": "summary_text", "text": ""})
    stream.add("response.reasoning_summary_text.delta", **where, delta="built")
    stream.add("response.reasoning_summary_part.done", **where, part={"type": "summary_text", "text": "sent"})
    transcript = folded(sse(stream.events))
    diagnostic = only(transcript, "delta-done-mismatch")
    assert diagnostic.event == 5
    assert "'built'" in diagnostic.message and "'sent'" in diagnostic.message
    summary = transcript.to_dict()["final_response"]["output"][0]["summary"]
    assert summary == [{"type": "summary_text", "text": "sent"}]


def test_a_part_done_with_a_bad_index_changes_nothing() -> None:
    stream = started_message([{"type": "output_text", "text": ""}])
    text_delta(stream, "ab")
    where = {"item_id": "msg_a", "output_index": 0}
    stream.add(
        "response.content_part.done", **where, content_index=-1, part={"type": "output_text", "text": "zz"}
    )
    stream.add("response.content_part.done", **where, content_index=0, part="text")
    transcript = folded(sse(stream.events))
    assert codes_at(transcript) == [("missing-terminal", 5)]
    assert transcript.to_dict()["final_response"]["output"][0]["content"] == [
        {"type": "output_text", "text": "ab"}
    ]


def annotated(content: list[Any], *annotations: dict[str, Any]) -> ResponsesStream:
    stream = started_message(content)
    for fields in annotations:
        stream.add("response.output_text.annotation.added", item_id="msg_a", output_index=0, **fields)
    return stream


CITE_A = {"type": "url_citation", "url": "https://a.example"}
CITE_B = {"type": "url_citation", "url": "https://b.example"}


def test_an_annotation_with_its_index_replaces_the_one_there_and_others_append() -> None:
    stream = annotated(
        [{"type": "output_text", "text": "t", "annotations": [CITE_A]}],
        {"content_index": 0, "annotation_index": 0, "annotation": CITE_B},
        {"content_index": 0, "annotation_index": 5, "annotation": CITE_A},
    )
    content = final(sse(stream.events))["output"][0]["content"][0]
    assert content["annotations"] == [CITE_B, CITE_A]


def test_an_annotation_on_a_part_without_an_annotations_list_makes_one() -> None:
    stream = annotated([{"type": "output_text", "text": "t"}], {"content_index": 0, "annotation": CITE_A})
    transcript = folded(sse(stream.events))
    assert codes_at(transcript) == [("missing-terminal", 3)]
    assert transcript.to_dict()["final_response"]["output"][0]["content"][0]["annotations"] == [CITE_A]


def test_an_annotation_without_an_index_or_annotation_is_named() -> None:
    for fields in ({"content_index": -1, "annotation": CITE_A}, {"content_index": 0, "annotation": None}):
        stream = annotated([{"type": "output_text", "text": "t"}], fields)
        transcript = folded(sse(stream.events))
        diagnostic = only(transcript, "unexpected-payload")
        assert diagnostic.event == 3
        assert "needs a content_index and an annotation" in diagnostic.message
        assert "annotations" not in transcript.to_dict()["final_response"]["output"][0]["content"][0]


def test_an_annotation_for_an_unknown_item_is_named_and_not_applied() -> None:
    stream = annotated([{"type": "output_text", "text": "t"}])
    stream.add(
        "response.output_text.annotation.added",
        item_id="msg_zzz",
        output_index=0,
        content_index=0,
        annotation=CITE_A,
    )
    transcript = folded(sse(stream.events))
    assert only(transcript, "delta-unknown-item").event == 3
    assert "annotations" not in transcript.to_dict()["final_response"]["output"][0]["content"][0]


def test_a_part_index_far_past_the_parts_seen_is_named_and_skipped_never_padded() -> None:
    far = 10**9
    stream = started_message([{"type": "output_text", "text": "a"}])
    where = {"item_id": "msg_a", "output_index": 0, "content_index": far}
    stream.add("response.content_part.added", **where, part={"type": "output_text", "text": ""})
    text_delta(stream, "b", content_index=far)
    stream.add("response.output_text.done", **where, text="b")
    stream.add("response.output_text.annotation.added", **where, annotation=CITE_A)
    stream.add("response.content_part.done", **where, part={"type": "output_text", "text": "b"})
    transcript = folded(sse(stream.events))
    assert codes_at(transcript) == [
        *(("unexpected-payload", event) for event in range(3, 8)),
        ("missing-terminal", 7),
    ]
    assert f"content[{far}], 16+ past the 1 part(s) seen (skipped)" in transcript.diagnostics[0].message
    assert final(sse(stream.events))["output"][0]["content"] == [{"type": "output_text", "text": "a"}]


def test_a_part_index_a_few_parts_past_the_end_keeps_its_text_where_it_belongs() -> None:
    for gap, kept in ((16, True), (17, False)):
        stream = started_message([])
        text_delta(stream, "late", content_index=gap)
        content = final(sse(stream.events))["output"][0].get("content")
        assert content == ([*([{}] * gap), {"text": "late"}] if kept else [])


def test_an_event_naming_an_unknown_item_id_and_no_output_index_is_named() -> None:
    for item_id, code in (("msg_zzz", "delta-unknown-item"), (["msg_a"], "unexpected-payload")):
        stream = started_message([{"type": "output_text", "text": ""}])
        stream.add("response.output_text.delta", item_id=item_id, content_index=0, delta="lost")
        transcript = folded(sse(stream.events))
        assert codes_at(transcript) == [(code, 3), ("missing-terminal", 3)]
        assert transcript.to_dict()["final_response"]["output"][0]["content"][0]["text"] == ""


def test_a_mismatch_names_the_string_by_its_path_and_shortens_long_text_to_forty_characters() -> None:
    long_text = "abcdefghij" * 5
    stream = ResponsesStream().start()
    stream.message([long_text])
    events = stream.events
    final_item = {
        **stream.output[0],
        "content": [{"type": "output_text", "text": "short", "annotations": []}],
    }
    terminal = {"type": "response.completed", "response": response_object("completed", [final_item])}
    transcript = folded(sse([*events, terminal]))
    (mismatch,) = transcript.diagnostics
    shortened = repr(long_text[:39] + "\u2026")
    assert mismatch.message == (
        f"response.completed output item msg_0 content.0.text: the deltas built {shortened}, "
        "the final object says 'short'"
    )


def test_a_sequence_gap_says_how_many_events_are_missing() -> None:
    stream = ResponsesStream().start()
    stream.message(["Hi"])
    events = stream.events
    events[3]["sequence_number"] = 10
    for later, event in enumerate(events[4:], 11):
        event["sequence_number"] = later
    transcript = folded(sse(events))
    gap = only(transcript, "sequence-gap")
    assert (gap.event, gap.message) == (3, "sequence_number 10 after 2: 7 missing")


def test_a_response_starting_after_the_terminal_event_opens_the_next_stream() -> None:
    """Two streams back to back in one body (a raw .sse holding several): the fold cuts them apart,
    each event's view kept beside its own name."""
    first = ResponsesStream().start()
    first.message(["Hi"])
    first.add("response.completed", response=response_object("completed", first.output))
    second = ResponsesStream().start()
    second.add("response.completed", response=response_object("completed", []))
    transcript = folded(sse(first.events) + sse(second.events), views=True)
    assert transcript.stream_starts == [0, len(first.events)]
    assert "missing-terminal" not in {d.code for d in transcript.diagnostics}
    assert len(transcript.event_data) == len(transcript.event_names) == len(first.events) + 3
    opening = json.loads(transcript.event_data[len(first.events)])
    assert (opening["type"], opening["sequence_number"]) == ("response.created", 0)


def test_a_response_resumed_in_the_next_stream_before_it_ended_keeps_what_it_streamed() -> None:
    """A stream cut before its terminal event, then resumed (``starting_after``): the output item
    added in the first stream still takes the second stream's deltas (a response that had ended is
    folded afresh instead)."""
    cut = started_message([{"type": "output_text", "text": ""}])
    text_delta(cut, "Hel")
    resumed = ResponsesStream()
    resumed.add("response.in_progress", response=response_object("in_progress", []))
    text_delta(resumed, "lo")
    transcript = fold(by_name("responses"), [parse_sse(sse(cut.events)), parse_sse(sse(resumed.events))])
    codes = {d.code for d in transcript.diagnostics}
    assert "output-index-out-of-range" not in codes and "delta-unknown-item" not in codes, codes
    output = transcript.to_dict()["final_response"]["output"]
    assert output[0]["content"][0]["text"] == "Hello"


def test_an_error_event_is_named_with_its_code_and_message() -> None:
    stream = ResponsesStream().start()
    stream.add("error", code="server_error", message="the model is overloaded")
    diagnostic = only(folded(sse(stream.events)), "error-event")
    assert "'server_error'" in diagnostic.message and "'the model is overloaded'" in diagnostic.message


def test_an_item_done_that_disagrees_with_its_deltas_names_the_item() -> None:
    stream = started_message([{"type": "output_text", "text": ""}])
    text_delta(stream, "Hi")
    item = {
        "id": "msg_a",
        "type": "message",
        "role": "assistant",
        "content": [{"type": "output_text", "text": "Bye"}],
    }
    stream.add("response.output_item.done", output_index=0, item=item)
    diagnostic = only(folded(sse(stream.events)), "delta-snapshot-mismatch")
    assert "response.output_item.done msg_a" in diagnostic.message, diagnostic.message


def test_an_error_event_nested_as_the_live_api_sends_it_shows_its_message() -> None:
    """cassettes/real/responses/111: the live API nests the error; a view shows its message, not
    the object's repr."""
    nested = b'{"type":"error","sequence_number":2,"error":{"type":"insufficient_quota",'
    nested += b'"code":"insufficient_quota","message":"You exceeded your current quota","param":null}}'
    body = b"event: error\ndata: " + nested + b"\n\n"
    body += b'event: error\ndata: {"type":"error","error":{"code":"server_error"}}\n\n'
    assert folded(body, views=True).event_texts == ["You exceeded your current quota", ""]


def test_a_delta_naming_an_item_no_event_added_is_not_applied_to_the_item_at_its_index() -> None:
    stream = started_message([{"type": "output_text", "text": ""}])
    text_delta(stream, "Hi")
    text_delta(stream, " there", item_id="msg_unknown")
    transcript = folded(sse(stream.events))
    assert ("delta-unknown-item", 4) in codes_at(transcript)
    assert "unexpected-payload" not in {d.code for d in transcript.diagnostics}
    assert transcript.to_dict()["final_response"]["output"][0]["content"][0]["text"] == "Hi"


def test_a_delta_for_an_index_with_no_item_is_named_once() -> None:
    stream = started_message([{"type": "output_text", "text": ""}])
    text_delta(stream, "x", output_index=5)
    transcript = folded(sse(stream.events))
    assert codes_at(transcript) == [("output-index-out-of-range", 3), ("missing-terminal", 3)]


def test_an_invalid_line_without_an_event_name_is_a_message_event() -> None:
    transcript = folded(b"data: {not json\n\n")
    assert transcript.event_names == ["message"]
    assert only(transcript, "invalid-json").message.startswith("message data is not JSON")


def test_a_delta_for_a_part_never_added_names_its_item() -> None:
    stream = started_message([])
    text_delta(stream, "Hi", content_index=2)
    diagnostic = only(folded(sse(stream.events)), "delta-unknown-part")
    assert " of msg_a, which no part.added introduced" in diagnostic.message, diagnostic.message


def test_a_failed_response_is_named_with_its_errors_code_and_message_not_its_repr() -> None:
    error = {"code": "server_error", "message": "the model is overloaded", "param": None}
    stream = ResponsesStream().start()
    stream.add("response.failed", response=response_object("failed", [], error=error))
    diagnostic = only(folded(sse(stream.events)), "response-failed")
    assert diagnostic.message.endswith("failed: 'server_error' 'the model is overloaded'"), diagnostic.message
    without = ResponsesStream().start()
    without.add("response.failed", response=response_object("failed", []))
    assert only(folded(sse(without.events)), "response-failed").message.endswith("failed: error None")
