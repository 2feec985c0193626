"""How ``*.delta`` fragments fold into their object, through ``reconstruct`` and the Assistants folder:
a value of another kind is replaced, malformed list entries are skipped one by one, snapshot lists
keep what is not an object, and a transcript is a value that later events never change."""

from __future__ import annotations

import json
from typing import Any

from harness import reconstruct
from harness.protocols import by_name
from harness.sse import ServerSentEvent


def _event(name: str, data: dict[str, Any]) -> ServerSentEvent:
    return ServerSentEvent(name, json.dumps(data))


def _created(**fields: Any) -> ServerSentEvent:
    message = {"id": "msg_1", "object": "thread.message", "status": "in_progress", "role": "assistant"}
    return _event("thread.message.created", {**message, "content": [], **fields})


def _delta(**delta: Any) -> ServerSentEvent:
    return _event("thread.message.delta", {"id": "msg_1", "object": "thread.message.delta", "delta": delta})


def _codes(events: list[ServerSentEvent]) -> list[str]:
    return [diagnostic.code for diagnostic in reconstruct(events).diagnostics]


def test_a_string_replaces_a_value_of_another_kind() -> None:
    for before in (3, True, [1], {"a": 1}):
        (message,) = reconstruct([_created(note=before), _delta(note="now a string")]).messages
        assert message["note"] == "now a string"


def test_a_malformed_entry_of_an_indexed_list_skips_only_itself() -> None:
    pieces = [
        {"index": 0, "type": "text", "text": {"value": "a"}},
        "not an object",
        {"index": 1, "type": "text", "text": {"value": "b"}},
        {"type": "text", "text": {"value": "no index"}},
        {"index": 2, "type": "text", "text": {"value": "c"}},
    ]
    events = [_created(), _delta(content=pieces)]
    (message,) = reconstruct(events).messages
    assert [part["text"]["value"] for part in message["content"]] == ["a", "b", "c"]
    assert _codes(events) == ["invalid-delta", "invalid-delta", "missing-done"]


def test_a_snapshot_list_keeps_entries_that_are_not_objects_when_deltas_extend_it() -> None:
    events = [_created(content=[7, "index"]), _delta(content=[{"index": 2, "type": "text"}])]
    (message,) = reconstruct(events).messages
    assert message["content"] == [7, "index", {"type": "text"}]


def test_the_messages_of_a_transcript_taken_mid_stream_are_not_changed_by_later_deltas() -> None:
    folder = by_name("assistants").new_folder()
    for event in (_created(attachments=[]), _delta(attachments=[{"file_id": "a", "tools": []}])):
        folder.feed(event)
    early = folder.transcript().to_dict()["messages"]
    before = json.loads(json.dumps(early))
    folder.feed(_delta(attachments=[{"file_id": "b", "tools": []}]))
    folder.end_stream()
    late = folder.transcript().to_dict()
    assert early == before
    assert [entry["file_id"] for entry in late["messages"][0]["attachments"]] == ["a", "b"]
