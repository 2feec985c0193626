"""Folding Chat Completions streams through the protocol registry: every malformed chunk named at its
index, the final ``ChatCompletion`` built from what the stream sent, and the per-event columns."""

from __future__ import annotations

from typing import Any

from harness.protocols import by_name, fold
from harness.protocols.chat_fold import ChatTranscript
from harness.sse import parse_sse
from tests.guards.findings import codes_at, only
from tests.protocols.builders import chat_sse, choice, chunk


def folded(*bodies: bytes, views: bool = False) -> ChatTranscript:
    transcript = fold(by_name("chat.completions"), [parse_sse(body) for body in bodies], views=views)
    assert isinstance(transcript, ChatTranscript)
    return transcript


def final(*bodies: bytes) -> dict[str, Any]:
    completion = folded(*bodies).to_dict()["final_completion"]
    assert isinstance(completion, dict)
    return completion


def test_a_second_done_line_is_named() -> None:
    body = chat_sse([chunk([choice(0, {"content": "a"}, "stop")])]) + b"data: [DONE]\n\n"
    transcript = folded(body)
    assert codes_at(transcript) == [("event-after-done", 2)]
    assert transcript.diagnostics[0].message == "a second [DONE]"
    assert transcript.event_names == ["chat.completion.chunk", "[DONE]", "[DONE]"]


def test_each_stream_of_a_cassette_may_end_with_its_own_done_line() -> None:
    first = chat_sse([chunk([choice(0, {"content": "a"}, "stop")])])
    second = chat_sse([chunk([choice(0, {"content": "b"}, "stop")], id="chatcmpl-2")])
    transcript = folded(first, second)
    assert transcript.diagnostics == []
    assert [c["choices"][0]["message"]["content"] for c in transcript.completions] == ["a", "b"]
    assert transcript.stream_starts == [0, 2]


def test_an_error_line_shows_its_message_in_the_timeline_and_needs_no_done() -> None:
    body = chat_sse([chunk([choice(0, {"content": "partial"})])], done=False)
    body += b'data: {"error": {"message": "Rate limit reached", "code": "rate_limit_exceeded"}}\n\n'
    body += b'data: {"error": "overloaded"}\n\n'
    transcript = folded(body, views=True)
    assert transcript.event_names == ["chat.completion.chunk", "error", "error"]
    assert transcript.event_texts == ["partial", "Rate limit reached", "overloaded"]
    assert transcript.event_statuses == [None, None, None]
    assert codes_at(transcript) == [("error-event", 1), ("error-event", 2)]
    assert "'rate_limit_exceeded' 'Rate limit reached'" in transcript.diagnostics[0].message
    assert "None 'overloaded'" in transcript.diagnostics[1].message


def test_the_timeline_shows_each_chunks_text_finish_reason_and_choice() -> None:
    calls = [{"index": 0, "id": "call_1", "function": {"arguments": '{"a"'}}]
    chunks = [
        chunk([choice(0, {"role": "assistant", "content": "Hel"})]),
        chunk([choice(0, {"tool_calls": calls})]),
        chunk([choice(0, {}, "tool_calls")]),
        chunk([choice(0, {"content": "x"}), choice(1, {"content": "y"})]),
        chunk([], usage={"total_tokens": 1}),
    ]
    transcript = folded(chat_sse(chunks) + b"data: {oops\n\n", views=True)
    assert transcript.event_texts == ["Hel", '{"a"', None, "xy", None, None, None]
    assert transcript.event_statuses == [None, None, "tool_calls", None, None, None, None]
    assert transcript.event_object_ids == [
        "chatcmpl-test#0",
        "chatcmpl-test#0",
        "chatcmpl-test#0",
        "chatcmpl-test",
        "chatcmpl-test",
        None,
        None,
    ]
    assert len(transcript.event_data) == 7


def test_a_chunk_of_another_completion_mid_stream_is_named_and_kept_apart() -> None:
    body = chat_sse(
        [
            chunk([choice(0, {"content": "a"})]),
            chunk([choice(0, {"content": "b"})], id="chatcmpl-other"),
            chunk([choice(0, {}, "stop")], id="chatcmpl-other"),
        ]
    )
    transcript = folded(body)
    diagnostic = only(transcript, "completion-id-changed")
    assert diagnostic.event == 1
    assert "chatcmpl-other" in diagnostic.message and "chatcmpl-test" in diagnostic.message
    assert [c["id"] for c in transcript.completions] == ["chatcmpl-test", "chatcmpl-other"]
    assert transcript.to_dict()["final_completion"]["choices"][0]["message"]["content"] == "b"


def test_chunks_without_an_id_make_one_completion_per_stream() -> None:
    pieces = [chunk([choice(0, {"content": piece})], id=None) for piece in ("a", "b")]
    transcript = folded(chat_sse(pieces), chat_sse(pieces))
    assert transcript.diagnostics == []
    assert [c["choices"][0]["message"]["content"] for c in transcript.completions] == ["ab", "ab"]


def test_unknown_fields_of_chunks_and_choices_are_kept_when_not_null() -> None:
    body = chat_sse(
        [
            chunk(
                [{**choice(0, {"content": "a"}), "content_filter_results": {"hate": "safe"}}],
                prompt_filter=[1],
            ),
            chunk([{**choice(0, {}, "stop"), "content_filter_results": None, "seen": 1}], prompt_filter=None),
        ]
    )
    completion = final(body)
    assert completion["prompt_filter"] == [1]
    assert "obfuscation" not in completion
    assert completion["choices"][0]["content_filter_results"] == {"hate": "safe"}
    assert completion["choices"][0]["seen"] == 1


def test_choices_that_are_not_a_list_are_named_and_a_chunk_without_choices_is_not() -> None:
    body = chat_sse(
        [
            chunk([choice(0, {"content": "a"})]),
            chunk({"0": "x"}),  # type: ignore[arg-type]
            {k: v for k, v in chunk([]).items() if k != "choices"},
        ]
    )
    transcript = folded(body)
    diagnostic = only(transcript, "unexpected-payload")
    assert (diagnostic.event, diagnostic.message) == (1, "choices should be a list")
    assert transcript.to_dict()["final_completion"]["choices"][0]["message"]["content"] == "a"


def test_a_choice_without_a_valid_index_is_named_and_skipped() -> None:
    for bad in ({"delta": {"content": "x"}}, {"index": -1, "delta": {"content": "x"}}, "text"):
        body = chat_sse([chunk([choice(0, {"content": "a"})]), chunk([bad])])  # type: ignore[list-item]
        transcript = folded(body)
        diagnostic = only(transcript, "unexpected-payload")
        assert diagnostic.event == 1
        assert "a choice without a non-negative integer index" in diagnostic.message
        assert [c["message"]["content"] for c in transcript.to_dict()["final_completion"]["choices"]] == ["a"]


def test_the_role_and_tool_call_ids_are_set_once_and_names_and_arguments_are_joined() -> None:
    calls_1 = [
        {"index": 0, "id": "call_1", "type": "function", "function": {"name": "get_", "arguments": "{"}}
    ]
    calls_2 = [
        {"index": 0, "id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "}"}}
    ]
    body = chat_sse(
        [
            chunk([choice(0, {"role": "assistant", "content": None, "tool_calls": calls_1})]),
            chunk([choice(0, {"role": "assistant", "tool_calls": calls_2})]),
            chunk([choice(0, {"role": None}, "tool_calls")]),
        ]
    )
    message = final(body)["choices"][0]["message"]
    assert message["role"] == "assistant"
    assert message["content"] is None
    assert message["tool_calls"] == [
        {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}
    ]


def test_a_first_value_sent_as_null_is_taken_from_a_later_chunk() -> None:
    calls = [[{"index": 0, "id": None, "function": {"arguments": ""}}], [{"index": 0, "id": "call_9"}]]
    body = chat_sse([chunk([choice(0, {"tool_calls": part})]) for part in calls])
    assert final(body)["choices"][0]["message"]["tool_calls"][0]["id"] == "call_9"


def test_non_string_fields_of_a_delta_keep_their_last_value() -> None:
    body = chat_sse(
        [
            chunk([choice(0, {"audio": {"id": "a1"}, "weight": 1})]),
            chunk([choice(0, {"audio": {"id": "a2"}, "weight": None})]),
        ]
    )
    message = final(body)["choices"][0]["message"]
    assert (message["audio"], message["weight"]) == ({"id": "a2"}, 1)


def test_tool_calls_that_are_not_a_list_are_ignored() -> None:
    body = chat_sse([chunk([choice(0, {"content": "a", "tool_calls": {"index": 0}})])])
    transcript = folded(body)
    assert transcript.diagnostics == []
    assert "tool_calls" not in transcript.to_dict()["final_completion"]["choices"][0]["message"]


def test_logprobs_of_content_and_refusal_are_joined_and_a_null_list_is_skipped() -> None:
    body = chat_sse(
        [
            chunk([choice(0, {"content": "a"}, logprobs={"content": [{"token": "a"}], "refusal": None})]),
            chunk([choice(0, {"refusal": "b"}, logprobs={"content": None, "refusal": [{"token": "b"}]})]),
            chunk([choice(0, {}, "stop", logprobs="none")]),
        ]
    )
    logprobs = final(body)["choices"][0]["logprobs"]
    assert logprobs == {"content": [{"token": "a"}], "refusal": [{"token": "b"}]}


def test_the_usage_chunk_sets_the_usage_and_a_later_null_keeps_it() -> None:
    usage = {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}
    body = chat_sse([chunk([choice(0, {"content": "a"}, "stop")]), chunk([], usage=usage), chunk([])])
    completion = final(body)
    assert completion["usage"] == usage
    assert completion["choices"][0]["finish_reason"] == "stop"


def test_completion_fields_keep_the_last_value_that_is_not_null() -> None:
    body = chat_sse(
        [
            chunk([choice(0, {"content": "a"})], system_fingerprint="fp_1", service_tier=None),
            chunk([choice(0, {}, "stop")], system_fingerprint=None, model="gpt-later", service_tier=None),
        ]
    )
    completion = final(body)
    assert completion["system_fingerprint"] == "fp_1"
    assert completion["model"] == "gpt-later"
    assert completion["service_tier"] is None
    assert list(completion)[:6] == ["id", "object", "created", "model", "service_tier", "system_fingerprint"]


def test_a_choice_far_past_the_others_names_the_first_missing_one() -> None:
    # the first missing index is found in as many steps as there are choices, not `index` steps
    far = 10**7
    body = chat_sse([chunk([choice(0, {"content": "a"}), choice(far, {"content": "b"})])])
    transcript = folded(body)
    diagnostic = only(transcript, "choice-index-out-of-order")
    assert diagnostic.message == f"choice {far} appeared before choice 1 (kept by index)"
    assert [c["index"] for c in transcript.to_dict()["final_completion"]["choices"]] == [0, far]


def test_a_payload_that_is_not_a_chunk_is_one_event_and_never_applied() -> None:
    stranger = {"object": "chat.completion", "id": "chatcmpl-x", "choices": [choice(0, {"content": "no"})]}
    body = chat_sse([chunk([choice(0, {"content": "yes"})]), stranger, chunk([choice(0, {}, "stop")])])
    transcript = folded(body)
    assert transcript.event_names == ["chat.completion.chunk", "message", "chat.completion.chunk", "[DONE]"]
    assert codes_at(transcript) == [("unexpected-payload", 1)]
    assert [c["id"] for c in transcript.completions] == ["chatcmpl-test"]
    assert transcript.to_dict()["final_completion"]["choices"][0]["message"]["content"] == "yes"


def test_an_error_line_without_a_message_shows_nothing_rather_than_none() -> None:
    body = b'data: {"error": {"code": "server_error"}}\n\n'
    assert folded(body, views=True).event_texts == [""]
