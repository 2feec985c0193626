"""Synthetic conversations (each a list of stream bodies) covering what the real corpus lacks."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .builder import CREATED_AT, USAGE, StreamBuilder

FUNCTION_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather",
        "parameters": {"type": "object", "properties": {}},
        "strict": False,
    },
}


def _words(count: int) -> list[str]:
    return [f"word{n} " if n % 7 else f"Word{n}, " for n in range(count)]


def plain_text() -> list[bytes]:
    builder = StreamBuilder().run_start()
    builder.text_message("msg_plain", _words(400))
    return [builder.run("completed", "completed", completed_at=CREATED_AT + 9, usage=USAGE).done().body()]


def annotated_text() -> list[bytes]:
    citation = {
        "type": "file_citation",
        "text": "【4:0†notes.txt】",
        "start_index": 10,
        "end_index": 25,
        "file_citation": {"file_id": "file-test1"},
    }
    path = {
        "type": "file_path",
        "text": "sandbox:/mnt/data/out.csv",
        "start_index": 31,
        "end_index": 56,
        "file_path": {"file_id": "file-test2"},
    }
    fragments = ["The answer", "【4:0†notes.txt】", " is in", "sandbox:/mnt/data/out.csv", "."]
    builder = StreamBuilder().run_start()
    builder.text_message("msg_cited", fragments, annotations={1: citation, 3: path})
    return [builder.run("completed", "completed", completed_at=CREATED_AT + 9).done().body()]


def _function_step(builder: StreamBuilder, step_id: str, calls: list[tuple[str, str, list[str]]]) -> None:
    """Stream the argument fragments of several calls, interleaved call by call, as parallel calls arrive."""
    details: dict[str, Any] = {"type": "tool_calls", "tool_calls": []}
    builder.step("created", step_id, "in_progress", details).step(
        "in_progress", step_id, "in_progress", details
    )
    for index, (call_id, name, _) in enumerate(calls):
        builder.step_delta(
            step_id,
            [
                {
                    "index": index,
                    "id": call_id,
                    "type": "function",
                    "function": {"name": name, "arguments": "", "output": None},
                }
            ],
        )
    longest = max(len(fragments) for _, _, fragments in calls)
    for position in range(longest):
        for index, (_, _, fragments) in enumerate(calls):
            if position < len(fragments):
                builder.step_delta(
                    step_id,
                    [{"index": index, "type": "function", "function": {"arguments": fragments[position]}}],
                )


def _requires_action(calls: list[tuple[str, str, list[str]]]) -> dict[str, Any]:
    return {
        "type": "submit_tool_outputs",
        "submit_tool_outputs": {
            "tool_calls": [
                {
                    "id": call_id,
                    "type": "function",
                    "function": {"name": name, "arguments": "".join(fragments)},
                }
                for call_id, name, fragments in calls
            ]
        },
    }


def _tool_conversation(calls: list[tuple[str, str, list[str]]]) -> list[bytes]:
    first = StreamBuilder().run_start()
    _function_step(first, "step_calls", calls)
    first.run(
        "requires_action", "requires_action", required_action=_requires_action(calls), tools=[FUNCTION_TOOL]
    ).done()
    completed_calls = [
        {
            "id": call_id,
            "type": "function",
            "function": {"name": name, "arguments": "".join(fragments), "output": "warm and sunny"},
        }
        for call_id, name, fragments in calls
    ]
    second = StreamBuilder()
    second.step(
        "completed",
        "step_calls",
        "completed",
        {"type": "tool_calls", "tool_calls": completed_calls},
        completed_at=CREATED_AT + 4,
        usage=USAGE,
    )
    second.run_start(created=False)
    second.text_message("msg_after_tools", ["It is ", "warm ", "and sunny."])
    second.run(
        "completed", "completed", completed_at=CREATED_AT + 9, usage=USAGE, tools=[FUNCTION_TOOL]
    ).done()
    return [first.body(), second.body()]


def function_call() -> list[bytes]:
    arguments = ['{"', "location", '":"', "Lima", ", Peru", '"}']
    return _tool_conversation([("call_test1", "get_weather", arguments)])


def parallel_tool_calls() -> list[bytes]:
    return _tool_conversation(
        [
            ("call_test1", "get_weather", ['{"city":', '"Paris"', "}"]),
            ("call_test2", "get_time", ['{"zone":"', "Europe/", "Paris", '"}']),
        ]
    )


def code_interpreter() -> list[bytes]:
    code = ["import math\n", "print(", "math.sqrt(", "2))\n", "plot()"]
    builder = StreamBuilder().run_start()
    step_id = "step_code"
    builder.step("created", step_id, "in_progress", {"type": "tool_calls", "tool_calls": []})
    builder.step_delta(
        step_id,
        [
            {
                "index": 0,
                "id": "call_code1",
                "type": "code_interpreter",
                "code_interpreter": {"input": "", "outputs": []},
            }
        ],
    )
    for piece in code:
        builder.step_delta(
            step_id, [{"index": 0, "type": "code_interpreter", "code_interpreter": {"input": piece}}]
        )
    builder.step_delta(
        step_id,
        [
            {
                "index": 0,
                "type": "code_interpreter",
                "code_interpreter": {"outputs": [{"index": 0, "type": "logs", "logs": "1.4142"}]},
            }
        ],
    )
    builder.step_delta(
        step_id,
        [
            {
                "index": 0,
                "type": "code_interpreter",
                "code_interpreter": {"outputs": [{"index": 0, "type": "logs", "logs": "135623\n"}]},
            }
        ],
    )
    builder.step_delta(
        step_id,
        [
            {
                "index": 0,
                "type": "code_interpreter",
                "code_interpreter": {
                    "outputs": [{"index": 1, "type": "image", "image": {"file_id": "file-test-image"}}]
                },
            }
        ],
    )
    outputs = [
        {"type": "logs", "logs": "1.4142135623\n"},
        {"type": "image", "image": {"file_id": "file-test-image"}},
    ]
    builder.step(
        "completed",
        step_id,
        "completed",
        {
            "type": "tool_calls",
            "tool_calls": [
                {
                    "id": "call_code1",
                    "type": "code_interpreter",
                    "code_interpreter": {"input": "".join(code), "outputs": outputs},
                }
            ],
        },
        completed_at=CREATED_AT + 3,
    )
    builder.text_message("msg_code", ["The square root ", "of 2 is 1.414."])
    return [builder.run("completed", "completed", completed_at=CREATED_AT + 9).done().body()]


def file_search() -> list[bytes]:
    ranking = {"ranker": "default_2024_08_21", "score_threshold": 0.0}
    builder = StreamBuilder().run_start()
    builder.step("created", "step_search", "in_progress", {"type": "tool_calls", "tool_calls": []})
    builder.step_delta(
        "step_search",
        [
            {
                "index": 0,
                "id": "call_search1",
                "type": "file_search",
                "file_search": {"ranking_options": ranking, "results": []},
            }
        ],
    )
    results = [
        {
            "file_id": "file-test1",
            "file_name": "notes.txt",
            "score": 0.68,
            "attributes": {},
            "content": [{"type": "text", "text": "Filip likes cake."}],
        }
    ]
    builder.step(
        "completed",
        "step_search",
        "completed",
        {
            "type": "tool_calls",
            "tool_calls": [
                {
                    "id": "call_search1",
                    "type": "file_search",
                    "file_search": {
                        "ranking_options": {**ranking, "hybrid_search": None},
                        "results": results,
                    },
                }
            ],
        },
        completed_at=CREATED_AT + 2,
    )
    builder.text_message("msg_found", ["Filip likes ", "cake."])
    return [builder.run("completed", "completed", completed_at=CREATED_AT + 9).done().body()]


def incomplete() -> list[bytes]:
    builder = StreamBuilder().run_start()
    builder.text_message("msg_short", ["Once ", "upon ", "a"], final="incomplete")
    return [
        builder.run("incomplete", "incomplete", incomplete_details={"reason": "max_completion_tokens"})
        .done()
        .body()
    ]


def failed() -> list[bytes]:
    builder = StreamBuilder().run_start()
    builder.text_message("msg_failing", ["Let me ", "check"], finish=False)
    error = {"code": "server_error", "message": "Sorry, something went wrong."}
    return [builder.run("failed", "failed", failed_at=CREATED_AT + 4, last_error=error).done().body()]


def cancelled() -> list[bytes]:
    builder = StreamBuilder().run_start()
    builder.text_message("msg_cut", ["Counting: ", "one, ", "two"], finish=False)
    builder.run("cancelling", "cancelling")
    return [builder.run("cancelled", "cancelled", cancelled_at=CREATED_AT + 5).done().body()]


def expired() -> list[bytes]:
    builder = StreamBuilder().run_start()
    _function_step(builder, "step_calls", [("call_test1", "get_weather", ['{"city":"Oslo"}'])])
    builder.run(
        "requires_action",
        "requires_action",
        required_action=_requires_action([("call_test1", "get_weather", ['{"city":"Oslo"}'])]),
    )
    return [builder.run("expired", "expired", expired_at=CREATED_AT + 600).done().body()]


def error_mid_stream() -> list[bytes]:
    builder = StreamBuilder().run_start()
    builder.text_message("msg_broken", ["Partial ", "answer"], finish=False)
    builder.add(
        "error",
        {
            "error": {
                "message": "The server had an error (request ID req_test123).",
                "type": "server_error",
                "param": None,
                "code": "server_error",
            }
        },
    )
    return [builder.body()]


def multibyte_text() -> list[bytes]:
    fragments = ["Grüße ", "😀", " 日本", "語のテキスト", " ", "👍🏽", " Ωμέγα", "\u00e9\u0301"]
    builder = StreamBuilder().run_start()
    builder.text_message("msg_utf8", fragments)
    return [builder.run("completed", "completed", completed_at=CREATED_AT + 9).done().body()]


SCENARIOS: dict[str, Callable[[], list[bytes]]] = {
    "plain_text": plain_text,
    "annotations": annotated_text,
    "function_call": function_call,
    "parallel_tool_calls": parallel_tool_calls,
    "code_interpreter": code_interpreter,
    "file_search": file_search,
    "incomplete": incomplete,
    "failed": failed,
    "cancelled": cancelled,
    "expired": expired,
    "error_mid_stream": error_mid_stream,
    "multibyte_text": multibyte_text,
}


def decode_json(body: bytes) -> list[Any]:
    """The JSON payloads of a body, for assertions that look inside."""
    return [json.loads(line[6:]) for line in body.decode().splitlines() if line.startswith("data: {")]
