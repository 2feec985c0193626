"""The Chat Completions rendering of a scenario: ``chat.completion.chunk`` data lines, ``data: [DONE]``.

A tool-calling scenario spans two completions: the first ends with
``finish_reason: "tool_calls"``, the client sends the conversation back with a
``tool`` message per call, and the scenario goes on in a second completion.
With ``n > 1`` every choice says the same (each chunk carries one choice).
"""

from __future__ import annotations

import random
from typing import Any

from harness.emulator import content
from harness.emulator.api_simulation import ApiRequest, ApiSimulation
from harness.emulator.clock import Timeline
from harness.emulator.ids import IdFactory
from harness.emulator.pieces import argument_pieces, obfuscation
from harness.emulator.script import (
    ABORT,
    PAUSE,
    Citation,
    Emission,
    FunctionCall,
    Items,
    JsonObject,
    TextPlan,
    dumps,
    unsupported,
)
from harness.protocols import chat_vocabulary as vocabulary

CHUNK = vocabulary.CHUNK_OBJECT
_HEX = "0123456789abcdef"


def usage(prompt_tokens: int, completion_tokens: int, reasoning_tokens: int) -> JsonObject:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": reasoning_tokens,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def url_annotation(citation: Citation) -> JsonObject:
    return {
        "type": "url_citation",
        "url_citation": {
            "end_index": citation.end,
            "start_index": citation.start,
            "title": citation.title,
            "url": citation.url,
        },
    }


class ChatSimulation(ApiSimulation):
    """Implements :class:`~harness.emulator.script.Simulation` for Chat Completions."""

    def __init__(self, request: ApiRequest, ids: IdFactory, timeline: Timeline, rng: random.Random) -> None:
        super().__init__(request, ids, timeline, rng)
        self.system_fingerprint = "fp_" + "".join(rng.choices(_HEX, k=10))
        self.completion = self._new_completion()

    # ------------------------------------------------------ Simulation
    def functions(self) -> list[JsonObject]:
        return [
            dict(tool.get("function") or {})
            for tool in self.request.body.get("tools") or []
            if tool.get("type") == "function"
        ]

    def token_limit(self) -> int | None:
        limit = self.request.body.get("max_completion_tokens", self.request.body.get("max_tokens"))
        return int(limit) if limit is not None else None

    def start(self) -> Items:
        self.timeline.elapse(self.rng.uniform(0.2, 0.8))
        yield from ()

    def complete(self) -> Items:
        yield from self._finish("stop")

    def complete_incomplete(self) -> Items:
        yield from self._finish("length")

    def message_step(
        self,
        plan: TextPlan,
        *,
        image_file_id: str | None = None,
        ending: str = "completed",
        stop_after: int | None = None,
    ) -> Items:
        message = self._message()
        message["content"] = message["content"] or ""
        if not self._role_sent:
            yield from self._chunk({"role": "assistant", "content": "", "refusal": None}, pace=3.0)
        pieces = plan.pieces if stop_after is None else plan.pieces[:stop_after]
        for position, piece in enumerate(pieces):
            delta: JsonObject = {"content": piece}
            annotations = [
                url_annotation(c) for c in plan.citations.get(position, []) if c.kind == "url_citation"
            ]
            if annotations:
                delta["annotations"] = annotations
                message["annotations"].extend(annotations)
            message["content"] += piece
            yield from self._chunk(delta)
        self._completion_tokens += len(pieces)

    def refusal_step(self, pieces: list[str]) -> Items:
        message = self._message()
        if not self._role_sent:
            yield from self._chunk({"role": "assistant", "content": None, "refusal": ""}, pace=3.0)
        message["refusal"] = ""
        for piece in pieces:
            message["refusal"] += piece
            yield from self._chunk({"refusal": piece})
        self._completion_tokens += len(pieces)

    def reasoning_step(self, summary: list[str]) -> Items:
        """Chat streams carry no reasoning; only its tokens are counted."""
        self.timeline.elapse(self.rng.uniform(1.0, 3.0))
        self._reasoning_tokens += 4 * len(summary)
        yield from ()

    def web_search_step(self, query: str) -> Items:
        """A search model searches before it answers; the stream shows only the citations."""
        self.timeline.elapse(self.rng.uniform(1.0, 3.0))
        yield from ()

    def function_calls_step(self, calls: list[FunctionCall]) -> Items:
        message = self._message()
        message["tool_calls"] = []
        for index, call in enumerate(calls):
            call.call_id = self.ids.new("call_")
            header = {
                "index": index,
                "id": call.call_id,
                "type": "function",
                "function": {"name": call.name, "arguments": ""},
            }
            first: JsonObject = {"tool_calls": [header]}
            if not self._role_sent:
                first = {"role": "assistant", "content": None, "tool_calls": [header], "refusal": None}
            yield from self._chunk(first, pace=2.0)
            pieces = argument_pieces(call.arguments)
            for piece in pieces:
                yield from self._chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
            self._completion_tokens += len(pieces)
            message["tool_calls"].append(
                {
                    "id": call.call_id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": call.arguments},
                }
            )
        self._calls_made(calls)
        yield from self._finish("tool_calls")
        yield PAUSE
        self.timeline.catch_up()

    def _next_turn(self) -> None:
        self.completion = self._new_completion()

    def code_interpreter_step(self, code: str, output: JsonObject) -> Items:
        return unsupported("Chat Completions has no code interpreter")

    def file_search_step(self, results: list[JsonObject]) -> Items:
        return unsupported("Chat Completions has no file search")

    def fail(self) -> Items:
        return unsupported("a chat completion has no failed status")

    def cancel(self) -> Items:
        return unsupported("a chat completion cannot be cancelled")

    def expire(self) -> Items:
        return unsupported("a chat completion does not expire")

    def stream_error(self, request_id: str) -> Items:
        error = {
            "message": content.STREAM_ERROR_MESSAGE.format(request_id=request_id),
            "type": "server_error",
            "param": None,
            "code": None,
        }
        yield Emission("error", dumps({"error": error}), pace=5.0)
        yield ABORT

    # --------------------------------------------------------- helpers
    @property
    def _include_usage(self) -> bool:
        return bool((self.request.body.get("stream_options") or {}).get("include_usage"))

    @property
    def _choices(self) -> int:
        n = self.request.body.get("n")
        return n if isinstance(n, int) and n > 0 else 1

    def _new_completion(self) -> JsonObject:
        self._role_sent = False
        self._completion_tokens = 0
        self._reasoning_tokens = 0
        return {
            "id": self.ids.new("chatcmpl-"),
            "object": vocabulary.COMPLETION_OBJECT,
            "created": self.timeline.now(),
            "model": self.request.body.get("model") or "gpt-4o",
            "choices": [],
            "usage": None,
            "service_tier": "default",
            "system_fingerprint": self.system_fingerprint,
        }

    def _message(self) -> JsonObject:
        if not self.completion["choices"]:
            shared: JsonObject = {"role": "assistant", "content": None, "refusal": None, "annotations": []}
            self.completion["choices"] = [
                {"index": index, "message": shared, "logprobs": None, "finish_reason": None}
                for index in range(self._choices)
            ]
        message: JsonObject = self.completion["choices"][0]["message"]
        return message

    def _envelope(self, choices: list[JsonObject]) -> JsonObject:
        chunk: JsonObject = {
            "id": self.completion["id"],
            "object": CHUNK,
            "created": self.completion["created"],
            "model": self.completion["model"],
            "service_tier": "default",
            "system_fingerprint": self.system_fingerprint,
            "choices": choices,
        }
        if self._include_usage:
            chunk["usage"] = None
        return chunk

    def _chunk(self, delta: JsonObject, pace: float = 1.0, finish_reason: str | None = None) -> Items:
        """One chunk per choice, each saying the same."""
        for index in range(self._choices):
            choice = {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            chunk = self._envelope([choice])
            self._pad(chunk, delta)
            yield Emission(CHUNK, dumps(chunk), pace)
        self._role_sent = True

    def _pad(self, chunk: JsonObject, delta: Any) -> None:
        padding = obfuscation(self.rng, dumps(delta), self.request.body.get("stream_options"))
        if padding is not None:
            chunk["obfuscation"] = padding

    def _finish(self, reason: str) -> Items:
        self._message()
        for choice in self.completion["choices"]:
            choice["finish_reason"] = reason
        self.completion["usage"] = usage(
            self.request.prompt_tokens,
            self._completion_tokens + self._reasoning_tokens,
            self._reasoning_tokens,
        )
        yield from self._chunk({}, pace=2.0, finish_reason=reason)
        if self._include_usage:
            chunk = self._envelope([])
            chunk["usage"] = self.completion["usage"]
            self._pad(chunk, chunk["usage"])
            yield Emission(CHUNK, dumps(chunk))
