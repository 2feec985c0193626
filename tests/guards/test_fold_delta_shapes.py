"""The Assistants fold's message deltas in shapes its quick path for text must hand to the general
merge, a snapshot between deltas, and a stream still open when the transcript is taken."""

from __future__ import annotations

import json
from typing import Any

from harness import reconstruct
from harness.protocols import DEFAULT
from harness.sse import ServerSentEvent
from tests.guards.test_fold_message_rules import MESSAGE

TEXT = {"index": 0, "type": "text", "text": {"value": " world"}}


def _event(name: str, data: Any) -> ServerSentEvent:
    return ServerSentEvent(name, json.dumps(data))


def _delta(piece: dict[str, Any]) -> ServerSentEvent:
    return _event("thread.message.delta", {"id": "msg_1", "delta": {"content": [piece]}})


def _part(events: list[ServerSentEvent]) -> tuple[Any, set[str]]:
    transcript = reconstruct([_event("thread.message.created", MESSAGE), *events])
    return transcript.messages[0]["content"][0], {d.code for d in transcript.diagnostics}


def test_a_text_delta_with_another_key_beside_its_text_keeps_that_key() -> None:
    piece = {"index": 0, "type": "text", "text": {"value": "!"}, "note": "kept"}
    part, _ = _part([_delta(TEXT), _delta(piece)])  # the first delta makes the text a run of pieces
    assert part["text"]["value"] == "Hello world!"
    assert part["note"] == "kept"


def test_a_text_delta_whose_value_is_no_string_replaces_the_text_instead_of_joining_it() -> None:
    """As the general merge does with any value that is no string; never a text joined from pieces
    one of which is a number."""
    part, codes = _part([_delta(TEXT), _delta({"index": 0, "type": "text", "text": {"value": 5}})])
    assert part["text"]["value"] == 5
    assert "internal-error" not in codes


def test_deltas_before_a_snapshot_are_not_held_against_the_final_snapshot() -> None:
    """The in-progress snapshot restates the message (here with other text than the deltas built):
    only deltas after it are compared with the completed message, and none came."""
    more = {**MESSAGE, "content": [{"type": "text", "text": {"value": "Hello there", "annotations": []}}]}
    final = {**MESSAGE, "status": "completed"}
    final["content"] = [{"type": "text", "text": {"value": "Hello there!", "annotations": []}}]
    events = [
        _delta(TEXT),
        _event("thread.message.in_progress", more),
        _event("thread.message.completed", final),
    ]
    part, codes = _part(events)
    assert part["text"]["value"] == "Hello there!"
    assert "delta-snapshot-mismatch" not in codes, codes


def test_a_stream_not_ended_yet_is_a_stream_of_the_transcript() -> None:
    folder = DEFAULT.new_folder()
    folder.feed(_event("thread.message.created", MESSAGE))
    folder.feed(_delta({"index": 0, "type": "text", "text": {"value": " world"}}))
    transcript = folder.transcript()
    assert transcript.stream_starts == [0]
    assert len(transcript.event_names) == 2


def test_an_error_event_whose_data_is_no_object_is_shown_without_an_internal_error() -> None:
    """Kept for views (the timeline, snapshots), its data is any JSON: a list, a number, a string;
    the timeline shows it as JSON reads, never as a Python repr."""
    shown = {'["a", 2]': '["a", 2]', "5": "5", "true": "true", '"boom"': "boom", "null": ""}
    for data, text in shown.items():
        transcript = reconstruct([ServerSentEvent("error", data)], views=True)
        codes = {d.code for d in transcript.diagnostics}
        assert "internal-error" not in codes, (data, transcript.diagnostics)
        assert "error-event" in codes
        assert transcript.event_texts == [text] and transcript.event_statuses == [None]
