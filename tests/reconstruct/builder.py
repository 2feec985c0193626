"""Build synthetic run streams whose objects have the shapes of the real corpus (cassettes/real/)."""

from __future__ import annotations

import copy
import json
from typing import Any

from harness.sse import ServerSentEvent, encode_events

CREATED_AT = 1761861531


def run_object(run_id: str, status: str, **changes: Any) -> dict[str, Any]:
    run: dict[str, Any] = {
        "id": run_id,
        "object": "thread.run",
        "created_at": CREATED_AT,
        "assistant_id": "asst_test",
        "thread_id": "thread_test",
        "status": status,
        "started_at": None,
        "expires_at": CREATED_AT + 600,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "required_action": None,
        "last_error": None,
        "model": "gpt-4o",
        "instructions": None,
        "tools": [],
        "tool_resources": {},
        "metadata": {},
        "temperature": 1.0,
        "top_p": 1.0,
        "reasoning_effort": None,
        "max_completion_tokens": None,
        "max_prompt_tokens": None,
        "truncation_strategy": {"type": "auto", "last_messages": None},
        "incomplete_details": None,
        "usage": None,
        "response_format": "auto",
        "tool_choice": "auto",
        "parallel_tool_calls": True,
    }
    run.update(changes)
    return run


def step_object(step_id: str, status: str, details: dict[str, Any], **changes: Any) -> dict[str, Any]:
    step: dict[str, Any] = {
        "id": step_id,
        "object": "thread.run.step",
        "created_at": CREATED_AT,
        "run_id": "run_test",
        "assistant_id": "asst_test",
        "thread_id": "thread_test",
        "type": details["type"],
        "status": status,
        "cancelled_at": None,
        "completed_at": None,
        "expires_at": CREATED_AT + 600,
        "failed_at": None,
        "last_error": None,
        "step_details": details,
        "usage": None,
    }
    step.update(changes)
    return step


def message_object(
    message_id: str, status: str, content: list[dict[str, Any]], **changes: Any
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "id": message_id,
        "object": "thread.message",
        "created_at": CREATED_AT,
        "assistant_id": "asst_test",
        "thread_id": "thread_test",
        "run_id": "run_test",
        "status": status,
        "incomplete_details": None,
        "incomplete_at": None,
        "completed_at": None,
        "role": "assistant",
        "content": content,
        "attachments": [],
        "metadata": {},
    }
    message.update(changes)
    return message


USAGE = {"prompt_tokens": 260, "completion_tokens": 12, "total_tokens": 272}


class StreamBuilder:
    """Append events in order; ``body()`` gives the `text/event-stream` bytes."""

    def __init__(self, run_id: str = "run_test") -> None:
        self.run_id = run_id
        self.events: list[ServerSentEvent] = []

    def add(self, name: str, data: Any) -> StreamBuilder:
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        self.events.append(ServerSentEvent(name, text))
        return self

    def run(self, name: str, status: str, **changes: Any) -> StreamBuilder:
        return self.add(f"thread.run.{name}", run_object(self.run_id, status, **changes))

    def run_start(self, *, created: bool = True) -> StreamBuilder:
        if created:
            self.run("created", "queued")
        self.run("queued", "queued")
        return self.run("in_progress", "in_progress", started_at=CREATED_AT + 1)

    def step(
        self, name: str, step_id: str, status: str, details: dict[str, Any], **changes: Any
    ) -> StreamBuilder:
        return self.add(
            f"thread.run.step.{name}", step_object(step_id, status, copy.deepcopy(details), **changes)
        )

    def step_delta(self, step_id: str, tool_calls: list[dict[str, Any]]) -> StreamBuilder:
        return self.add(
            "thread.run.step.delta",
            {
                "id": step_id,
                "object": "thread.run.step.delta",
                "delta": {"step_details": {"type": "tool_calls", "tool_calls": tool_calls}},
            },
        )

    def message_delta(self, message_id: str, content: list[dict[str, Any]]) -> StreamBuilder:
        return self.add(
            "thread.message.delta",
            {"id": message_id, "object": "thread.message.delta", "delta": {"content": content}},
        )

    def text_message(
        self,
        message_id: str,
        fragments: list[str],
        *,
        step_id: str | None = None,
        annotations: dict[int, dict[str, Any]] | None = None,
        final: str = "completed",
        finish: bool = True,
    ) -> StreamBuilder:
        """A message_creation step whose message streams ``fragments``; ``annotations`` maps a fragment
        position to an annotation sent with that fragment (as the real file_citation deltas are)."""
        step_id = step_id or "step_" + message_id[4:]
        details = {"type": "message_creation", "message_creation": {"message_id": message_id}}
        self.step("created", step_id, "in_progress", details).step(
            "in_progress", step_id, "in_progress", details
        )
        self.add("thread.message.created", message_object(message_id, "in_progress", []))
        self.add("thread.message.in_progress", message_object(message_id, "in_progress", []))
        sent_annotations: list[dict[str, Any]] = []
        for position, fragment in enumerate(fragments):
            text: dict[str, Any] = {"value": fragment}
            if position == 0:
                text["annotations"] = []
            if annotations and position in annotations:
                annotation = {"index": len(sent_annotations), **annotations[position]}
                sent_annotations.append(annotation)
                text["annotations"] = [annotation]
            self.message_delta(message_id, [{"index": 0, "type": "text", "text": text}])
        if not finish:
            return self
        final_annotations = [{k: v for k, v in a.items() if k != "index"} for a in sent_annotations]
        content = [{"type": "text", "text": {"value": "".join(fragments), "annotations": final_annotations}}]
        done_fields: dict[str, Any] = (
            {"completed_at": CREATED_AT + 5}
            if final == "completed"
            else {"incomplete_at": CREATED_AT + 5, "incomplete_details": {"reason": "max_tokens"}}
        )
        self.add(f"thread.message.{final}", message_object(message_id, final, content, **done_fields))
        return self.step("completed", step_id, "completed", details, completed_at=CREATED_AT + 5, usage=USAGE)

    def done(self) -> StreamBuilder:
        return self.add("done", "[DONE]")

    def body(self) -> bytes:
        return encode_events(self.events)
