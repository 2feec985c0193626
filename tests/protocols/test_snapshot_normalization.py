"""Snapshots of Responses and Chat objects are stable across recordings: ids, times and padding normalized."""

from __future__ import annotations

import json
from pathlib import Path

from harness.protocols.chat_fold import fold_chat
from harness.protocols.responses_fold import fold_responses
from harness.snapshot.normalizer import normalize, timestamps_in
from harness.snapshot.placeholders import Placeholders
from harness.sse import parse_sse

REAL = Path(__file__).resolve().parents[2] / "cassettes" / "real"


def normalized(value: object) -> object:
    placeholders = Placeholders()
    placeholders.see_timestamps(timestamps_in(value))
    return normalize(value, placeholders)


def test_response_ids_become_related_placeholders_and_times_offsets() -> None:
    name = "104-pydantic-ai-responses-reasoning-commentary-function-call.sse"
    body = (REAL / "responses" / name).read_bytes()
    final = fold_responses([parse_sse(body)]).final_response
    shown = normalized(final)
    assert isinstance(shown, dict)
    assert shown["id"] == "<resp:1>"
    assert [item["id"] for item in shown["output"]] == ["<rs:1>", "<msg:1>", "<fc:1>"]
    assert shown["output"][2]["call_id"] == "<call:1>"
    assert (shown["created_at"], shown["completed_at"]) == ("<t+0s>", "<t+2s>")
    assert "resp_0fabc" not in json.dumps(shown)


def test_the_per_delta_obfuscation_is_masked_and_sequence_numbers_are_kept() -> None:
    body = (REAL / "responses" / "101-openllmetry-responses-text-unicode.sse").read_bytes()
    events = [json.loads(event.data) for event in parse_sse(body)]
    shown = normalized(events[4])
    assert isinstance(shown, dict)
    assert shown["obfuscation"] == "<masked>"
    assert shown["item_id"] == "<msg:1>"
    # sequence numbers are the event's position in its stream: stable, so left as they are
    assert shown["sequence_number"] == 4


def test_chat_completion_ids_and_created_are_normalized() -> None:
    body = (REAL / "chat" / "203-pydantic-ai-chat-tool-call-usage-chunk.sse").read_bytes()
    final = fold_chat([parse_sse(body)]).final_completion
    shown = normalized(final)
    assert isinstance(shown, dict)
    assert shown["id"] == "<chatcmpl:1>"
    assert shown["created"] == "<t+0s>"
    assert shown["choices"][0]["message"]["tool_calls"][0]["id"] == "<call:1>"
