"""The life of one Assistants run: a scenario's beats as run events, the stored objects kept in step.

A scenario (see :mod:`harness.emulator.script`) is a generator over
:class:`Emission` items built from the helpers of :class:`RunSimulation`. It
may yield :data:`PAUSE` (the stream stops at ``requires_action`` and resumes
when tool outputs arrive) or :data:`ABORT` (the stream stops without ``done``,
after an ``error`` event).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from harness.emulator import content, objects
from harness.emulator.clock import Timeline
from harness.emulator.ids import IdFactory
from harness.emulator.objects import JsonObject
from harness.emulator.pieces import argument_pieces, split_tokens
from harness.emulator.script import (
    ABORT,
    PAUSE,
    Citation,
    Emission,
    FunctionCall,
    Item,
    Items,
    Scenario,
    StreamStop,
    TextPlan,
    Unsupported,
    dumps,
    unsupported,
)

__all__ = [
    "ABORT",
    "PAUSE",
    "Emission",
    "FunctionCall",
    "Item",
    "Items",
    "RunContext",
    "RunSimulation",
    "Scenario",
    "StreamStop",
    "TextPlan",
    "dumps",
]


@dataclass
class RunContext:
    """What the scenario may look at: the request, the assistant and the conversation."""

    run: JsonObject
    thread: JsonObject
    thread_messages: list[JsonObject]
    message_deltas: int | None
    include_file_search_content: bool
    thread_created: bool


class RunSimulation:
    def __init__(
        self,
        context: RunContext,
        ids: IdFactory,
        timeline: Timeline,
        rng: random.Random,
        store_step: Callable[[JsonObject], None],
        store_message: Callable[[JsonObject], None],
    ) -> None:
        self.context = context
        self.run = context.run
        self.ids = ids
        self.timeline = timeline
        self.rng = rng
        self._store_step = store_step
        self._store_message = store_message
        self.open_step: JsonObject | None = None
        self.open_message: JsonObject | None = None
        self._open_text: list[str] = []
        self._prompt_tokens = 20 + sum(len(m["content"]) * 12 for m in context.thread_messages)
        self.tool_outputs: dict[str, str] = {}
        self._usage_total: JsonObject | None = None

    # ----------------------------------------------------------------- run
    def _run_event(self, name: str, pace: float = 1.0) -> Emission:
        return Emission(name, self.run, pace)

    def _think(self, low: float, high: float) -> int:
        return self.timeline.elapse(self.rng.uniform(low, high))

    @property
    def message_deltas(self) -> int | None:
        return self.context.message_deltas

    def functions(self) -> list[JsonObject]:
        return [tool["function"] for tool in self.run["tools"] if tool.get("type") == "function"]

    def token_limit(self) -> int | None:
        limit = self.run["max_completion_tokens"]
        return int(limit) if limit is not None else None

    def start(self) -> Items:
        """thread.created (create-and-run only), then created, queued, in_progress."""
        if self.context.thread_created:
            yield Emission("thread.created", self.context.thread, pace=2.0)
        yield self._run_event("thread.run.created", pace=3.0)
        yield self._run_event("thread.run.queued")
        self.run["status"] = "in_progress"
        self.run["started_at"] = self._think(0.5, 2.0)
        yield self._run_event("thread.run.in_progress", pace=4.0)

    def complete(self) -> Items:
        self.run["status"] = "completed"
        self.run["completed_at"] = self._think(0.0, 1.0)
        self.run["expires_at"] = None
        self.finish_usage()
        yield self._run_event("thread.run.completed", pace=2.0)

    def complete_incomplete(self) -> Items:
        """The run hit a token limit: ``thread.run.incomplete``, as the API reference names it.
        (Capture 002 shows a server that sent ``thread.run.completed`` with an incomplete run, a
        status mismatch ``validate`` reports; the emulator plays the well-formed stream.)"""
        limit_reason = (
            "max_prompt_tokens" if self.run["max_prompt_tokens"] is not None else "max_completion_tokens"
        )
        self.run["status"] = "incomplete"
        self.run["incomplete_details"] = {"reason": limit_reason}
        self.run["completed_at"] = self._think(0.0, 1.0)
        self.run["expires_at"] = None
        self.finish_usage()
        yield self._run_event("thread.run.incomplete", pace=2.0)

    # ------------------------------------------------------------- steps
    def _new_step(self, step_details: JsonObject) -> JsonObject:
        step = objects.run_step(
            step_id=self.ids.new("step_"),
            created_at=self._think(0.3, 1.5),
            run=self.run,
            step_details=step_details,
        )
        self._store_step(step)
        self.open_step = step
        return step

    def _step_usage(self, completion_tokens: int) -> JsonObject:
        step_usage = objects.usage(self._prompt_tokens, completion_tokens)
        self._usage_total = objects.add_usage(self._usage_total, step_usage)
        self._prompt_tokens += completion_tokens + 12
        return step_usage

    def _complete_step(self, step: JsonObject, completion_tokens: int) -> Emission:
        step["status"] = "completed"
        step["completed_at"] = self._think(0.0, 1.0)
        step["usage"] = self._step_usage(completion_tokens)
        self.open_step = None
        return Emission("thread.run.step.completed", step, pace=2.0)

    def finish_usage(self) -> None:
        self.run["usage"] = self._usage_total or objects.usage(self._prompt_tokens, 0)

    # ---------------------------------------------------------- messages
    def message_step(
        self,
        plan: TextPlan,
        *,
        image_file_id: str | None = None,
        ending: str = "completed",
        stop_after: int | None = None,
    ) -> Items:
        """A message_creation step streaming one text part (after an optional image_file part).

        ``ending`` is ``"completed"`` or ``"incomplete"`` (a token limit); with
        ``stop_after`` only that many deltas are sent and the message and step
        stay open for an interruption (cancel, failure, expiry, error) to close.
        """
        step, message = self._open_message()
        yield from self._message_opened(step, message)
        message_id = message["id"]

        text_index = 0
        if image_file_id is not None:
            text_index = 1
            image_part = {"type": "image_file", "image_file": {"file_id": image_file_id}}
            message["content"].append(image_part)
            # The image arrives whole, together with an empty start of the text part.
            first = [
                {"index": 0, **image_part},
                {"index": 1, "type": "text", "text": {"value": "", "annotations": []}},
            ]
            yield Emission("thread.message.delta", objects.message_delta(message_id, first))
        if stop_after is not None:
            plan = TextPlan(plan.pieces[:stop_after], plan.citations)
        yield from self._text_deltas(message_id, text_index, plan, announce=image_file_id is None)
        if stop_after is not None:
            return
        text = "".join(self._open_text)
        annotations = [_settled_annotation(a) for group in _delta_annotations(plan).values() for a in group]
        message["content"].append(objects.text_part(text, annotations))
        completion_tokens = len(plan.pieces) + (1 if image_file_id else 0)
        if ending == "incomplete":
            message["status"] = "incomplete"
            message["incomplete_details"] = {"reason": "max_tokens"}
            message["incomplete_at"] = self._think(0.0, 1.0)
            self.open_message = None
            yield Emission("thread.message.incomplete", message)
        else:
            message["status"] = "completed"
            message["completed_at"] = self._think(0.0, 1.0)
            self.open_message = None
            yield Emission("thread.message.completed", message)
        yield self._complete_step(step, completion_tokens)

    def _open_message(self) -> tuple[JsonObject, JsonObject]:
        """A new message_creation step and its in-progress assistant message, stored."""
        message_id = self.ids.new("msg_")
        step = self._new_step({"type": "message_creation", "message_creation": {"message_id": message_id}})
        message = objects.message(
            message_id=message_id,
            created_at=step["created_at"],
            thread_id=self.run["thread_id"],
            role="assistant",
            content=[],
            assistant_id=self.run["assistant_id"],
            run_id=self.run["id"],
            status="in_progress",
        )
        self._store_message(message)
        self.open_message = message
        return step, message

    @staticmethod
    def _message_opened(step: JsonObject, message: JsonObject) -> Items:
        yield Emission("thread.run.step.created", step, pace=4.0)
        yield Emission("thread.run.step.in_progress", step)
        yield Emission("thread.message.created", message)
        yield Emission("thread.message.in_progress", message)

    def _text_deltas(self, message_id: str, index: int, plan: TextPlan, *, announce: bool) -> Items:
        self._open_text = []
        prefix = dumps(objects.message_delta(message_id, [{"index": index, "type": "text", "text": {}}]))
        # Fast path for large streams: splice the value into a prepared frame.
        head, tail = prefix.split('"text":{}', 1)
        head += '"text":{"value":'
        tail = "}" + tail
        marks = _delta_annotations(plan)
        for position, piece in enumerate(plan.pieces):
            self._open_text.append(piece)
            annotations = marks.get(position)
            if (position == 0 and announce) or annotations:
                text: JsonObject = {"value": piece}
                if annotations:
                    text["annotations"] = annotations
                elif position == 0:
                    text["annotations"] = []
                content = [{"index": index, "type": "text", "text": text}]
                yield Emission("thread.message.delta", objects.message_delta(message_id, content))
            else:
                yield Emission("thread.message.delta", head + dumps(piece) + tail)

    def refusal_step(self, pieces: list[str]) -> Items:
        """A message_creation step whose message holds one refusal part."""
        step, message = self._open_message()
        yield from self._message_opened(step, message)
        message_id = message["id"]
        for piece in pieces:
            refusal = {"index": 0, "type": "refusal", "refusal": piece}
            yield Emission("thread.message.delta", objects.message_delta(message_id, [refusal]))
        message["content"] = [{"type": "refusal", "refusal": "".join(pieces)}]
        message["status"] = "completed"
        message["completed_at"] = self._think(0.0, 1.0)
        self.open_message = None
        yield Emission("thread.message.completed", message)
        yield self._complete_step(step, len(pieces))

    def reasoning_step(self, summary: list[str]) -> Items:
        """Run streams carry no reasoning: the model only takes its time."""
        self._think(1.0, 3.0)
        yield from ()

    def web_search_step(self, query: str) -> Items:
        return unsupported("the Assistants API has no web search tool")

    # -------------------------------------------------------- tool steps
    def function_calls_step(self, calls: list[FunctionCall]) -> Items:
        """Streams the calls, pauses at requires_action, then completes the step with the outputs."""
        step = self._new_step({"type": "tool_calls", "tool_calls": []})
        yield Emission("thread.run.step.created", step, pace=4.0)
        yield Emission("thread.run.step.in_progress", step)
        fragments = 0
        for index, call in enumerate(calls):
            call.call_id = self.ids.new("call_")
            first = {
                "index": index,
                "id": call.call_id,
                "type": "function",
                "function": {"name": call.name, "arguments": "", "output": None},
            }
            yield Emission("thread.run.step.delta", objects.step_delta(step["id"], [first]))
            for piece in argument_pieces(call.arguments):
                fragments += 1
                fragment = {"index": index, "type": "function", "function": {"arguments": piece}}
                yield Emission("thread.run.step.delta", objects.step_delta(step["id"], [fragment]))
        step["step_details"]["tool_calls"] = [
            {
                "id": c.call_id,
                "type": "function",
                "function": {"name": c.name, "arguments": c.arguments, "output": None},
            }
            for c in calls
        ]
        self.run["status"] = "requires_action"
        self.run["required_action"] = {
            "type": "submit_tool_outputs",
            "submit_tool_outputs": {
                "tool_calls": [
                    {
                        "id": c.call_id,
                        "type": "function",
                        "function": {"name": c.name, "arguments": c.arguments},
                    }
                    for c in calls
                ]
            },
        }
        yield self._run_event("thread.run.requires_action", pace=2.0)
        yield PAUSE
        # Resumed by submit_tool_outputs: the continuation stream starts here.
        self.timeline.catch_up()
        for call_json in step["step_details"]["tool_calls"]:
            call_json["function"]["output"] = self.tool_outputs.get(call_json["id"], "")
        yield self._complete_step(step, 10 + fragments)
        self.run["status"] = "queued"
        self.run["required_action"] = None
        yield self._run_event("thread.run.queued")
        self.run["status"] = "in_progress"
        self.run["started_at"] = self._think(0.5, 1.5)
        yield self._run_event("thread.run.in_progress", pace=3.0)

    def code_interpreter_step(self, code: str, output: JsonObject) -> Items:
        """``output`` is ``{"type": "logs", "logs": ...}`` or ``{"type": "image", "image": {...}}``."""
        step = self._new_step({"type": "tool_calls", "tool_calls": []})
        yield Emission("thread.run.step.created", step, pace=4.0)
        yield Emission("thread.run.step.in_progress", step)
        call_id = self.ids.new("call_")
        first = {
            "index": 0,
            "id": call_id,
            "type": "code_interpreter",
            "code_interpreter": {"input": "", "outputs": []},
        }
        yield Emission("thread.run.step.delta", objects.step_delta(step["id"], [first]))
        pieces = split_tokens(code)
        for piece in pieces:
            fragment = {"index": 0, "type": "code_interpreter", "code_interpreter": {"input": piece}}
            yield Emission("thread.run.step.delta", objects.step_delta(step["id"], [fragment]))
        self._think(1.0, 4.0)  # the sandbox runs the code
        outputs_delta = {
            "index": 0,
            "type": "code_interpreter",
            "code_interpreter": {"outputs": [{"index": 0, **output}]},
        }
        yield Emission("thread.run.step.delta", objects.step_delta(step["id"], [outputs_delta]), pace=10.0)
        step["step_details"]["tool_calls"] = [
            {
                "id": call_id,
                "type": "code_interpreter",
                "code_interpreter": {"input": code, "outputs": [output]},
            }
        ]
        yield self._complete_step(step, len(pieces))

    def file_search_step(self, results: list[JsonObject]) -> Items:
        step = self._new_step({"type": "tool_calls", "tool_calls": []})
        yield Emission("thread.run.step.created", step, pace=4.0)
        yield Emission("thread.run.step.in_progress", step)
        call_id = self.ids.new("call_")
        ranking = {"ranker": "default_2024_08_21", "score_threshold": 0.0}
        first = {
            "index": 0,
            "id": call_id,
            "type": "file_search",
            "file_search": {"ranking_options": ranking, "results": []},
        }
        yield Emission("thread.run.step.delta", objects.step_delta(step["id"], [first]))
        self._think(1.0, 3.0)
        shown = (
            results
            if self.context.include_file_search_content
            else [{key: value for key, value in result.items() if key != "content"} for result in results]
        )
        step["step_details"]["tool_calls"] = [
            {
                "id": call_id,
                "type": "file_search",
                "file_search": {"ranking_options": ranking, "results": shown},
            }
        ]
        yield self._complete_step(step, 20)

    # ------------------------------------------------------ interruptions
    def cancel(self) -> Items:
        self.run["status"] = "cancelling"
        yield self._run_event("thread.run.cancelling", pace=2.0)
        yield from self._close_open_objects("run_cancelled", "cancelled", "cancelled_at")
        self.run["status"] = "cancelled"
        self.run["cancelled_at"] = self._think(0.2, 1.0)
        self.run["expires_at"] = None
        self.run["required_action"] = None
        self.finish_usage()
        yield self._run_event("thread.run.cancelled")

    def fail(self) -> Items:
        yield from self._close_open_objects("run_failed", "failed", "failed_at")
        self.run["status"] = "failed"
        self.run["failed_at"] = self._think(0.2, 1.0)
        self.run["expires_at"] = None
        self.run["last_error"] = {"code": "server_error", "message": _failure_message()}
        self.finish_usage()
        yield self._run_event("thread.run.failed", pace=2.0)

    def expire(self) -> Items:
        expires_at = self.run["expires_at"]
        if expires_at is not None:
            self.timeline.elapse(max(0, expires_at - self.timeline.now()))
        yield from self._close_open_objects("run_expired", "expired", None)
        self.run["status"] = "expired"
        self.run["required_action"] = None
        self.finish_usage()
        yield self._run_event("thread.run.expired", pace=2.0)

    def stream_error(self, request_id: str) -> Items:
        """An ``error`` event cuts the stream; the run is left failed, as a later poll shows."""
        for _ in self.fail():
            pass
        body = objects.error_body(_stream_error_message(request_id), type_="server_error")
        yield Emission("error", body, pace=5.0)
        yield ABORT

    def _close_open_objects(
        self, message_reason: str, step_status: str, step_timestamp_key: str | None
    ) -> Items:
        message = self.open_message
        if message is not None:
            message["content"] = [objects.text_part("".join(self._open_text))] if self._open_text else []
            message["status"] = "incomplete"
            message["incomplete_details"] = {"reason": message_reason}
            message["incomplete_at"] = self.timeline.now()
            self.open_message = None
            yield Emission("thread.message.incomplete", message)
        step = self.open_step
        if step is not None:
            step["status"] = step_status
            if step_timestamp_key is not None:
                step[step_timestamp_key] = self.timeline.now()
            if step_status == "failed":
                step["last_error"] = {"code": "server_error", "message": _failure_message()}
            self.open_step = None
            yield Emission(f"thread.run.step.{step_status}", step)


def _delta_annotations(plan: TextPlan) -> dict[int, list[JsonObject]]:
    """The plan's citations as run-stream annotations, numbered across the message."""
    marks: dict[int, list[JsonObject]] = {}
    number = 0
    for position in sorted(plan.citations):
        group = marks.setdefault(position, [])
        for citation in plan.citations[position]:
            group.append(_assistants_annotation(citation, number))
            number += 1
    return marks


def _assistants_annotation(citation: Citation, number: int) -> JsonObject:
    """index, type, text, start_index, end_index, then the payload: the API's key order."""
    annotation: JsonObject = {
        "index": number,
        "type": citation.kind,
        "text": citation.marker,
        "start_index": citation.start,
        "end_index": citation.end,
    }
    if citation.kind == "file_path":
        annotation["file_path"] = {"file_id": citation.file_id}
    elif citation.kind == "file_citation":
        annotation["file_citation"] = {"file_id": citation.file_id, "quote": ""}
    else:
        raise Unsupported(f"the Assistants API has no {citation.kind} annotations")
    return annotation


def _settled_annotation(delta_annotation: JsonObject) -> JsonObject:
    """The copy kept in the final message: no ``index``, and citations lose ``quote``."""
    settled = {key: value for key, value in delta_annotation.items() if key != "index"}
    if "file_citation" in settled:
        settled["file_citation"] = {"file_id": settled["file_citation"]["file_id"]}
    return settled


def _failure_message() -> str:
    return content.FAILURE_MESSAGE


def _stream_error_message(request_id: str) -> str:
    return content.STREAM_ERROR_MESSAGE.format(request_id=request_id)
