"""The event sequence of a conversation as short lines, consecutive deltas folded into one.

thread.run.created <run:1>
thread.message.delta x12 <msg:1> +"Hello, wor…"
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from harness.snapshot.placeholders import Placeholders

DELTA_SUFFIX = ".delta"
FRAGMENT_PREVIEW = 40  # characters of accumulated delta text shown on a folded line


@dataclass
class EventSummary:
    """One line: an event, or a run of consecutive deltas to the same object."""

    name: str
    object_id: str | None
    count: int = 1
    fragment: str | None = None  # text the deltas append; None when unknown

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


def summarize(
    names: Sequence[str], object_ids: Sequence[str | None], texts: Sequence[str | None] | None = None
) -> list[EventSummary]:
    """Fold one stream's events; ``texts`` (what each event appends or says, from the transcript)
    adds the text a run of deltas carries and an error's message."""
    lines: list[EventSummary] = []
    for position, (name, object_id) in enumerate(zip(names, object_ids, strict=True)):
        fragment = None
        if texts is not None and (name.endswith(DELTA_SUFFIX) or name == "error"):
            fragment = texts[position] or ""
        last = lines[-1] if lines else None
        if last is not None and last.absorbs(name, object_id):
            last.count += 1
            if fragment is not None:
                last.fragment = (last.fragment or "") + fragment
            continue
        lines.append(EventSummary(name, object_id, 1, fragment))
    return lines
