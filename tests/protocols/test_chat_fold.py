"""Folding Chat Completions streams: the final ChatCompletion, and each protocol break named by event."""

from __future__ import annotations

from harness.diagnostics import Diagnostic
from harness.protocols.chat_fold import ChatTranscript, fold_chat
from harness.sse import parse_sse

from .builders import USAGE, chat_scenario, chat_sse, choice, chunk


def fold(*bodies: bytes) -> ChatTranscript:
    return fold_chat([parse_sse(body) for body in bodies])


def only(transcript: ChatTranscript, code: str) -> Diagnostic:
    found = [diagnostic for diagnostic in transcript.diagnostics if diagnostic.code == code]
    assert len(found) == 1, transcript.diagnostics
    return found[0]


def test_parallel_tool_calls_join_their_arguments_by_index() -> None:
    transcript = fold(chat_scenario("parallel-tool-calls"))
    assert transcript.diagnostics == []
    final = transcript.final_completion
    assert final is not None
    message = final["choices"][0]["message"]
    assert [
        (call["id"], call["function"]["name"], call["function"]["arguments"])
        for call in message["tool_calls"]
    ] == [
        ("call_a", "get_weather", '{"city":"Paris"}'),
        ("call_b", "get_time", '{"tz":"CET"}'),
    ]
    assert final["choices"][0]["finish_reason"] == "tool_calls"
    assert final["usage"] == USAGE
    assert final["object"] == "chat.completion"
    assert "obfuscation" not in final


def test_refusal_logprobs_and_several_choices() -> None:
    refusal = fold(chat_scenario("refusal")).final_completion
    assert refusal is not None
    assert refusal["choices"][0]["message"]["refusal"] == "I can't help with that."
    logprobs = fold(chat_scenario("logprobs")).final_completion
    assert logprobs is not None
    assert [entry["token"] for entry in logprobs["choices"][0]["logprobs"]["content"]] == ["Hi", "!"]
    two = fold(chat_scenario("n-2")).final_completion
    assert two is not None
    assert [c["message"]["content"] for c in two["choices"]] == ["Yes", "Nope"]


def test_a_tool_call_delta_without_an_index_is_named_and_skipped() -> None:
    body = chat_sse([chunk([choice(0, {"tool_calls": [{"function": {"arguments": "{}"}}]})])])
    transcript = fold(body)
    assert only(transcript, "tool-call-without-index").event == 0
    assert transcript.final_completion is not None
    assert "tool_calls" not in transcript.final_completion["choices"][0]["message"]


def test_a_duplicate_tool_call_index_in_one_chunk_is_named_and_joined_in_order() -> None:
    calls = [
        {"index": 0, "id": "call_a", "function": {"name": "f", "arguments": '{"a"'}},
        {"index": 0, "function": {"arguments": ":1}"}},
    ]
    transcript = fold(chat_sse([chunk([choice(0, {"tool_calls": calls})])]))
    assert only(transcript, "tool-call-duplicate-index").event == 0
    assert transcript.final_completion is not None
    assert (
        transcript.final_completion["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
        == '{"a":1}'
    )


def test_a_choice_index_out_of_order_is_named() -> None:
    body = chat_sse([chunk([choice(0, {"content": "a"})]), chunk([choice(2, {"content": "c"})])])
    diagnostic = only(fold(body), "choice-index-out-of-order")
    assert diagnostic.event == 1
    assert "choice 2 appeared before choice 1" in diagnostic.message


def test_missing_done_events_after_done_and_error_payloads() -> None:
    cut = fold(chat_sse([chunk([choice(0, {"content": "a"})])], done=False))
    assert only(cut, "missing-done").event == 0
    late = fold(
        chat_sse([chunk([choice(0, {"content": "a"})])])
        + b'data: {"object":"chat.completion.chunk","id":"x","choices":[]}\n\n'
    )
    assert only(late, "event-after-done").event == 2
    error = fold(b'data: {"error":{"message":"Rate limit","code":"rate_limit_exceeded"}}\n\n')
    assert only(error, "error-event").event == 0
    assert error.event_names == ["error"]


def test_payloads_that_are_not_chunks_are_reported_and_skipped() -> None:
    # Azure's asynchronous content filter sends objects with an empty `object`; the SDKs skip them.
    body = b'data: {"object":"","choices":[]}\n\ndata: nope\n\n' + chat_sse(
        [chunk([choice(0, {"content": "a"})])]
    )
    transcript = fold(body)
    assert [d.code for d in transcript.diagnostics] == ["unexpected-payload", "invalid-json"]
    assert transcript.final_completion is not None
    assert transcript.final_completion["choices"][0]["message"]["content"] == "a"


def test_completions_of_several_streams_and_the_json_shape() -> None:
    first = chat_scenario("text")
    second = first.replace(b"chatcmpl-test", b"chatcmpl-next")
    transcript = fold(first, second)
    assert [completion["id"] for completion in transcript.completions] == ["chatcmpl-test", "chatcmpl-next"]
    shape = transcript.to_dict()
    assert list(shape) == ["protocol", "events", "completions", "final_completion", "diagnostics"]
    assert shape["protocol"] == "chat.completions"
    assert shape["events"][-1] == "[DONE]"
    assert shape["final_completion"]["id"] == "chatcmpl-next"


def test_an_empty_stream_is_reported() -> None:
    assert only(fold(b""), "empty-stream").event is None
