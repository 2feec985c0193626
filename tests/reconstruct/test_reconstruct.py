"""What ``harness.reconstruct`` gives a user: final states, and diagnostics that point at the break."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness import parse_sse, reconstruct
from harness.diagnostics import Diagnostic
from harness.reconstruct import codes
from harness.sse import ServerSentEvent

from .builder import StreamBuilder, message_object
from .corpus import CONVERSATIONS, CORPUS_FILES, corpus_body
from .scenarios import SCENARIOS


def events_of(body: bytes) -> list[ServerSentEvent]:
    return parse_sse(body)


def only(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    matching = [diagnostic for diagnostic in diagnostics if diagnostic.code == code]
    assert len(matching) == 1, diagnostics
    return matching[0]


def test_real_corpus_reconstructs_without_diagnostics_except_the_known_status_mismatch() -> None:
    for path in CORPUS_FILES:
        transcript = reconstruct(events_of(path.read_bytes()))
        expected = ["status-mismatch"] if path.name.startswith("002") else []
        assert transcript.diagnostic_codes() == expected, path.name


def test_event_named_completed_with_incomplete_status_keeps_the_data() -> None:
    transcript = reconstruct(events_of(corpus_body("002-ruby-openai-v2-run-incomplete-max-tokens.sse")))
    assert transcript.final_run is not None and transcript.final_run["status"] == "incomplete"
    diagnostic = only(transcript.diagnostics, codes.STATUS_MISMATCH)
    assert (diagnostic.stream, diagnostic.event) == (0, 24)
    assert "thread.run.completed" in diagnostic.message and "'incomplete'" in diagnostic.message


def test_text_deltas_accumulate_into_the_message() -> None:
    transcript = reconstruct(events_of(corpus_body("009-openai-dotnet-plain-text-run-sep2025.sse")))
    body = corpus_body("009-openai-dotnet-plain-text-run-sep2025.sse").decode()
    fragments = [
        json.loads(line[6:])["delta"]["content"][0]["text"]["value"]
        for line in body.splitlines()
        if '"thread.message.delta"' in line
    ]
    assert transcript.messages[0]["content"][0]["text"]["value"] == "".join(fragments)
    assert transcript.messages[0]["status"] == "completed"


def test_a_message_without_terminal_snapshot_is_the_sum_of_its_deltas() -> None:
    transcript = reconstruct(events_of(SCENARIOS["cancelled"]()[0]))
    assert transcript.messages[0]["content"] == [
        {"type": "text", "text": {"value": "Counting: one, two", "annotations": []}}
    ]
    assert transcript.messages[0]["status"] == "in_progress"
    assert transcript.final_run is not None and transcript.final_run["status"] == "cancelled"


def test_annotations_accumulate_by_their_own_index_without_the_index_key() -> None:
    builder = StreamBuilder().run_start()
    builder.add("thread.message.created", message_object("msg_a", "in_progress", []))
    builder.message_delta(
        "msg_a", [{"index": 0, "type": "text", "text": {"value": "see", "annotations": []}}]
    )
    builder.message_delta(
        "msg_a",
        [
            {
                "index": 0,
                "type": "text",
                "text": {
                    "value": " [2]",
                    "annotations": [
                        {"index": 1, "type": "file_path", "text": "[2]", "file_path": {"file_id": "file-b"}}
                    ],
                },
            }
        ],
    )
    builder.message_delta(
        "msg_a",
        [
            {
                "index": 0,
                "type": "text",
                "text": {
                    "value": " [1]",
                    "annotations": [
                        {
                            "index": 0,
                            "type": "file_citation",
                            "text": "[1]",
                            "file_citation": {"file_id": "file-a"},
                        }
                    ],
                },
            }
        ],
    )
    transcript = reconstruct(builder.run("failed", "failed").done().events)
    text = transcript.messages[0]["content"][0]["text"]
    assert text["value"] == "see [2] [1]"
    assert [a["text"] for a in text["annotations"]] == ["[1]", "[2]"]
    assert all("index" not in a for a in text["annotations"])


def test_parallel_tool_call_arguments_are_kept_apart() -> None:
    first, _ = SCENARIOS["parallel_tool_calls"]()
    transcript = reconstruct(events_of(first))
    calls = transcript.run_steps[0]["step_details"]["tool_calls"]
    assert [(c["id"], c["function"]["arguments"]) for c in calls] == [
        ("call_test1", '{"city":"Paris"}'),
        ("call_test2", '{"zone":"Europe/Paris"}'),
    ]
    assert transcript.final_run is not None and transcript.final_run["status"] == "requires_action"
    assert transcript.diagnostics == []


def test_a_tool_conversation_spans_streams_and_ends_completed() -> None:
    transcript = reconstruct([events_of(body) for body in SCENARIOS["function_call"]()])
    assert transcript.stream_count == 2
    assert transcript.final_run is not None and transcript.final_run["status"] == "completed"
    assert len(transcript.runs) == 1
    call = transcript.run_steps[0]["step_details"]["tool_calls"][0]
    assert call["function"] == {
        "name": "get_weather",
        "arguments": '{"location":"Lima, Peru"}',
        "output": "warm and sunny",
    }
    assert [record.stream for record in transcript.events].count(1) == len(
        events_of(SCENARIOS["function_call"]()[1])
    )
    assert transcript.diagnostics == []


def test_code_interpreter_logs_concatenate_and_images_are_kept() -> None:
    events = events_of(SCENARIOS["code_interpreter"]()[0])
    cut = next(i for i, e in enumerate(events) if e.event == "thread.run.step.completed")
    transcript = reconstruct(events[:cut])  # before the completed snapshot: deltas only
    interpreter = transcript.run_steps[0]["step_details"]["tool_calls"][0]["code_interpreter"]
    assert interpreter["input"] == "import math\nprint(math.sqrt(2))\nplot()"
    assert interpreter["outputs"] == [
        {"type": "logs", "logs": "1.4142135623\n"},
        {"type": "image", "image": {"file_id": "file-test-image"}},
    ]


def test_the_terminal_snapshot_replaces_accumulated_state() -> None:
    transcript = reconstruct(events_of(SCENARIOS["file_search"]()[0]))
    search = transcript.run_steps[0]["step_details"]["tool_calls"][0]["file_search"]
    assert search["results"][0]["content"][0]["text"] == "Filip likes cake."
    assert search["ranking_options"]["hybrid_search"] is None
    assert transcript.diagnostics == []


def test_deltas_that_disagree_with_the_completed_snapshot_are_reported() -> None:
    builder = StreamBuilder().run_start()
    builder.add("thread.message.created", message_object("msg_a", "in_progress", []))
    builder.message_delta("msg_a", [{"index": 0, "type": "text", "text": {"value": "Hello wor"}}])
    builder.add(
        "thread.message.completed",
        message_object(
            "msg_a", "completed", [{"type": "text", "text": {"value": "Hello world", "annotations": []}}]
        ),
    )
    transcript = reconstruct(builder.run("completed", "completed").done().events)
    diagnostic = only(transcript.diagnostics, codes.DELTA_SNAPSHOT_MISMATCH)
    assert diagnostic.event == 5 and diagnostic.stream == 0
    assert "content[0].text.value" in diagnostic.message and "'Hello wor'" in diagnostic.message
    assert transcript.messages[0]["content"][0]["text"]["value"] == "Hello world"


def test_a_delta_for_an_unknown_message_is_reported_and_kept() -> None:
    builder = StreamBuilder().run_start()
    builder.message_delta("msg_ghost", [{"index": 0, "type": "text", "text": {"value": "boo"}}])
    transcript = reconstruct(builder.run("completed", "completed").done().events)
    diagnostic = only(transcript.diagnostics, codes.DELTA_UNKNOWN_OBJECT)
    assert diagnostic.event == 3 and "msg_ghost" in diagnostic.message
    assert transcript.messages[0]["content"][0]["text"]["value"] == "boo"


def test_a_delta_after_the_terminal_snapshot_is_ignored() -> None:
    builder = StreamBuilder().run_start()
    builder.text_message("msg_a", ["Hi"])
    builder.message_delta("msg_a", [{"index": 0, "type": "text", "text": {"value": " again"}}])
    transcript = reconstruct(builder.run("completed", "completed").done().events)
    assert only(transcript.diagnostics, codes.DELTA_AFTER_TERMINAL)
    assert transcript.messages[0]["content"][0]["text"]["value"] == "Hi"


@pytest.mark.parametrize(
    ("statuses", "backwards"),
    [
        (["queued", "in_progress", "queued"], True),
        (["queued", "in_progress", "completed", "in_progress"], True),
        (["queued", "in_progress", "requires_action", "in_progress"], True),  # same stream: no submission
        (["queued", "in_progress", "requires_action", "cancelling", "cancelled"], False),
        (["queued", "in_progress", "in_progress", "completed"], False),
    ],
)
def test_run_status_going_backwards_within_a_stream(statuses: list[str], backwards: bool) -> None:
    builder = StreamBuilder()
    for status in statuses:
        builder.run(status if status != "queued" else "queued", status)
    transcript = reconstruct(builder.done().events)
    assert (codes.RUN_STATUS_BACKWARDS in transcript.diagnostic_codes()) == backwards


def test_queued_again_after_requires_action_is_legitimate_in_the_next_stream() -> None:
    bodies = [corpus_body(name) for name in CONVERSATIONS["010+011"]]
    assert reconstruct([events_of(body) for body in bodies]).diagnostics == []
    # ...but a completed run does not come back in a later stream
    completed = corpus_body("009-openai-dotnet-plain-text-run-sep2025.sse")
    again = reconstruct([events_of(completed), events_of(completed)])
    assert codes.RUN_STATUS_BACKWARDS in again.diagnostic_codes()


def test_a_stream_cut_short_is_reported() -> None:
    events = events_of(corpus_body("021-simple-openai-v2-thread-and-run.sse"))[:50]
    transcript = reconstruct(events)
    assert only(transcript.diagnostics, codes.MISSING_DONE).event == 49
    assert "in_progress" in only(transcript.diagnostics, codes.RUN_NOT_FINISHED).message


def test_error_event_invalid_json_and_unknown_events_are_reported_with_their_place() -> None:
    builder = StreamBuilder().run_start()
    builder.add("thread.run.step.delta", "{not json")
    builder.add("thread.run.teleported", {"id": "run_test"})
    builder.add("error", {"error": {"message": "boom", "type": "server_error", "code": "server_error"}})
    transcript = reconstruct(builder.events)
    assert only(transcript.diagnostics, codes.INVALID_JSON).event == 3
    assert only(transcript.diagnostics, codes.UNKNOWN_EVENT).event == 4
    error = only(transcript.diagnostics, codes.ERROR_EVENT)
    assert error.event == 5 and "boom" in error.message
    assert transcript.event_names[3:] == ["thread.run.step.delta", "thread.run.teleported", "error"]


def test_malformed_done_and_empty_stream() -> None:
    transcript = reconstruct([[ServerSentEvent("done", "done")], []])
    assert transcript.diagnostic_codes() == [codes.MALFORMED_DONE, codes.EMPTY_STREAM]
    assert transcript.diagnostics[1].stream == 1


def test_invalid_delta_pieces_are_skipped_and_named() -> None:
    builder = StreamBuilder().run_start()
    builder.add("thread.message.created", message_object("msg_a", "in_progress", []))
    builder.message_delta(
        "msg_a",
        [
            {"index": 0, "type": "text", "text": {"value": "ok"}},
            {"index": "1", "type": "text", "text": {"value": "bad"}},
        ],
    )
    transcript = reconstruct(builder.run("failed", "failed").done().events)
    diagnostic = only(transcript.diagnostics, codes.INVALID_DELTA)
    assert "index" in diagnostic.message and diagnostic.event == 4
    assert transcript.messages[0]["content"] == [{"type": "text", "text": {"value": "ok"}}]


def test_to_dict_has_the_inspect_json_shape() -> None:
    bodies = SCENARIOS["function_call"]()
    data: dict[str, Any] = reconstruct([events_of(body) for body in bodies]).to_dict()
    assert list(data) == ["events", "final_run", "runs", "run_steps", "messages", "diagnostics"]
    assert data["events"][0] == "thread.run.created" and data["events"].count("done") == 2
    assert data["final_run"]["status"] == "completed"
    assert json.loads(json.dumps(data)) == data


def test_an_iterator_of_events_is_accepted() -> None:
    body = corpus_body("001-ruby-openai-v1-run-incomplete-max-tokens.sse")
    assert reconstruct(iter(events_of(body))).to_dict() == reconstruct(events_of(body)).to_dict()


def test_typed_accessors_give_models_that_round_trip_the_dicts() -> None:
    body = corpus_body("017-simple-openai-v1-thread-and-run-code-interpreter.sse")
    transcript = reconstruct(events_of(body))
    final_run = transcript.final_run_model()
    assert final_run is not None and final_run.status == "completed"
    assert [step.id for step in transcript.run_step_models()] == [s["id"] for s in transcript.run_steps]
    messages = transcript.message_models()
    assert [m.to_dict() for m in messages] == transcript.messages
    assert transcript.thread_models()[0].id == transcript.threads[0]["id"]


def test_unknown_fields_and_types_in_final_objects_are_kept_and_reported() -> None:
    body = corpus_body("009-openai-dotnet-plain-text-run-sep2025.sse").decode()
    body = body.replace('"parallel_tool_calls":true}', '"parallel_tool_calls":true,"future_field":{"x":1}}')
    head, _, tail = body.rpartition('{"type":"text","text":')  # the completed message's content part
    body = head + '{"type":"hologram","hologram":{"depth":3},"text":' + tail
    transcript = reconstruct(parse_sse(body.encode()))
    assert transcript.final_run is not None and transcript.final_run["future_field"] == {"x": 1}
    codes = [(d.code, d.path) for d in transcript.diagnostics]
    assert ("unknown-field", "future_field") in codes
    assert any(code == "unknown-type" for code, _ in codes)


def test_a_rule_broken_a_million_times_is_listed_a_thousand_times_then_counted() -> None:
    transcript = reconstruct(parse_sse(b"event: thread.unknown\ndata: {}\n\n" * 1_000_000))
    unknown = [d for d in transcript.diagnostics if d.code == codes.UNKNOWN_EVENT]
    assert len(unknown) == 1001
    assert unknown[-1].message == "999,000 more unknown-event diagnostics not listed"
    assert len(transcript.event_names) == 1_000_000


def test_a_mismatch_deep_in_a_long_text_shows_where_it_differs_on_both_sides() -> None:
    text = "All work and no play makes Jack a dull boy. " * 20
    builder = StreamBuilder().run_start()
    builder.add("thread.message.created", message_object("msg_a", "in_progress", []))
    builder.message_delta("msg_a", [{"index": 0, "type": "text", "text": {"value": text + "Jill"}}])
    builder.add(
        "thread.message.completed",
        message_object(
            "msg_a", "completed", [{"type": "text", "text": {"value": text + "Jack", "annotations": []}}]
        ),
    )
    message = only(
        reconstruct(builder.run("completed", "completed").done().events).diagnostics,
        codes.DELTA_SNAPSHOT_MISMATCH,
    ).message
    assert f"first difference at character {len(text) + 1}" in message
    assert "dull boy. Jill'" in message and "dull boy. Jack'" in message
    assert f"({len(text) + 4} chars)" in message
