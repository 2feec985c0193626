"""A conversation in no API's words, and how two of them differ.

The view keeps what a migration must not change: the user's and the
assistant's messages with their text (a refusal is its own kind of turn), each
function call with its name and parsed arguments, each tool output with the
name of the call it answers, in order, and the final status. It leaves out what
differs by API even when nothing changed: ids, timestamps, usage, streaming
granularity, reasoning, the server-side tools (web search, file search, code
interpreter) and annotations.

Final statuses: ``completed``, ``incomplete`` (a token limit), ``failed``,
``cancelled``, ``expired``, ``requires_action`` (the conversation stops waiting
for tool outputs), ``error`` (the stream ended with an error from the server),
``in_progress`` (the stream was cut) and ``empty`` (nothing was streamed).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

TurnKind = Literal["user", "assistant", "refusal", "tool_call", "tool_output"]


@dataclass(frozen=True)
class Turn:
    kind: TurnKind
    text: str = ""  # message text, refusal text or tool output
    name: str = ""  # the function of a tool call, or of the call a tool output answers
    arguments: Any = None  # a tool call's arguments, parsed (the raw string when not JSON)

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "tool_call":
            return {"kind": self.kind, "name": self.name, "arguments": self.arguments}
        if self.kind == "tool_output":
            return {"kind": self.kind, "name": self.name, "output": self.text}
        return {"kind": self.kind, "text": self.text}

    def line(self, limit: int | None = 120) -> str:
        """One line; strings longer than ``limit`` are cut (None: never)."""
        if self.kind == "tool_call":
            return f"tool call {self.name}({_compact(self.arguments, limit)})"
        if self.kind == "tool_output":
            return f"tool output for {self.name or '?'}: {_compact(self.text, limit)}"
        return f"{self.kind}: {_compact(self.text, limit)}"


@dataclass(frozen=True)
class ConversationView:
    """``protocol`` says where the view came from; it is not part of what is compared."""

    turns: tuple[Turn, ...] = ()
    status: str = "empty"
    protocol: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``run_snapshot`` asserts this, so it holds no protocol)."""
        return {"turns": [turn.to_dict() for turn in self.turns], "status": self.status}

    def lines(self, limit: int | None = 120) -> list[str]:
        """Numbered turns, then the final status (``limit``: see :meth:`Turn.line`)."""
        return [f"{number}. {turn.line(limit)}" for number, turn in enumerate(self.turns, 1)] + [
            f"final status: {self.status}"
        ]


def parsed_arguments(arguments: Any) -> Any:
    """A call's arguments as JSON values, so formatting differences between APIs do not count."""
    if not isinstance(arguments, str):
        return arguments
    try:
        return json.loads(arguments)
    except ValueError:
        return arguments


def differences(old: ConversationView, new: ConversationView, old_name: str, new_name: str) -> list[str]:
    """A readable report of how ``new`` tells a different conversation than ``old`` (empty: same)."""
    if old == new:
        return []
    report: list[str] = []
    for number, (before, after) in enumerate(zip(old.turns, new.turns, strict=False), 1):
        if before != after:
            report.append(f"turn {number} differs:")
            report.append(f"  {old_name}: {before.line()}")
            report.append(f"  {new_name}: {after.line()}")
            report.extend(_argument_changes(before, after))
            break
    if len(old.turns) != len(new.turns):
        report.append(f"{old_name} has {len(old.turns)} turns, {new_name} has {len(new.turns)}")
    if old.status != new.status:
        report.append(f"final status: {old_name} {old.status}, {new_name} {new.status}")
    diff = difflib.unified_diff(old.lines(), new.lines(), old_name, new_name, lineterm="", n=1)
    return [*report, "", *diff]


def _argument_changes(before: Turn, after: Turn) -> list[str]:
    if before.kind != "tool_call" or after.kind != "tool_call":
        return []
    old, new = before.arguments, after.arguments
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    lines: list[str] = []
    for key in sorted(set(old) | set(new), key=str):
        if old.get(key, _MISSING) != new.get(key, _MISSING):
            lines.append(f"  argument {key!r}: {_shown(old, key)} -> {_shown(new, key)}")
    return lines


_MISSING = object()


def _shown(arguments: dict[str, Any], key: str) -> str:
    return _compact(arguments[key]) if key in arguments else "(absent)"


def _compact(value: Any, limit: int | None = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    shown = json.dumps(text, ensure_ascii=False) if isinstance(value, str) else text
    return shown if limit is None or len(shown) <= limit else shown[: limit - 3] + "..."
