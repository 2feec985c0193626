"""What the harness reconstructs from a cassette, in the terms the generated test asserts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.cassette.model import Cassette
from harness.reconstruct import reconstruct


@dataclass(frozen=True)
class Expectations:
    final_status: str | None
    messages: list[dict[str, Any]]  # role, status and the text of each content part, in order
    diagnostics: list[str]  # diagnostic codes, in order
    events: int


def expectations_of(cassette: Cassette) -> Expectations:
    streams = cassette.event_streams()
    transcript = reconstruct(streams)
    final = transcript.final_run
    return Expectations(
        final_status=final.get("status") if isinstance(final, dict) else None,
        messages=[describe_message(message) for message in transcript.messages],
        diagnostics=[diagnostic.code for diagnostic in transcript.diagnostics],
        events=sum(len(events) for events in streams),
    )


def describe_message(message: Any) -> dict[str, Any]:
    """Role, status and parts of a reconstructed message; a part that is not text shows as its type."""
    if not isinstance(message, dict):
        return {"role": None, "status": None, "parts": []}
    parts = message.get("content") or []
    return {
        "role": message.get("role"),
        "status": message.get("status"),
        "parts": [_part_text(part) for part in parts] if isinstance(parts, list) else [],
    }


def _part_text(part: Any) -> str:
    if not isinstance(part, dict):
        return repr(part)
    if part.get("type") == "text" and isinstance(part.get("text"), dict):
        return str(part["text"].get("value", ""))
    return f"[{part.get('type')}]"
