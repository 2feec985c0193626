"""The Assistants protocol: one status rule for models and fold, one streamed-strings rule the fold,
the scrubber, shrink and the views share, severities, and picking the protocol of a stream."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness import reconstruct
from harness.models import typed_event
from harness.protocols import DEFAULT, PROTOCOLS, assistants, by_name, claimed_by, protocol_for
from harness.sse import ServerSentEvent, parse_sse
from tests.reconstruct.corpus import CORPUS_FILES


def _run(status: object) -> str:
    return json.dumps({"id": "run_abc", "object": "thread.run", "status": status})


@pytest.mark.parametrize(
    ("name", "status", "mismatch"),
    [
        ("thread.run.created", "queued", False),
        ("thread.run.created", "in_progress", True),  # a run is created queued
        ("thread.run.completed", "incomplete", True),  # cassettes/real/002
        ("thread.run.completed", "completed", False),
        ("thread.run.step.created", "in_progress", False),
        ("thread.message.created", "completed", True),
        ("thread.run.failed", None, True),  # a status the event names is missing
        ("thread.run.failed", [], True),
    ],
)
def test_models_and_fold_apply_one_status_rule(name: str, status: object, mismatch: bool) -> None:
    event = ServerSentEvent(name, _run(status))
    typed = {d.code for d in typed_event(event, 0).diagnostics}
    folded = set(reconstruct([event, ServerSentEvent("done", "[DONE]")]).diagnostic_codes())
    assert ("status-mismatch" in typed) is mismatch
    assert ("status-mismatch" in folded) is mismatch


def test_the_mismatch_message_is_the_same_for_both() -> None:
    event = ServerSentEvent("thread.run.created", _run("in_progress"))
    typed = [d for d in typed_event(event, 3).diagnostics if d.code == "status-mismatch"]
    folded = [d for d in reconstruct([event]).diagnostics if d.code == "status-mismatch"]
    assert [d.message for d in typed] == [d.message for d in folded]
    assert (
        typed[0].message
        == "thread.run.created carries status 'in_progress', expected 'queued'; the data is kept"
    )


def _delta(delta: dict[str, Any], object_id: str = "step_1") -> dict[str, Any]:
    return {"id": object_id, "object": "thread.run.step.delta", "delta": delta}


def test_streamed_strings_cover_code_input_logs_and_annotations() -> None:
    step = _delta(
        {
            "step_details": {
                "type": "tool_calls",
                "tool_calls": [
                    {
                        "index": 0,
                        "id": "call_1",
                        "type": "code_interpreter",
                        "code_interpreter": {
                            "input": "print(1)",
                            "outputs": [{"index": 0, "type": "logs", "logs": "1\n"}],
                        },
                    }
                ],
            }
        }
    )
    found = list(assistants.streamed_strings("thread.run.step.delta", step))
    assert [(piece.path[-1], piece.value) for piece in found] == [("input", "print(1)"), ("logs", "1\n")]
    assert found[1].path == (
        "delta",
        "step_details",
        "tool_calls",
        0,
        "code_interpreter",
        "outputs",
        0,
        "logs",
    )
    message = {
        "id": "msg_1",
        "delta": {
            "content": [
                {
                    "index": 2,
                    "type": "text",
                    "text": {
                        "value": "see",
                        "annotations": [{"index": 0, "type": "file_citation", "text": "【4†s】"}],
                    },
                }
            ]
        },
    }
    pieces = list(assistants.streamed_strings("thread.message.delta", message))
    assert [piece.value for piece in pieces] == ["see", "【4†s】"]
    assert pieces[0].key == ("msg_1", "content", 2, "text", "value")  # by `index`, not list position
    assert list(assistants.streamed_strings("thread.run.completed", message)) == []


def _strings_at(node: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], str]:
    found: dict[tuple[Any, ...], str] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            found.update(_strings_at(value, (*path, key)))
    elif isinstance(node, list):
        for position, value in enumerate(node):
            found.update(_strings_at(value, (*path, position)))
    elif isinstance(node, str):
        found[path] = node
    return found


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name[:3])
def test_the_pieces_of_each_streamed_string_join_into_what_the_fold_built(path: Any) -> None:
    """Joined by key, the pieces give each string of the final objects (the corpus numbers list
    entries 0, 1, ... so an entry's `index` is its position in the fold's list)."""
    events = parse_sse(path.read_bytes())
    joined: dict[tuple[Any, ...], str] = {}
    for event in events:
        payload = json.loads(event.data) if event.data.startswith("{") else None
        for piece in assistants.streamed_strings(event.event, payload):
            joined[piece.key] = joined.get(piece.key, "") + piece.value
    transcript = reconstruct(events)
    built = {
        (item["id"], *where): value
        for item in [*transcript.messages, *transcript.run_steps]
        for where, value in _strings_at(item).items()
    }
    assert joined or "delta" not in path.read_text()
    for key, value in joined.items():
        if key[-1] != "quote":  # the terminal snapshot drops an annotation's delta-only `quote`
            assert built[key] == value, key


def test_severities() -> None:
    assert assistants.CODES["reference-deviation"] == "info"
    assert assistants.CODES["status-mismatch"] == "warning"
    assert assistants.CODES["delta-snapshot-mismatch"] == "error"
    assert set(assistants.CODES) >= {"unknown-field", "unknown-type", "internal-error", "empty-stream"}


def test_picking_the_protocol_of_a_stream() -> None:
    assert PROTOCOLS[0] is DEFAULT is by_name("assistants")
    assert protocol_for(path="/v1/threads/thread_1/runs", body=b"{}") is DEFAULT
    assert claimed_by(["thread.run.created", "done"]) is DEFAULT
    assert claimed_by(["message", "done"]) is None
    assert protocol_for(events=["ping"]) is DEFAULT  # the default when nothing claims a stream
    # a stream of unnamed events is chat chunks (they come without an `event:` line)
    assert protocol_for(events=["message"]) is by_name("chat.completions")
    assert protocol_for(events=["response.created"]) is by_name("responses")
    assert protocol_for(path="/v1/responses", events=["message"]) is by_name("responses")
    with pytest.raises(KeyError, match=r"known: assistants, responses, chat\.completions"):
        by_name("smoke-signals")
