"""Generated Responses and Chat Completions streams, shaped like the real API's (see cassettes/real/)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

RESPONSE_ID = "resp_0000test"


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def sse(events: list[dict[str, Any]]) -> bytes:
    """Events as the Responses API frames them: ``event:`` name plus the JSON with the same ``type``."""
    return "".join(f"event: {event['type']}\ndata: {_dumps(event)}\n\n" for event in events).encode()


def chat_sse(chunks: list[dict[str, Any]], *, done: bool = True) -> bytes:
    body = "".join(f"data: {_dumps(chunk)}\n\n" for chunk in chunks)
    return (body + ("data: [DONE]\n\n" if done else "")).encode()


def response_object(status: str, output: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "id": RESPONSE_ID,
        "object": "response",
        "created_at": 1_760_000_000,
        "status": status,
        "error": None,
        "incomplete_details": None,
        "model": "gpt-test",
        "output": output,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "usage": None,
        **extra,
    }


class ResponsesStream:
    """Appends events with consecutive sequence numbers; helpers build the usual item shapes."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.output: list[dict[str, Any]] = []

    def add(self, event_type: str, **fields: Any) -> dict[str, Any]:
        event = {"type": event_type, "sequence_number": len(self.events), **fields}
        self.events.append(event)
        return event

    def start(self) -> ResponsesStream:
        self.add("response.created", response=response_object("in_progress", []))
        self.add("response.in_progress", response=response_object("in_progress", []))
        return self

    def message(
        self, pieces: list[str], *, refusal: bool = False, annotations: Sequence[dict[str, Any]] = ()
    ) -> None:
        index = len(self.output)
        item_id = f"msg_{index}"
        self.add(
            "response.output_item.added",
            output_index=index,
            item={
                "id": item_id,
                "type": "message",
                "status": "in_progress",
                "content": [],
                "role": "assistant",
            },
        )
        kind, field = ("refusal", "refusal") if refusal else ("output_text", "text")
        empty: dict[str, Any] = {"type": kind, field: ""}
        if not refusal:
            empty = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
        where = {"item_id": item_id, "output_index": index, "content_index": 0}
        self.add("response.content_part.added", **where, part=empty)
        delta_type = "response.refusal.delta" if refusal else "response.output_text.delta"
        for piece in pieces:
            self.add(delta_type, **where, delta=piece, obfuscation="xyz")
        whole = "".join(pieces)
        for position, annotation in enumerate(annotations):
            self.add(
                "response.output_text.annotation.added",
                **where,
                annotation_index=position,
                annotation=annotation,
            )
        done_type = "response.refusal.done" if refusal else "response.output_text.done"
        self.add(done_type, **where, **{field: whole})
        part = {**empty, field: whole}
        if annotations:
            part["annotations"] = list(annotations)
        self.add("response.content_part.done", **where, part=part)
        item = {
            "id": item_id,
            "type": "message",
            "status": "completed",
            "content": [part],
            "role": "assistant",
        }
        self.add("response.output_item.done", output_index=index, item=item)
        self.output.append(item)

    def function_call(self, name: str, pieces: list[str], *, call_id: str | None = None) -> None:
        index = len(self.output)
        item_id = f"fc_{index}"
        base = {"id": item_id, "type": "function_call", "call_id": call_id or f"call_{index}", "name": name}
        self.add(
            "response.output_item.added",
            output_index=index,
            item={**base, "arguments": "", "status": "in_progress"},
        )
        for piece in pieces:
            self.add(
                "response.function_call_arguments.delta", item_id=item_id, output_index=index, delta=piece
            )
        whole = "".join(pieces)
        self.add(
            "response.function_call_arguments.done", item_id=item_id, output_index=index, arguments=whole
        )
        item = {**base, "arguments": whole, "status": "completed"}
        self.add("response.output_item.done", output_index=index, item=item)
        self.output.append(item)

    def reasoning(self, summary_pieces: list[str]) -> None:
        index = len(self.output)
        item_id = f"rs_{index}"
        self.add(
            "response.output_item.added",
            output_index=index,
            item={"id": item_id, "type": "reasoning", "summary": []},
        )
        where = {"item_id": item_id, "output_index": index, "summary_index": 0}
        self.add("response.reasoning_summary_part.added", **where, part={"type": "summary_text", "text": ""})
        for piece in summary_pieces:
            self.add("response.reasoning_summary_text.delta", **where, delta=piece)
        whole = "".join(summary_pieces)
        self.add("response.reasoning_summary_text.done", **where, text=whole)
        self.add(
            "response.reasoning_summary_part.done", **where, part={"type": "summary_text", "text": whole}
        )
        item = {"id": item_id, "type": "reasoning", "summary": [{"type": "summary_text", "text": whole}]}
        self.add("response.output_item.done", output_index=index, item=item)
        self.output.append(item)

    def web_search(self, query: str) -> None:
        index = len(self.output)
        item_id = f"ws_{index}"
        self.add(
            "response.output_item.added",
            output_index=index,
            item={"id": item_id, "type": "web_search_call", "status": "in_progress"},
        )
        for stage in ("in_progress", "searching", "completed"):
            self.add(f"response.web_search_call.{stage}", output_index=index, item_id=item_id)
        item = {
            "id": item_id,
            "type": "web_search_call",
            "status": "completed",
            "action": {"type": "search", "query": query},
        }
        self.add("response.output_item.done", output_index=index, item=item)
        self.output.append(item)

    def finish(self, status: str = "completed", **extra: Any) -> bytes:
        event_type = {
            "completed": "response.completed",
            "incomplete": "response.incomplete",
            "failed": "response.failed",
        }[status]
        usage = {"input_tokens": 5, "output_tokens": 7, "total_tokens": 12}
        self.add(event_type, response=response_object(status, list(self.output), usage=usage, **extra))
        return sse(self.events)


def _text(stream: ResponsesStream) -> bytes:
    stream.message(["Hel", "lo", ", wor", "ld"])
    return stream.finish()


def _unicode(stream: ResponsesStream) -> bytes:
    stream.message(["Gr\u00fc\u00df", " \U0001f30d", " \u2019\u65e5\u672c\u8a9e\u2019"])
    return stream.finish()


def _tools(stream: ResponsesStream) -> bytes:
    stream.function_call("get_weather", ['{"ci', 'ty":"Pa', 'ris"}'], call_id="call_a")
    stream.function_call("get_time", ['{"tz":', '"CET"}'], call_id="call_b")
    return stream.finish()


def _reasoning(stream: ResponsesStream) -> bytes:
    stream.reasoning(["Thinking ", "about it."])
    stream.message(["Done."])
    return stream.finish()


def _refusal(stream: ResponsesStream) -> bytes:
    stream.message(["I can", "'t help with that."], refusal=True)
    return stream.finish()


def _web_search(stream: ResponsesStream) -> bytes:
    stream.web_search("harness")
    citation = {
        "type": "url_citation",
        "start_index": 0,
        "end_index": 4,
        "title": "T",
        "url": "https://example.test",
    }
    stream.message(["See ", "this."], annotations=[citation])
    return stream.finish()


def _incomplete(stream: ResponsesStream) -> bytes:
    stream.message(["Once upon a ti"])
    return stream.finish("incomplete", incomplete_details={"reason": "max_output_tokens"})


def _failed(stream: ResponsesStream) -> bytes:
    return stream.finish("failed", error={"code": "server_error", "message": "The model failed."})


def _error(stream: ResponsesStream) -> bytes:
    stream.message(["partial"])
    stream.add("error", code="server_error", message="Something went wrong.", param=None)
    return sse(stream.events)


RESPONSES_SCENARIOS: dict[str, Callable[[ResponsesStream], bytes]] = {
    "text": _text,
    "unicode": _unicode,
    "parallel-tool-calls": _tools,
    "reasoning-summary": _reasoning,
    "refusal": _refusal,
    "web-search-citation": _web_search,
    "incomplete": _incomplete,
    "failed": _failed,
    "error": _error,
}


def responses_scenario(name: str) -> bytes:
    return RESPONSES_SCENARIOS[name](ResponsesStream().start())


# -- Chat Completions -------------------------------------------------------------------------------

COMPLETION_ID = "chatcmpl-test"


def chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "id": COMPLETION_ID,
        "object": "chat.completion.chunk",
        "created": 1_760_000_000,
        "model": "gpt-test",
        "service_tier": "default",
        "system_fingerprint": "fp_test",
        "choices": choices,
        "usage": None,
        "obfuscation": "abc",
        **extra,
    }


def choice(
    index: int, delta: dict[str, Any], finish: str | None = None, logprobs: Any = None
) -> dict[str, Any]:
    return {"index": index, "delta": delta, "logprobs": logprobs, "finish_reason": finish}


USAGE = {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13}


def _chat_text(finish: str = "stop") -> list[dict[str, Any]]:
    return [
        chunk([choice(0, {"role": "assistant", "content": "", "refusal": None})]),
        *(chunk([choice(0, {"content": piece})]) for piece in ("Hel", "lo ", "\U0001f30d")),
        chunk([choice(0, {}, finish)]),
        chunk([], usage=USAGE),
    ]


def _chat_tools() -> list[dict[str, Any]]:
    def call(index: int, **fields: Any) -> dict[str, Any]:
        return {"index": index, **fields}

    first = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            call(0, id="call_a", type="function", function={"name": "get_weather", "arguments": ""})
        ],
    }
    return [
        chunk([choice(0, first)]),
        chunk([choice(0, {"tool_calls": [call(0, function={"arguments": '{"city":'})]})]),
        chunk(
            [
                choice(
                    0,
                    {
                        "tool_calls": [
                            call(
                                1,
                                id="call_b",
                                type="function",
                                function={"name": "get_time", "arguments": ""},
                            )
                        ]
                    },
                )
            ]
        ),
        chunk([choice(0, {"tool_calls": [call(0, function={"arguments": '"Paris"}'})]})]),
        chunk([choice(0, {"tool_calls": [call(1, function={"arguments": '{"tz":"CET"}'})]})]),
        chunk([choice(0, {}, "tool_calls")]),
        chunk([], usage=USAGE),
    ]


def _chat_refusal() -> list[dict[str, Any]]:
    return [
        chunk([choice(0, {"role": "assistant", "content": None, "refusal": ""})]),
        chunk([choice(0, {"refusal": "I can't "})]),
        chunk([choice(0, {"refusal": "help with that."})]),
        chunk([choice(0, {}, "stop")]),
    ]


def _logprob(token: str) -> dict[str, Any]:
    return {"token": token, "logprob": -0.5, "bytes": list(token.encode()), "top_logprobs": []}


def _chat_logprobs() -> list[dict[str, Any]]:
    return [
        chunk([choice(0, {"role": "assistant", "content": ""}, logprobs={"content": [], "refusal": None})]),
        chunk([choice(0, {"content": "Hi"}, logprobs={"content": [_logprob("Hi")], "refusal": None})]),
        chunk([choice(0, {"content": "!"}, logprobs={"content": [_logprob("!")], "refusal": None})]),
        chunk([choice(0, {}, "stop")]),
    ]


def _chat_two_choices() -> list[dict[str, Any]]:
    return [
        chunk([choice(0, {"role": "assistant", "content": ""})]),
        chunk([choice(1, {"role": "assistant", "content": ""})]),
        chunk([choice(0, {"content": "Yes"})]),
        chunk([choice(1, {"content": "No"})]),
        chunk([choice(1, {"content": "pe"})]),
        chunk([choice(0, {}, "stop")]),
        chunk([choice(1, {}, "stop")]),
        chunk([], usage=USAGE),
    ]


CHAT_SCENARIOS: dict[str, Callable[[], list[dict[str, Any]]]] = {
    "text": _chat_text,
    "parallel-tool-calls": _chat_tools,
    "refusal": _chat_refusal,
    "logprobs": _chat_logprobs,
    "n-2": _chat_two_choices,
    "length": lambda: _chat_text("length"),
}


def chat_scenario(name: str) -> bytes:
    return chat_sse(CHAT_SCENARIOS[name]())
