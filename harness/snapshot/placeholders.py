"""Stable stand-ins for the values that change every time a conversation is recorded.

Ids become ``<run:1>``, ``<msg:2>``... numbered by first appearance, so the same
id is the same placeholder everywhere and two different ids never collapse.
Unix timestamps become offsets from the earliest one (``<t+3s>``), or a bare
``<timestamp>`` when even durations vary between recordings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

TimestampStyle = Literal["offset", "mask"]

# Prefixes as the API writes them, mapped to the placeholder's kind.
_ID_KINDS = {
    "run_": "run",
    "thread_": "thread",
    "msg_": "msg",
    "step_": "step",
    "call_": "call",
    "asst_": "asst",
    "file-": "file",
    "file_": "file",
    "req_": "req",
    "vs_": "vs",
    # Responses API items and Chat Completions
    "resp_": "resp",
    "fc_": "fc",
    "rs_": "rs",
    "ws_": "ws",
    "fs_": "fs",
    "ci_": "ci",
    "ctc_": "ctc",
    "mcp_": "mcp",
    "ig_": "ig",
    "cntr_": "cntr",
    "cfile_": "cfile",
    "conv_": "conv",
    "chatcmpl-": "chatcmpl",
}
# An id's random part is long and never all lower-case letters: that keeps values such as
# "step_completed" or "call_function" out.
ID_PATTERN = re.compile(
    r"(?<![A-Za-z0-9_-])(" + "|".join(re.escape(prefix) for prefix in _ID_KINDS) + r")"
    r"((?=[A-Za-z0-9]*[A-Z0-9])[A-Za-z0-9]{8,})(?![A-Za-z0-9_-])"
)

TIMESTAMP_KEYS = frozenset(
    {
        "created_at",
        "started_at",
        "expires_at",
        "completed_at",
        "cancelled_at",
        "failed_at",
        "incomplete_at",
        "updated_at",
        "last_active_at",
        "created",  # chat.completion(.chunk)
    }
)
# Values that are random on every recording and mean nothing to a reader: masked whole.
MASKED_KEYS = frozenset({"obfuscation"})  # Responses and Chat per-delta padding against side channels
MASKED = "<masked>"
# Before 2001 or after 2286: not a Unix timestamp in seconds.
_EPOCH_RANGE = (1_000_000_000, 9_999_999_999)


class Placeholder(str):
    """A normalized value; text renderers print it bare instead of as a quoted string."""

    __slots__ = ()


def is_masked(key: object, value: object) -> bool:
    return isinstance(key, str) and key in MASKED_KEYS and isinstance(value, str)


def is_timestamp(key: object, value: object) -> bool:
    return (
        isinstance(key, str)
        and key in TIMESTAMP_KEYS
        and isinstance(value, int | float)
        and not isinstance(value, bool)
        and _EPOCH_RANGE[0] <= value <= _EPOCH_RANGE[1]
    )


class Placeholders:
    """The mapping from volatile values to placeholders for one snapshot."""

    def __init__(self, timestamps: TimestampStyle = "offset") -> None:
        if timestamps not in ("offset", "mask"):
            raise ValueError(f"timestamps must be 'offset' or 'mask', got {timestamps!r}")
        self.timestamps = timestamps
        self._ids: dict[str, Placeholder] = {}
        self._counts: dict[str, int] = {}
        self._first_timestamp: float | None = None

    def see_timestamps(self, values: Iterable[float]) -> None:
        """Offsets count from the earliest timestamp given here (before any is replaced)."""
        for value in values:
            if self._first_timestamp is None or value < self._first_timestamp:
                self._first_timestamp = value

    def see_ids(self, text: str) -> None:
        """Number the ids in ``text`` now (the order of first appearance decides the numbers)."""
        for match in ID_PATTERN.finditer(text):
            self._id(match.group(0), _ID_KINDS[match.group(1)])

    def _id(self, value: str, kind: str) -> Placeholder:
        placeholder = self._ids.get(value)
        if placeholder is None:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            placeholder = self._ids[value] = Placeholder(f"<{kind}:{self._counts[kind]}>")
        return placeholder

    def text(self, text: str) -> str:
        """``text`` with every id replaced; a value that is one id becomes a :class:`Placeholder`."""
        whole = ID_PATTERN.fullmatch(text)
        if whole is not None:
            return self._id(text, _ID_KINDS[whole.group(1)])
        return ID_PATTERN.sub(lambda match: self._id(match.group(0), _ID_KINDS[match.group(1)]), text)

    def timestamp(self, value: float) -> Placeholder:
        if self.timestamps == "mask":
            return Placeholder("<timestamp>")
        if self._first_timestamp is None:
            self._first_timestamp = value
        offset = value - self._first_timestamp
        shown = f"{offset:+g}"
        return Placeholder(f"<t{shown}s>")
