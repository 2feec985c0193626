"""A small streaming client under test, with bugs that can be switched on one at a time.

It reads the bytes of each stream as they arrive (chunk by chunk), splits
events, and builds what a chat UI would show: the text of every message
part, the arguments of every function call, the errors. The bugs:

* ``decode_per_chunk``: decodes each network read on its own, so a read
  that ends inside a multi-byte UTF-8 character garbles it;
* ``first_part_only``: ignores message content parts other than index 0;
* ``error_resets_message``: an ``error`` event wipes the text of the message
  being streamed instead of keeping what arrived.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.cassette.model import Cassette


@dataclass
class ToyView:
    texts: dict[str, dict[int, str]] = field(default_factory=dict)
    arguments: dict[tuple[str, int], str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class ToyParser:
    decode_per_chunk: bool = False
    first_part_only: bool = False
    error_resets_message: bool = False

    def view(self, cassette: Cassette) -> ToyView:
        view = ToyView()
        for stream in cassette.streams:
            self._read(stream.chunks(), view)
        return view

    def _read(self, chunks: list[bytes], view: ToyView) -> None:
        pending_bytes = b""
        pending_text = ""
        current: list[str | None] = [None]
        for chunk in chunks:
            if self.decode_per_chunk:
                pending_text += chunk.decode("utf-8", "replace")
            else:
                pending_bytes += chunk
                cut = pending_bytes.rfind(b"\n\n")
                if cut >= 0:
                    pending_text += pending_bytes[: cut + 2].decode("utf-8")
                    pending_bytes = pending_bytes[cut + 2 :]
            while "\n\n" in pending_text:
                block, pending_text = pending_text.split("\n\n", 1)
                self._event(block, view, current)

    def _event(self, block: str, view: ToyView, current: list[str | None]) -> None:
        name, data = "message", ""
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data = line[5:].strip()
        if name == "done" or not data:
            return
        payload: Any = json.loads(data)
        if name == "thread.message.created":
            view.texts[payload["id"]] = {}
            current[0] = payload["id"]
        elif name == "thread.message.delta":
            parts = view.texts.setdefault(payload["id"], {})
            current[0] = payload["id"]
            for piece in payload["delta"].get("content", []):
                if self.first_part_only and piece["index"] != 0:
                    continue
                if piece.get("type") == "text":
                    value = (piece.get("text") or {}).get("value") or ""
                    parts[piece["index"]] = parts.get(piece["index"], "") + value
        elif name == "thread.run.step.delta":
            details = payload["delta"].get("step_details") or {}
            for call in details.get("tool_calls") or []:
                function = call.get("function") or {}
                key = (payload["id"], call["index"])
                view.arguments[key] = view.arguments.get(key, "") + (function.get("arguments") or "")
        elif name == "error":
            view.errors.append(str((payload.get("error") or {}).get("message")))
            if self.error_resets_message and current[0] is not None:
                view.texts[current[0]] = {}


CORRECT = ToyParser()


def exposes(bug: ToyParser) -> Callable[[Cassette], bool]:
    """A shrink predicate: the buggy parser shows something else than the correct one."""

    def still_fails(cassette: Cassette) -> bool:
        return bug.view(cassette) != CORRECT.view(cassette)

    return still_fails
