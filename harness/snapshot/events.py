"""The event sequence of a conversation as short lines, consecutive deltas folded into one.

thread.run.created <run:1>
thread.message.delta x12 <msg:1> +"Hello, wor…"
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.snapshot.placeholders import Placeholders
from harness.sse.event import ServerSentEvent

DELTA_SUFFIX = ".delta"
FRAGMENT_PREVIEW = 40  # characters of accumulated delta text shown on a folded line


@dataclass
class EventSummary:
    """One line: an event, or a run of consecutive deltas to the same object."""

    name: str
    object_id: str | None
    count: int = 1
    fragment: str | None = None  # text the deltas append; None when unknown (no raw events)

    def absorbs(self, name: str, object_id: str | None) -> bool:
        return name.endswith(DELTA_SUFFIX) and name == self.name and object_id == self.object_id

    def line(self, placeholders: Placeholders) -> str:
        parts = [self.name]
        if self.count > 1:
            parts.append(f"x{self.count}")
        if self.object_id is not None:
            parts.append(placeholders.text(self.object_id))
        if self.fragment:
            sign = "" if self.name == "error" else "+"
            parts.append(sign + _preview(placeholders.text(self.fragment)))
        return " ".join(parts)


def _preview(text: str) -> str:
    if len(text) > FRAGMENT_PREVIEW:
        text = text[:FRAGMENT_PREVIEW] + "…"
    return json.dumps(text, ensure_ascii=False)


def _parse(data: str) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


def delta_fragment(payload: Any) -> str:
    """The text a delta appends: message text, tool-call arguments, code input, function names."""
    if not isinstance(payload, dict) or not isinstance(payload.get("delta"), dict):
        return ""
    delta = payload["delta"]
    pieces: list[str] = []
    for part in delta.get("content") or ():
        text = part.get("text") if isinstance(part, dict) else None
        if isinstance(text, dict) and isinstance(text.get("value"), str):
            pieces.append(text["value"])
    details = delta.get("step_details")
    calls = details.get("tool_calls") if isinstance(details, dict) else None
    for call in calls or ():
        if not isinstance(call, dict):
            continue
        for key in ("function", "code_interpreter"):
            body = call.get(key)
            if isinstance(body, dict):
                for field in ("arguments", "input"):
                    if isinstance(body.get(field), str):
                        pieces.append(body[field])
    return "".join(pieces)


def error_message(payload: Any) -> str:
    error = payload.get("error", payload) if isinstance(payload, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return message if isinstance(message, str) else ""


def summarize(
    names: Sequence[str], object_ids: Sequence[str | None], events: Sequence[ServerSentEvent] | None = None
) -> list[EventSummary]:
    """Fold one stream's events; ``events`` (the raw ones) adds the text the deltas carry."""
    lines: list[EventSummary] = []
    for position, (name, object_id) in enumerate(zip(names, object_ids, strict=True)):
        fragment = None
        if events is not None and name.endswith(DELTA_SUFFIX):
            fragment = delta_fragment(_parse(events[position].data))
        elif events is not None and name == "error":
            fragment = error_message(_parse(events[position].data))
        last = lines[-1] if lines else None
        if last is not None and last.absorbs(name, object_id):
            last.count += 1
            if fragment is not None:
                last.fragment = (last.fragment or "") + fragment
            continue
        lines.append(EventSummary(name, object_id, 1, fragment))
    return lines
