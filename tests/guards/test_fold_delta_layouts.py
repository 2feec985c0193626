"""A message delta folds the same whatever its JSON layout: the API's compact one and ``json.dumps``'s
spaced one (read from the raw data), and any other (parsed), through ``reconstruct`` with views:
texts, object ids, the final messages and every diagnostic agree, for ids, part indexes and texts
of every kind (escapes, unicode, parts not yet created, messages already completed)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

import pytest

from harness import reconstruct
from harness.sse import ServerSentEvent
from tests.guards.test_reconstruct import _message

TEXTS = ["Hel", "lo", "", " \u00e9\U0001f30d", 'quote " and \\ back', "line\nbreak\ttab", "\u2028", "}}]}}"]
INDEXES = [0, 0, 0, 1, 2, 99, 100, 150]
IDS = ["msg_1", "msg_1", "msg_1", "msg_2", "msg_ghost"]


def _delta(message_id: str, index: int, text: str) -> dict[str, Any]:
    content = [{"index": index, "type": "text", "text": {"value": text}}]
    return {"id": message_id, "object": "thread.message.delta", "delta": {"content": content}}


LAYOUTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "compact": lambda value: json.dumps(value, separators=(",", ":"), ensure_ascii=False),
    "spaced": lambda value: json.dumps(value, ensure_ascii=False),
    "ascii": lambda value: json.dumps(value, separators=(",", ":")),
    "indented": lambda value: json.dumps(value, indent=1),
    "reordered": lambda value: json.dumps(dict(reversed(list(value.items())))),
}


def _conversation(rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    """Events of a random conversation as (name, payload); deltas are the common text delta."""
    start: list[Any] = rng.choice(
        [[], [{"type": "text", "text": {"value": "Hi", "annotations": []}}], [{"type": "image_file"}]]
    )
    events: list[tuple[str, dict[str, Any]]] = [
        ("thread.message.created", _message("msg_1", "in_progress", start))
    ]
    if rng.random() < 0.5:
        events.append(("thread.message.created", _message("msg_2", "in_progress", [])))
    sent: list[tuple[str, int, str]] = []
    for _ in range(rng.randrange(1, 12)):
        piece = (rng.choice(IDS), rng.choice(INDEXES), rng.choice(TEXTS))
        sent.append(piece)
        events.append(("thread.message.delta", _delta(*piece)))
        if rng.random() < 0.1:
            final = "".join(text for message_id, index, text in sent if message_id == "msg_1" and index == 0)
            if rng.random() < 0.5:
                final += "!"  # the final message disagrees with the deltas
            content = [{"type": "text", "text": {"value": final, "annotations": []}}]
            events.append(("thread.message.completed", _message("msg_1", "completed", content)))
    return events


def _folded(events: list[tuple[str, dict[str, Any]]], layout: str) -> dict[str, Any]:
    encode = LAYOUTS[layout]
    sse = [
        ServerSentEvent(name, encode(payload) if name.endswith(".delta") else json.dumps(payload))
        for name, payload in events
    ]
    transcript = reconstruct(sse, views=True)
    return {
        "shape": transcript.to_dict(),
        "texts": transcript.event_texts,
        "ids": transcript.event_object_ids,
        "diagnostics": [(d.code, d.event, d.message) for d in transcript.diagnostics],
    }


@pytest.mark.parametrize("seed", range(10))
def test_every_layout_of_a_message_delta_folds_the_same(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(30):
        events = _conversation(rng)
        expected = _folded(events, "indented")
        for layout in ("compact", "spaced", "ascii", "reordered"):
            assert _folded(events, layout) == expected, (layout, events)


def test_the_common_delta_appends_to_its_part_by_index() -> None:
    events = [
        ("thread.message.created", _message("msg_1", "in_progress", [])),
        ("thread.message.delta", _delta("msg_1", 0, "Hel")),
        ("thread.message.delta", _delta("msg_1", 1, "P.S.")),
        ("thread.message.delta", _delta("msg_1", 0, 'lo "\u00e9"')),
    ]
    folded = _folded(events, "compact")
    content = folded["shape"]["messages"][0]["content"]
    assert [part["text"]["value"] for part in content] == ['Hello "\u00e9"', "P.S."]
    assert folded["texts"] == [None, "Hel", "P.S.", 'lo "\u00e9"']
    assert folded["ids"] == ["msg_1"] * 4


def test_a_delta_whose_id_or_index_is_written_unusually_is_still_folded() -> None:
    created = ServerSentEvent("thread.message.created", json.dumps(_message("msg_A", "in_progress", [])))
    head = '{"id":"%s","object":"thread.message.delta","delta":{"content":[{"index":%s,"type":"text",'
    raw = [
        head % ("msg_\\u0041", "0") + '"text":{"value":"a"}}]}}',
        head % ("msg_A", "1e0") + '"text":{"value":"b"}}]}}',
        head % ("msg_A", "0") + '"text":{"value":"c"}}]}} ',
        head % ("msg_A", "0") + '"text":{"value":"d"}}]}}}',
    ]
    transcript = reconstruct(
        [created, *(ServerSentEvent("thread.message.delta", data) for data in raw)], views=True
    )
    assert transcript.messages[0]["content"][0]["text"]["value"] == "ac"
    assert [d.code for d in transcript.diagnostics] == ["invalid-delta", "invalid-json", "missing-done"]
    assert transcript.event_texts == [None, "a", "", "c", None]
