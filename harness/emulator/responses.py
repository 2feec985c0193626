"""The Responses API's rendering of a scenario: ``response.*`` events around one response per stream.

A tool-calling scenario spans two responses, as the real API does: the first
completes with its ``function_call`` items, the client sends a new request
(``previous_response_id`` or the conversation's input items) with
``function_call_output`` items, and the scenario goes on in a second response.
"""

from __future__ import annotations

import random
from collections.abc import Callable
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
from harness.protocols import responses_vocabulary as vocab


def echo_tool(tool: JsonObject) -> JsonObject:
    """A tool as the response echoes it (the API's defaults filled in)."""
    kind = tool.get("type")
    if kind == "function":
        return {
            "type": "function",
            "description": tool.get("description"),
            "name": tool.get("name", ""),
            "parameters": tool.get("parameters", {"type": "object", "properties": {}}),
            "strict": bool(tool.get("strict", True)),
        }
    if kind in ("web_search", "web_search_preview"):
        return {
            "type": kind,
            "filters": None,
            "search_context_size": tool.get("search_context_size", "medium"),
            "user_location": {
                "type": "approximate",
                "city": None,
                "country": "US",
                "region": None,
                "timezone": None,
            },
        }
    return dict(tool)


def response_object(
    *, response_id: str, created_at: int, body: JsonObject, previous_response_id: str | None
) -> JsonObject:
    """A new response, key order as the API streams it."""
    reasoning = body.get("reasoning") or {}
    text = body.get("text") or {}
    return {
        "id": response_id,
        "object": "response",
        "created_at": created_at,
        "status": "in_progress",
        "background": bool(body.get("background", False)),
        "completed_at": None,
        "error": None,
        "frequency_penalty": float(body.get("frequency_penalty", 0.0)),
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "max_tool_calls": body.get("max_tool_calls"),
        "model": body.get("model") or "gpt-4o",
        "output": [],
        "parallel_tool_calls": bool(body.get("parallel_tool_calls", True)),
        "presence_penalty": float(body.get("presence_penalty", 0.0)),
        "previous_response_id": previous_response_id,
        "prompt_cache_key": body.get("prompt_cache_key"),
        "prompt_cache_retention": body.get("prompt_cache_retention"),
        "reasoning": {"effort": reasoning.get("effort"), "summary": reasoning.get("summary")},
        "safety_identifier": body.get("safety_identifier"),
        "service_tier": body.get("service_tier") or "auto",
        "store": bool(body.get("store", True)),
        "temperature": float(body.get("temperature", 1.0)),
        "text": {
            "format": text.get("format") or {"type": "text"},
            "verbosity": text.get("verbosity", "medium"),
        },
        "tool_choice": body.get("tool_choice") or "auto",
        "tools": [echo_tool(tool) for tool in body.get("tools") or []],
        "top_logprobs": int(body.get("top_logprobs") or 0),
        "top_p": float(body.get("top_p", 1.0)),
        "truncation": body.get("truncation") or "disabled",
        "usage": None,
        "user": body.get("user"),
        "metadata": dict(body.get("metadata") or {}),
    }


def _usage(input_tokens: int, output_tokens: int, reasoning_tokens: int) -> JsonObject:
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cache_write_tokens": 0, "cached_tokens": 0},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
        "total_tokens": input_tokens + output_tokens,
    }


def _done(delta_event: str) -> str:
    """The event that repeats the whole string ``delta_event``'s pieces built."""
    return vocab.DELTA_TARGETS[delta_event].done_event


def annotation(citation: Citation) -> JsonObject:
    if citation.kind == "url_citation":
        return {
            "type": "url_citation",
            "end_index": citation.end,
            "start_index": citation.start,
            "title": citation.title,
            "url": citation.url,
        }
    if citation.kind == "file_citation":
        return {
            "type": "file_citation",
            "file_id": citation.file_id,
            "filename": citation.filename,
            "index": citation.start,
        }
    return {"type": "file_path", "file_id": citation.file_id, "index": citation.start}


class ResponseSimulation(ApiSimulation):
    """Implements :class:`~harness.emulator.script.Simulation` for the Responses API."""

    def __init__(
        self,
        request: ApiRequest,
        ids: IdFactory,
        timeline: Timeline,
        rng: random.Random,
        store_response: Callable[[JsonObject], None],
    ) -> None:
        super().__init__(request, ids, timeline, rng)
        self._store_response = store_response
        self._sequence = 0
        self._output_tokens = 0
        self._reasoning_tokens = 0
        self._open_item: JsonObject | None = None
        self.response = self._new_response(previous_response_id=request.body.get("previous_response_id"))

    # ------------------------------------------------------ Simulation
    def functions(self) -> list[JsonObject]:
        return [tool for tool in self.request.body.get("tools") or [] if tool.get("type") == "function"]

    def token_limit(self) -> int | None:
        limit = self.request.body.get("max_output_tokens")
        return int(limit) if limit is not None else None

    def start(self) -> Items:
        yield self._lifecycle(vocab.CREATED, pace=3.0)
        yield self._lifecycle(vocab.IN_PROGRESS, pace=4.0)

    def complete(self) -> Items:
        yield self._finish("completed", vocab.COMPLETED)

    def complete_incomplete(self) -> Items:
        self.response["incomplete_details"] = {"reason": "max_output_tokens"}
        yield self._finish("incomplete", vocab.INCOMPLETE)

    def message_step(
        self,
        plan: TextPlan,
        *,
        image_file_id: str | None = None,
        ending: str = "completed",
        stop_after: int | None = None,
    ) -> Items:
        item = self._add_item({"id": self.ids.hex("msg_"), "type": "message", "status": "in_progress"})
        item["content"] = []
        item["role"] = "assistant"
        yield self._item_added(item)
        where = self._where(item)
        part: JsonObject = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
        yield self._event(vocab.CONTENT_PART_ADDED, **where, content_index=0, part=dict(part))
        pieces = plan.pieces if stop_after is None else plan.pieces[:stop_after]
        text: list[str] = []
        for position, piece in enumerate(pieces):
            text.append(piece)
            yield self._delta(vocab.TEXT_DELTA, where, piece, content_index=0)
            for citation in plan.citations.get(position, []):
                settled = annotation(citation)
                yield self._event(
                    vocab.ANNOTATION_ADDED,
                    **where,
                    content_index=0,
                    annotation_index=len(part["annotations"]),
                    annotation=settled,
                )
                part["annotations"].append(settled)
        self._output_tokens += len(pieces)
        part["text"] = "".join(text)
        item["content"].append(part)
        if stop_after is not None:
            return
        yield self._event(_done(vocab.TEXT_DELTA), **where, content_index=0, text=part["text"], logprobs=[])
        yield self._event(vocab.CONTENT_PART_DONE, **where, content_index=0, part=part)
        yield self._item_done(item, "incomplete" if ending == "incomplete" else "completed")

    def refusal_step(self, pieces: list[str]) -> Items:
        item = self._add_item({"id": self.ids.hex("msg_"), "type": "message", "status": "in_progress"})
        item["content"] = []
        item["role"] = "assistant"
        yield self._item_added(item)
        where = self._where(item)
        yield self._event(
            vocab.CONTENT_PART_ADDED, **where, content_index=0, part={"type": "refusal", "refusal": ""}
        )
        for piece in pieces:
            yield self._delta(vocab.REFUSAL_DELTA, where, piece, content_index=0)
        refusal = "".join(pieces)
        self._output_tokens += len(pieces)
        part = {"type": "refusal", "refusal": refusal}
        item["content"].append(part)
        yield self._event(_done(vocab.REFUSAL_DELTA), **where, content_index=0, refusal=refusal)
        yield self._event(vocab.CONTENT_PART_DONE, **where, content_index=0, part=part)
        yield self._item_done(item, "completed")

    def reasoning_step(self, summary: list[str]) -> Items:
        item = self._add_item({"id": self.ids.hex("rs_"), "type": "reasoning", "summary": []})
        yield self._item_added(item)
        where = self._where(item)
        yield self._event(
            vocab.SUMMARY_PART_ADDED,
            **where,
            summary_index=0,
            part={"type": "summary_text", "text": ""},
        )
        for piece in summary:
            yield self._delta(vocab.SUMMARY_TEXT_DELTA, where, piece, summary_index=0)
        self.timeline.elapse(self.rng.uniform(1.0, 3.0))
        text = "".join(summary)
        self._reasoning_tokens += 4 * len(summary)
        part = {"type": "summary_text", "text": text}
        item["summary"].append(part)
        yield self._event(_done(vocab.SUMMARY_TEXT_DELTA), **where, summary_index=0, text=text)
        yield self._event(vocab.SUMMARY_PART_DONE, **where, summary_index=0, part=part)
        yield self._item_done(item, None)

    def web_search_step(self, query: str) -> Items:
        item = self._add_item({"id": self.ids.hex("ws_"), "type": "web_search_call", "status": "in_progress"})
        yield self._item_added(item)
        where = {"output_index": self._where(item)["output_index"], "item_id": item["id"]}
        yield self._event(vocab.tool_progress("web_search_call", "in_progress"), **where)
        yield self._event(vocab.tool_progress("web_search_call", "searching"), **where)
        self.timeline.elapse(self.rng.uniform(1.0, 3.0))
        yield self._event(vocab.tool_progress("web_search_call", "completed"), **where, pace=10.0)
        item["action"] = {"type": "search", "queries": [query], "query": query}
        yield self._item_done(item, "completed")

    def function_calls_step(self, calls: list[FunctionCall]) -> Items:
        for call in calls:
            call.call_id = self.ids.new("call_")
            item = self._add_item(
                {
                    "id": self.ids.hex("fc_"),
                    "type": "function_call",
                    "status": "in_progress",
                    "arguments": "",
                    "call_id": call.call_id,
                    "name": call.name,
                }
            )
            yield self._item_added(item)
            where = self._where(item)
            pieces = argument_pieces(call.arguments)
            for piece in pieces:
                yield self._delta(vocab.ARGUMENTS_DELTA, where, piece)
            self._output_tokens += len(pieces)
            item["arguments"] = call.arguments
            yield self._event(_done(vocab.ARGUMENTS_DELTA), **where, arguments=call.arguments)
            yield self._item_done(item, "completed")
        self._calls_made(calls)
        yield self._finish("completed", vocab.COMPLETED)
        yield PAUSE
        # Resumed by a request carrying the function_call_output items: a new response.
        self.timeline.catch_up()
        yield from self.start()

    def _next_turn(self) -> None:
        self._sequence = 0
        self._output_tokens = self._reasoning_tokens = 0
        self.response = self._new_response(previous_response_id=self.request.body.get("previous_response_id"))

    def code_interpreter_step(self, code: str, output: JsonObject) -> Items:
        return unsupported("the emulated Responses API has no code interpreter scenario")

    def file_search_step(self, results: list[JsonObject]) -> Items:
        return unsupported("the emulated Responses API has no file search scenario")

    def fail(self) -> Items:
        self._close_open_item()
        self.response["error"] = {"code": "server_error", "message": content.FAILURE_MESSAGE}
        yield self._finish("failed", vocab.FAILED)

    def cancel(self) -> Items:
        return unsupported("the emulated Responses API has no cancel scenario")

    def expire(self) -> Items:
        return unsupported("responses do not expire")

    def stream_error(self, request_id: str) -> Items:
        self._close_open_item()
        self.response["status"] = "failed"
        # nested, as the live API sends it (capture 111 in cassettes/real/responses), not flat as
        # its reference documents: the SDK raises APIError on the nested shape
        message = content.STREAM_ERROR_MESSAGE.format(request_id=request_id)
        error = {"type": "server_error", "code": "server_error", "message": message, "param": None}
        yield self._event(vocab.ERROR, error=error, pace=5.0)
        yield ABORT

    # --------------------------------------------------------- helpers
    def _new_response(self, *, previous_response_id: Any) -> JsonObject:
        response = response_object(
            response_id=self.ids.hex("resp_"),
            created_at=self.timeline.now(),
            body=self.request.body,
            previous_response_id=previous_response_id if isinstance(previous_response_id, str) else None,
        )
        self._store_response(response)
        return response

    def _event(self, name: str, pace: float = 1.0, **fields: Any) -> Emission:
        data = dumps({"type": name, "sequence_number": self._sequence, **fields})
        self._sequence += 1
        return Emission(name, data, pace)

    def _lifecycle(self, name: str, pace: float = 1.0) -> Emission:
        # The response is serialized when the event is sent: it shows its state at that moment.
        data = {"type": name, "sequence_number": self._sequence, "response": self.response}
        self._sequence += 1
        return Emission(name, data, pace)

    def _delta(self, name: str, where: JsonObject, piece: str, **index: int) -> Emission:
        fields: JsonObject = {**where, **index, "delta": piece}
        if name == vocab.TEXT_DELTA:
            fields["logprobs"] = []
        padding = obfuscation(self.rng, piece, self.request.body.get("stream_options"))
        if padding is not None:
            fields["obfuscation"] = padding
        return self._event(name, **fields)

    def _add_item(self, item: JsonObject) -> JsonObject:
        self.timeline.elapse(self.rng.uniform(0.1, 0.6))
        self.response["output"].append(item)
        self._open_item = item
        return item

    def _where(self, item: JsonObject) -> JsonObject:
        return {"item_id": item["id"], "output_index": self.response["output"].index(item)}

    def _item_added(self, item: JsonObject) -> Emission:
        return self._event(
            vocab.ITEM_ADDED, output_index=self._where(item)["output_index"], item=item, pace=2.0
        )

    def _item_done(self, item: JsonObject, status: str | None) -> Emission:
        if status is not None:
            item["status"] = status
        self._open_item = None
        return self._event(
            vocab.ITEM_DONE, output_index=self._where(item)["output_index"], item=item, pace=2.0
        )

    def _close_open_item(self) -> None:
        if self._open_item is not None and "status" in self._open_item:
            self._open_item["status"] = "incomplete"
        self._open_item = None

    def _finish(self, status: str, event_name: str) -> Emission:
        self.timeline.elapse(self.rng.uniform(0.0, 1.0))
        self.response["status"] = status
        if status == "completed":
            self.response["completed_at"] = self.timeline.now()
        self.response["usage"] = _usage(
            self.request.prompt_tokens, self._output_tokens + self._reasoning_tokens, self._reasoning_tokens
        )
        return self._lifecycle(event_name, pace=2.0)
