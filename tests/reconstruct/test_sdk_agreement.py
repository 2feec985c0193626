"""The reconstruction agrees with the official openai SDK's accumulator, except where the SDK is wrong.

Each known SDK defect has its own test below that shows both results and says why the harness
follows the API instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from harness import parse_sse, reconstruct
from harness.reconstruct import Transcript
from tests.support.installed_sdk import OPENAI_MAJOR

from .builder import StreamBuilder, message_object, step_object
from .corpus import CONVERSATIONS, CORPUS_FILES, corpus_body
from .scenarios import SCENARIOS
from .sdk_driver import SdkResult, run_sdk

# Fields of a run step that only its terminal snapshot sets: the SDK never applies that snapshot.
STEP_FIELDS_SET_AT_THE_END = {
    "status",
    "completed_at",
    "failed_at",
    "cancelled_at",
    "expired_at",
    "last_error",
    "usage",
}


def without_index(value: Any) -> Any:
    """The SDK keeps each delta's positional ``index`` in its snapshots; the API's objects have none."""
    if isinstance(value, dict):
        return {key: without_index(item) for key, item in value.items() if key != "index"}
    if isinstance(value, list):
        return [without_index(item) for item in value]
    return value


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for position, item in enumerate(value):
            yield from leaves(item, (*path, position))
    else:
        yield path, value


def value_at(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def reconstruct_bodies(bodies: list[bytes]) -> Transcript:
    return reconstruct([parse_sse(body) for body in bodies])


def assert_agrees(transcript: Transcript, sdk: SdkResult) -> None:
    assert transcript.final_run == sdk.runs[-1]

    ours = {message["id"]: message for message in transcript.messages}
    assert set(ours) == set(sdk.messages)
    for message_id, message in sdk.messages.items():
        assert ours[message_id] == without_index(message), message_id

    our_steps = {step["id"]: step for step in transcript.run_steps}
    assert set(sdk.steps) <= set(our_steps)
    for step_id, step in sdk.steps.items():
        for path, value in leaves(without_index(step)):
            if path[0] in STEP_FIELDS_SET_AT_THE_END or value is None or value == []:
                # the SDK's value predates the terminal snapshot (see test_sdk_ignores_step_completion)
                continue
            assert value_at(our_steps[step_id], path) == value, (step_id, path)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name[:3])
def test_every_corpus_stream_agrees_with_the_sdk(path: Any) -> None:
    body = path.read_bytes()
    assert_agrees(reconstruct_bodies([body]), run_sdk([body]))


@pytest.mark.parametrize("names", CONVERSATIONS.values(), ids=list(CONVERSATIONS))
def test_corpus_tool_conversations_agree_with_the_sdk(names: tuple[str, str]) -> None:
    bodies = [corpus_body(name) for name in names]
    assert_agrees(reconstruct_bodies(bodies), run_sdk(bodies))


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_synthetic_scenarios_agree_with_the_sdk(scenario: str) -> None:
    bodies = SCENARIOS[scenario]()
    assert_agrees(reconstruct_bodies(bodies), run_sdk(bodies))


def test_multibyte_text_split_across_network_chunks_agrees_with_the_sdk() -> None:
    bodies = SCENARIOS["multibyte_text"]()
    sdk = run_sdk(bodies, chunk_size=3)
    transcript = reconstruct_bodies(bodies)
    assert_agrees(transcript, sdk)
    assert (
        transcript.messages[0]["content"][0]["text"]["value"]
        == "Grüße 😀 日本語のテキスト 👍🏽 Ωμέγα\u00e9\u0301"
    )


def test_duplicate_indexes_in_one_delta_agree_with_the_sdk() -> None:
    """openai 3.x merges every fragment of an index that one delta names twice. openai 1.x and 2.x
    copy the first delta's list as it is (its second fragment becomes a tool call of its own) and
    join later fragments to the first call, which ends ``{"a"}``: there the harness follows the API's
    stream, one call with ``{"a":1}``, and agrees with the SDK on every other field."""
    builder = StreamBuilder().run_start()
    builder.step("created", "step_dup", "in_progress", {"type": "tool_calls", "tool_calls": []})
    builder.step_delta(
        "step_dup",
        [
            {
                "index": 0,
                "id": "call_dup",
                "type": "function",
                "function": {"name": "f", "arguments": '{"a"'},
            },
            {"index": 0, "type": "function", "function": {"arguments": ":1"}},
        ],
    )
    builder.step_delta(
        "step_dup",
        [
            {"index": 0, "type": "function", "function": {"arguments": "}"}},
            {"index": 0, "type": "function", "function": {"arguments": ""}},
        ],
    )
    bodies = [builder.run("requires_action", "requires_action").done().body()]
    transcript = reconstruct_bodies(bodies)
    ours = transcript.run_steps[0]["step_details"]
    assert [call["function"]["arguments"] for call in ours["tool_calls"]] == ['{"a":1}']
    sdk = run_sdk(bodies)
    if OPENAI_MAJOR < 3:
        theirs = sdk.steps["step_dup"]["step_details"]
        assert [call["function"]["arguments"] for call in theirs["tool_calls"]] == ['{"a"}', ":1"]
        theirs["tool_calls"] = ours["tool_calls"]
    assert_agrees(transcript, sdk)


def test_events_after_done_are_ignored_by_both() -> None:
    builder = StreamBuilder().run_start()
    builder.text_message("msg_done", ["Hi"])
    builder.run("completed", "completed").done().run("failed", "failed")
    transcript = reconstruct_bodies([builder.body()])
    assert_agrees(transcript, run_sdk([builder.body()]))
    assert transcript.final_run is not None and transcript.final_run["status"] == "completed"
    assert "event-after-done" in transcript.diagnostic_codes()


# ---- where the SDK is wrong ----------------------------------------------------------------------


def test_sdk_ignores_step_completion() -> None:
    # openai-python stores a step at thread.run.step.created and folds deltas into it, but never
    # applies thread.run.step.completed: its final steps stay "in_progress", without usage, without
    # the submitted function output and without the file_search results that only the completed
    # snapshot carries. The API's final state is the completed snapshot, so the harness uses it.
    body = corpus_body("014-openai-dotnet-file-search-citation-oct2025.sse")
    sdk_step = run_sdk([body]).steps["step_0c79ag3Oq7RXIuR5v9VJ8c5I"]
    our_step = reconstruct_bodies([body]).run_steps[0]
    assert sdk_step["status"] == "in_progress" and sdk_step["usage"] is None
    assert sdk_step["step_details"]["tool_calls"][0]["file_search"]["results"] == []
    assert our_step["status"] == "completed" and our_step["usage"]["total_tokens"] == 850
    assert (
        our_step["step_details"]["tool_calls"][0]["file_search"]["results"][0]["file_name"]
        == "favorite_foods.txt"
    )


def test_sdk_loses_the_function_output_of_a_submitted_step() -> None:
    # In a submit_tool_outputs stream the function step only appears as thread.run.step.completed
    # (it was created in the previous stream), which the SDK does not store at all.
    bodies = [corpus_body(name) for name in CONVERSATIONS["010+011"]]
    sdk = run_sdk(bodies)
    transcript = reconstruct_bodies(bodies)
    call = transcript.run_steps[0]["step_details"]["tool_calls"][0]
    assert call["function"] == {"name": "get_current_weather", "arguments": "{}", "output": "warm and sunny"}
    assert (
        sdk.steps["step_9c9pSsTIsCYc1KeHEI6Ba34s"]["step_details"]["tool_calls"][0]["function"]["output"]
        is None
    )


def _two_message_stream() -> bytes:
    builder = StreamBuilder().run_start()
    for message_id in ("msg_a", "msg_b"):
        builder.add("thread.message.created", message_object(message_id, "in_progress", []))
    builder.message_delta("msg_a", [{"index": 0, "type": "text", "text": {"value": "A1", "annotations": []}}])
    builder.message_delta("msg_b", [{"index": 0, "type": "text", "text": {"value": "B1", "annotations": []}}])
    builder.message_delta("msg_a", [{"index": 0, "type": "text", "text": {"value": "A2"}}])
    return builder.run("failed", "failed").done().body()


def test_sdk_folds_interleaved_message_deltas_into_the_wrong_message() -> None:
    # The SDK applies every thread.message.delta to the most recently created message, ignoring the
    # delta's `id`. Deltas name their message; the harness accumulates by id.
    body = _two_message_stream()
    sdk = run_sdk([body])
    transcript = reconstruct_bodies([body])
    assert sdk.messages["msg_b"]["content"][0]["text"]["value"] == "A1B1A2"
    assert sdk.messages["msg_a"]["content"] == []
    assert [m["content"][0]["text"]["value"] for m in transcript.messages] == ["A1A2", "B1"]


def test_sdk_adds_up_repeated_numeric_fields() -> None:
    # A delta that repeats an annotation's start_index/end_index makes the SDK sum them (its generic
    # merge adds numbers). Positions are values, not increments: the harness keeps the latest one.
    annotation = {
        "index": 0,
        "type": "file_citation",
        "text": "[1]",
        "start_index": 1,
        "end_index": 4,
        "file_citation": {"file_id": "file-test1"},
    }
    builder = StreamBuilder().run_start()
    builder.add("thread.message.created", message_object("msg_a", "in_progress", []))
    builder.message_delta(
        "msg_a", [{"index": 0, "type": "text", "text": {"value": "x[1]", "annotations": [annotation]}}]
    )
    builder.message_delta(
        "msg_a",
        [
            {
                "index": 0,
                "type": "text",
                "text": {
                    "value": "",
                    "annotations": [{"index": 0, "type": "file_citation", "start_index": 1, "end_index": 4}],
                },
            }
        ],
    )
    body = builder.run("failed", "failed").done().body()
    sdk_annotation = run_sdk([body]).messages["msg_a"]["content"][0]["text"]["annotations"][0]
    our_annotation = reconstruct_bodies([body]).messages[0]["content"][0]["text"]["annotations"][0]
    assert (sdk_annotation["start_index"], sdk_annotation["end_index"]) == (2, 8)
    assert (our_annotation["start_index"], our_annotation["end_index"]) == (1, 4)


def test_sdk_crashes_on_tool_call_indexes_out_of_order() -> None:
    # Parallel tool calls are placed by `index`. When index 1 arrives before index 0 the SDK inserts
    # it at list position 0 and then fails with IndexError; the harness keeps both, in index order.
    builder = StreamBuilder().run_start()
    builder.step("created", "step_calls", "in_progress", {"type": "tool_calls", "tool_calls": []})
    for index, name in ((1, "second"), (0, "first")):
        builder.step_delta(
            "step_calls",
            [
                {
                    "index": index,
                    "id": f"call_{name}",
                    "type": "function",
                    "function": {"name": name, "arguments": "{}", "output": None},
                }
            ],
        )
    body = builder.run("requires_action", "requires_action").done().body()
    sdk = run_sdk([body])
    transcript = reconstruct_bodies([body])
    assert any(isinstance(error, IndexError) for error in sdk.errors)
    calls = transcript.run_steps[0]["step_details"]["tool_calls"]
    assert [call["function"]["name"] for call in calls] == ["first", "second"]
    assert transcript.diagnostics == []


def test_sdk_stops_at_an_error_event_while_the_harness_reports_it_and_goes_on() -> None:
    # The SDK raises APIError at `event: error`, so a caller loses whatever follows. The harness
    # records a diagnostic and keeps folding, so a bug report shows the whole stream.
    bodies = SCENARIOS["error_mid_stream"]()
    sdk = run_sdk(bodies)
    transcript = reconstruct_bodies(bodies)
    assert any(isinstance(error, openai.APIError) for error in sdk.errors)
    assert "error-event" in transcript.diagnostic_codes()
    assert transcript.messages[0]["content"][0]["text"]["value"] == "Partial answer"


def test_step_object_helper_matches_corpus_shape() -> None:
    # The synthetic builders must not drift from the real shapes they imitate.
    real = json.loads(
        corpus_body("010-openai-dotnet-function-requires-action-oct2025.sse")
        .split(b"event: thread.run.step.created\ndata: ")[1]
        .split(b"\n")[0]
    )
    assert set(step_object("step_x", "in_progress", {"type": "tool_calls", "tool_calls": []})) == set(real)
