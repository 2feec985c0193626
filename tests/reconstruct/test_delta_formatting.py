"""A message delta folds the same whatever the JSON layout of its data: compact as the API writes
it, spaced as ``json.dumps`` writes it, or indented, with every escape and every near miss of the
usual shape (the fold reads the usual shape without parsing it)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness import reconstruct
from harness.reconstruct import Transcript, codes
from harness.sse import ServerSentEvent

from .builder import StreamBuilder

LAYOUTS: dict[str, dict[str, Any]] = {
    "compact": {"separators": (",", ":")},
    "spaced": {},
    "indented": {"indent": 1},
}


def text_delta(message_id: str, value: str, index: int = 0, **text: Any) -> dict[str, Any]:
    return {
        "id": message_id,
        "object": "thread.message.delta",
        "delta": {"content": [{"index": index, "type": "text", "text": {"value": value, **text}}]},
    }


def stream(deltas: list[str], *, message_id: str = "msg_1") -> list[ServerSentEvent]:
    """A run whose message ``msg_1`` streams "Hi!" (its text part started), then the data of ``deltas``."""
    builder = StreamBuilder().run_start().text_message(message_id, ["Hi", "!"], finish=False)
    events = builder.events + [ServerSentEvent("thread.message.delta", data) for data in deltas]
    return [*events, *StreamBuilder().run("completed", "completed").done().events]


def folded(events: list[ServerSentEvent]) -> tuple[Any, ...]:
    transcript: Transcript = reconstruct(events, views=True)
    return (
        transcript.messages,
        [(d.code, d.event) for d in transcript.diagnostics],  # messages quote the data as laid out
        transcript.event_texts,
        transcript.event_object_ids,
    )


def laid_out(payloads: list[dict[str, Any]], layout: str) -> list[str]:
    return [json.dumps(payload, ensure_ascii=False, **LAYOUTS[layout]) for payload in payloads]


PIECES = [
    " plain",
    "line\nbreak",
    'a "quote" and a \\ backslash',
    "tab\tand \x01 control",
    "ünïcödé and 😀",
    "",
    "}}]}}",
    '","object":"thread.message.delta"',
]


@pytest.mark.parametrize("layout", ["compact", "spaced"])
def test_every_layout_folds_like_the_indented_one(layout: str) -> None:
    payloads = [text_delta("msg_1", piece) for piece in PIECES]
    assert folded(stream(laid_out(payloads, layout))) == folded(stream(laid_out(payloads, "indented")))
    message = folded(stream(laid_out(payloads, layout)))[0][0]
    assert message["content"][0]["text"]["value"] == "Hi!" + "".join(PIECES)


@pytest.mark.parametrize("layout", ["compact", "spaced"])
@pytest.mark.parametrize(
    "payload",
    [
        text_delta("msg_1", " more", annotations=[]),  # a key beside the value
        text_delta("msg_1", " at part 1", index=1),  # a part not started yet
        text_delta("msg_1", " far", index=150),
        text_delta("msg_unknown", " nobody's"),
        text_delta("msg_\u00e9", " escaped id"),
        {**text_delta("msg_1", " more"), "extra": True},
        {"object": "thread.message.delta", "id": "msg_1", "delta": text_delta("msg_1", " order")["delta"]},
        {"ix": "msg_1", "object": "thread.message.delta", "delta": text_delta("msg_1", " typo")["delta"]},
        {"id": "msg_1", "object": "thread.message.delta", "delte": text_delta("msg_1", " typo")["delta"]},
        {
            "id": "msg_1",
            "object": "thread.message.delta",
            "delta": {"content": [{"index": 0, "type": "text", "texx": {"value": " typo"}}]},
        },
    ],
    ids=[
        "annotations",
        "new-part",
        "index-150",
        "unknown-message",
        "escaped-id",
        "extra-key",
        "key-order",
        "not-an-id-key",
        "not-a-delta-key",
        "not-a-text-key",
    ],
)
def test_near_misses_of_the_usual_shape_fold_like_the_indented_one(
    layout: str, payload: dict[str, Any]
) -> None:
    payloads = [text_delta("msg_1", " first"), payload, text_delta("msg_1", " last")]
    ascii_layouts = [json.dumps(p, **LAYOUTS[layout]) for p in payloads]  # the id escaped as \u00e9
    expected = folded(stream(laid_out(payloads, "indented")))
    assert folded(stream(laid_out(payloads, layout))) == expected
    assert folded(stream(ascii_layouts)) == expected


@pytest.mark.parametrize(
    "data",
    [
        '{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"a\tb"}}]}}',
        '{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"ab"}}]}}x',
        '{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"a\\qb"}}]}}',
        '{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":00,"type":"text","text":{"value":"ab"}}]}}',
        '{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"ab',
    ],
    ids=["raw-tab", "trailing-junk", "bad-escape", "leading-zero", "cut-short"],
)
def test_invalid_json_in_the_usual_shape_is_reported_not_appended(data: str) -> None:
    position = len(stream([])) - 2  # the delta comes right after the builder's events
    messages, diagnostics, texts, _ = folded(stream([data]))
    assert messages[0]["content"][0]["text"]["value"] == "Hi!"
    assert diagnostics == [(codes.INVALID_JSON, position)]
    assert texts[position] is None


def test_json_whitespace_around_the_usual_shape_is_still_json() -> None:
    padded = " " + json.dumps(text_delta("msg_1", " padded"), separators=(",", ":")) + " \r\n"
    messages, diagnostics, _, _ = folded(stream([padded]))
    assert messages[0]["content"][0]["text"]["value"] == "Hi! padded"
    assert [code for code, _ in diagnostics] == []


def test_a_delta_after_the_message_completed_is_ignored_and_reported() -> None:
    builder = StreamBuilder().run_start().text_message("msg_1", ["Hi"])
    late = json.dumps(text_delta("msg_1", " late"), separators=(",", ":"))
    events = [*builder.events, ServerSentEvent("thread.message.delta", late)]
    events += StreamBuilder().run("completed", "completed").done().events
    transcript = reconstruct(events)
    assert transcript.messages[0]["content"][0]["text"]["value"] == "Hi"
    assert codes.DELTA_AFTER_TERMINAL in transcript.diagnostic_codes()


def test_an_escaped_id_is_the_message_it_decodes_to_not_the_one_spelt_like_its_escape() -> None:
    spelt = "msg_\\u0041"  # a message whose id holds a backslash, then "u0041"
    delta = json.dumps(text_delta("msg_A", " for msg_A"), separators=(",", ":")).replace(
        "msg_A", "msg_\\u0041", 1
    )
    assert json.loads(delta)["id"] == "msg_A"
    messages, diagnostics, _, _ = folded(stream([delta], message_id=spelt))
    assert messages[0]["id"] == spelt and messages[0]["content"][0]["text"]["value"] == "Hi!"
    assert codes.DELTA_UNKNOWN_OBJECT in [code for code, _ in diagnostics]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=6), st.sampled_from(["compact", "spaced"]))
def test_any_text_folds_the_same_in_every_layout(pieces: list[str], layout: str) -> None:
    payloads = [text_delta("msg_1", piece) for piece in pieces]
    assert folded(stream(laid_out(payloads, layout))) == folded(stream(laid_out(payloads, "indented")))
