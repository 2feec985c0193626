"""Responses and Chat reconstruction agree with openai-python's accumulators, except where the SDK is wrong.

The SDK runs for real (its SSE decoder, event parsing, ``ResponseStreamState`` and
``ChatCompletionStreamState``) over the same bytes, in the same chunks. Each place where the harness
deliberately differs has its own test below that shows both results and says why.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai
import pytest

from harness.protocols.chat_fold import ChatTranscript, fold_chat
from harness.protocols.responses_fold import ResponsesTranscript, fold_responses
from harness.sse import parse_sse
from tests.reconstruct.test_sdk_agreement import leaves

from .builders import (
    CHAT_SCENARIOS,
    RESPONSES_SCENARIOS,
    chat_scenario,
    chat_sse,
    choice,
    chunk,
    responses_scenario,
    sse,
)
from .sdk_streams import SdkOutcome, sdk_completion, sdk_response

REAL = Path(__file__).resolve().parents[2] / "cassettes" / "real"
RESPONSES_FILES = sorted((REAL / "responses").glob("*.sse"))
CHAT_FILES = sorted((REAL / "chat").glob("*.sse"))
CHUNKINGS = [None, 1, 7, 64]

# Computed by the SDKs from the text (structured outputs, openai-node's joined `output_text`), or
# carried over from the last chunk (openai-node keeps its per-delta `obfuscation` padding): not part
# of the API's objects.
SDK_COMPUTED = {"parsed", "parsed_arguments", "output_text", "obfuscation"}


def api_leaves(value: Any) -> dict[tuple[Any, ...], Any]:
    """Every leaf of ``value`` but the SDK-only fields."""
    return {
        path: leaf
        for path, leaf in leaves(value)
        if not any(key in SDK_COMPUTED for key in path)
        # openai-python keeps each tool-call delta's positional `index` in its final message; the
        # API's ChatCompletionMessageToolCall has none (openai-node drops it too)
        and not (len(path) >= 3 and path[-3] == "tool_calls" and path[-1] == "index")
    }


def disagreements(sdk: dict[str, Any], ours: dict[str, Any]) -> list[tuple[tuple[Any, ...], Any, Any]]:
    """Leaves where the two differ; a value on one side and nothing (or null) on the other is no conflict."""
    theirs = api_leaves(sdk)
    mine = api_leaves(ours)
    found = []
    for path in theirs.keys() | mine.keys():
        left, right = theirs.get(path), mine.get(path)
        if left in (None, [], {}) and right in (None, [], {}):
            continue
        if left != right:
            found.append((path, left, right))
    return sorted(found, key=repr)


def chunks_of(body: bytes, size: int | None) -> list[bytes]:
    return [body] if not size else [body[i : i + size] for i in range(0, len(body), size)]


def ours_responses(body: bytes, size: int | None = None) -> ResponsesTranscript:
    return fold_responses([parse_sse(chunks_of(body, size))])


def ours_chat(body: bytes, size: int | None = None) -> ChatTranscript:
    return fold_chat([parse_sse(chunks_of(body, size))])


def without_terminal(body: bytes) -> bytes:
    """The stream cut just before its terminal event: what both sides accumulated from the deltas alone."""
    blocks = body.decode().split("\n\n")
    kept = [block for block in blocks if block and "event: response.completed" not in block]
    return ("\n\n".join(kept) + "\n\n").encode()


def accumulated_strings(response: dict[str, Any]) -> dict[tuple[Any, ...], str]:
    """The strings both accumulators build from deltas: message text and function-call arguments."""
    found: dict[tuple[Any, ...], str] = {}
    for position, item in enumerate(response.get("output") or []):
        if item.get("type") == "function_call":
            found[(position, item.get("id"), "arguments")] = item.get("arguments")
        for part_index, part in enumerate(item.get("content") or []):
            if item.get("type") == "message" and part.get("type") == "output_text":
                found[(position, item.get("id"), part_index, "text")] = part.get("text")
    return found


def assert_responses_agree(body: bytes, size: int | None) -> None:
    ours = ours_responses(body, size)
    sdk = sdk_response(body, chunk_size=size)
    if sdk.final is not None:
        assert ours.final_response is not None
        assert disagreements(sdk.final, ours.final_response) == []
    # and on what the deltas alone build, before the API's terminal object settles it
    cut = without_terminal(body)
    ours_cut = ours_responses(cut, size).final_response
    sdk_cut = sdk_response(cut, chunk_size=size)
    assert sdk_cut.snapshot is not None and ours_cut is not None
    assert accumulated_strings(ours_cut) == accumulated_strings(sdk_cut.snapshot)


@pytest.mark.parametrize("size", CHUNKINGS)
@pytest.mark.parametrize("path", RESPONSES_FILES, ids=lambda path: path.name[:3])
def test_real_responses_streams_agree_with_the_sdk(path: Path, size: int | None) -> None:
    body = path.read_bytes()
    if path.name.startswith("109"):
        pytest.skip("a resumed stream: see test_a_resumed_background_stream_is_folded_where_the_sdk_raises")
    assert_responses_agree(body, size)


@pytest.mark.parametrize(
    "scenario", [name for name in RESPONSES_SCENARIOS if name not in {"failed", "error"}]
)
def test_generated_responses_streams_agree_with_the_sdk_under_random_chunkings(scenario: str) -> None:
    body = responses_scenario(scenario)
    rng = random.Random(scenario)
    for size in [None, 1, *(rng.randint(2, 90) for _ in range(3))]:
        assert_responses_agree(body, size)


def assert_chat_agrees(body: bytes, size: int | None) -> None:
    ours = ours_chat(body, size).final_completion
    sdk = sdk_completion(body, chunk_size=size)
    assert ours is not None
    reference = sdk.final if sdk.final is not None else sdk.snapshot
    assert reference is not None
    assert disagreements(reference, ours) == []


@pytest.mark.parametrize("size", CHUNKINGS)
@pytest.mark.parametrize("path", CHAT_FILES, ids=lambda path: path.name[:3])
def test_real_chat_streams_agree_with_the_sdk(path: Path, size: int | None) -> None:
    assert_chat_agrees(path.read_bytes(), size)


@pytest.mark.parametrize("scenario", list(CHAT_SCENARIOS))
def test_generated_chat_streams_agree_with_the_sdk_under_random_chunkings(scenario: str) -> None:
    body = chat_scenario(scenario)
    rng = random.Random(scenario)
    for size in [None, 1, *(rng.randint(2, 90) for _ in range(3))]:
        assert_chat_agrees(body, size)


# -- where the harness deliberately differs --------------------------------------------------------


def test_incomplete_response_is_given_where_the_sdk_raises() -> None:
    # response.incomplete is a legitimate end (max_output_tokens); the SDK only finishes on
    # response.completed, so get_final_response() raises. The harness gives the API's own object.
    body = responses_scenario("incomplete")
    sdk = sdk_response(body)
    assert sdk.final is None
    assert "response.completed" in str(sdk.errors[0])
    final = ours_responses(body).final_response
    assert final is not None
    assert final["status"] == "incomplete"
    assert final["incomplete_details"] == {"reason": "max_output_tokens"}
    assert final["output"][0]["content"][0]["text"] == "Once upon a ti"


def test_failed_response_is_given_where_the_sdk_raises() -> None:
    body = responses_scenario("failed")
    sdk = sdk_response(body)
    assert sdk.final is None and sdk.errors
    transcript = ours_responses(body)
    assert transcript.final_response is not None
    assert transcript.final_response["status"] == "failed"
    assert transcript.final_response["error"] == {"code": "server_error", "message": "The model failed."}
    assert "response-failed" in transcript.diagnostic_codes()


def test_an_error_event_is_reported_and_the_partial_response_kept() -> None:
    # The `error` event ends the stream without a terminal response: the SDK raises; the harness
    # keeps what arrived and says so, naming the event.
    body = responses_scenario("error")
    assert sdk_response(body).errors
    transcript = ours_responses(body)
    assert transcript.final_response is not None
    assert transcript.final_response["output"][0]["content"][0]["text"] == "partial"
    (error,) = [d for d in transcript.diagnostics if d.code == "error-event"]
    assert error.event == len(transcript.event_names) - 1
    assert "missing-terminal" not in transcript.diagnostic_codes()


def test_a_resumed_background_stream_is_folded_where_the_sdk_raises() -> None:
    # GET /v1/responses/{id}?stream=true&starting_after=0 replays from sequence 1: response.queued,
    # no response.created. The SDK insists on response.created first; the stream is legitimate.
    body = (
        REAL / "responses" / "109-pydantic-ai-responses-background-resume-starting-after.sse"
    ).read_bytes()
    sdk = sdk_response(body)
    assert sdk.final is None
    assert "response.created" in str(sdk.errors[0])
    transcript = ours_responses(body)
    assert transcript.diagnostics == []
    assert transcript.final_response is not None
    assert transcript.final_response["status"] == "completed"
    assert transcript.final_response["output"][0]["content"][0]["text"] == "2 + 2 equals 4."


def test_annotations_refusals_and_summaries_are_accumulated_where_the_sdk_ignores_them() -> None:
    # The SDK's snapshot folds only output_text and function-call argument deltas: mid-stream it has
    # no annotations, refusal text or reasoning summary. The harness folds every delta family (the
    # terminal object agrees with it; test_generated_... checks that).
    probes: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
        ("web-search-citation", lambda r: r["output"][1]["content"][0]["annotations"][0]["type"]),
        ("refusal", lambda r: r["output"][0]["content"][0]["refusal"]),
        ("reasoning-summary", lambda r: r["output"][0]["summary"][0]["text"]),
    ]
    for scenario, probe in probes:
        body = without_terminal(responses_scenario(scenario))
        ours = ours_responses(body).final_response
        assert ours is not None
        expected = {
            "web-search-citation": "url_citation",
            "refusal": "I can't help with that.",
            "reasoning-summary": "Thinking about it.",
        }[scenario]
        assert probe(ours) == expected
        snapshot = sdk_response(body).snapshot
        assert snapshot is not None
        try:
            theirs = probe(snapshot)
        except (IndexError, KeyError, TypeError):
            theirs = None
        assert theirs != expected


def test_length_finish_reason_is_given_where_the_sdk_raises() -> None:
    # finish_reason "length" is an ordinary truncated answer, but get_final_completion() raises
    # LengthFinishReasonError even without structured output. The harness gives the completion.
    body = chat_scenario("length")
    sdk = sdk_completion(body)
    assert sdk.final is None
    assert isinstance(sdk.errors[0], openai.LengthFinishReasonError)
    final = ours_chat(body).final_completion
    assert final is not None
    assert final["choices"][0]["finish_reason"] == "length"
    assert final["choices"][0]["message"]["content"] == "Hello \U0001f30d"


def test_a_first_chunk_for_choice_one_is_kept_by_index_where_the_sdk_crashes() -> None:
    # With n=2 the first chunk may belong to choice 1; the SDK indexes its list of choices by the
    # chunk's index and raises IndexError. The harness keeps choices by index and reports the order.
    body = chat_sse(
        [
            chunk([choice(1, {"role": "assistant", "content": "B"})]),
            chunk([choice(0, {"role": "assistant", "content": "A"})]),
            chunk([choice(0, {}, "stop"), choice(1, {}, "stop")]),
        ]
    )
    sdk = sdk_completion(body)
    assert sdk.final is None
    assert isinstance(sdk.errors[0], IndexError)
    transcript = ours_chat(body)
    assert transcript.final_completion is not None
    assert [c["message"]["content"] for c in transcript.final_completion["choices"]] == ["A", "B"]
    (order,) = [d for d in transcript.diagnostics if d.code == "choice-index-out-of-order"]
    assert order.event == 0


def test_a_repeated_role_is_not_concatenated() -> None:
    # The SDK's accumulate_delta joins every string it sees twice, so a provider that repeats
    # role: "assistant" on each chunk yields role "assistantassistant". role is an enum, not a stream.
    body = chat_sse([chunk([choice(0, {"role": "assistant", "content": piece})]) for piece in ("a", "b")])
    sdk = sdk_completion(body)
    assert sdk.snapshot is not None
    assert sdk.snapshot["choices"][0]["message"]["role"] == "assistantassistant"
    final = ours_chat(body).final_completion
    assert final is not None
    assert final["choices"][0]["message"] == {"role": "assistant", "content": "ab", "refusal": None}


def test_sdk_and_harness_build_the_same_usage_from_the_usage_chunk() -> None:
    body = chat_scenario("text")
    final = ours_chat(body).final_completion
    sdk = sdk_completion(body)
    assert final is not None and sdk.final is not None
    assert final["usage"] == {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13}
    assert sdk.final["usage"]["total_tokens"] == 13


def test_sdk_outcome_has_no_errors_on_a_plain_stream() -> None:
    # guards the driver itself: a clean stream must not be read as an SDK failure
    outcome: SdkOutcome = sdk_response(sse([]) + responses_scenario("text"))
    assert outcome.errors == [] and outcome.final is not None
