"""What the Responses and Chat Completions vocabularies tell the fold and the scrubber: every
built-in tool's progress event is known (never an `unknown-event`), a key split across audio
transcript deltas is masked, and a Chat chunk's malformed choices neither crash the scrubber nor
hide a key split over the well-formed choices beside them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness import ScrubRules
from harness.cassette.model import RecordedStream
from harness.protocols import by_name, fold
from harness.scrub import scrub_stream
from harness.sse import parse_sse
from tests.protocols.builders import ResponsesStream

FAKE_KEY = "sk-test-FAKEFAKEFAKEFAKEFAKE0123"

# Every progress event the Responses API documents for its built-in tool calls.
TOOL_PROGRESS = {
    "web_search_call": ("in_progress", "searching", "completed"),
    "file_search_call": ("in_progress", "searching", "completed"),
    "code_interpreter_call": ("in_progress", "interpreting", "completed"),
    "image_generation_call": ("in_progress", "generating", "partial_image", "completed"),
    "mcp_call": ("in_progress", "completed", "failed"),
    "mcp_list_tools": ("in_progress", "completed", "failed"),
}


@pytest.mark.parametrize(
    "event_type",
    [f"response.{family}.{stage}" for family, stages in TOOL_PROGRESS.items() for stage in stages],
)
def test_every_built_in_tool_progress_event_is_known(event_type: str) -> None:
    stream = ResponsesStream().start()
    stream.add(event_type, output_index=0, item_id="tool_0")
    body = stream.finish()
    transcript = fold(by_name("responses"), [parse_sse(body)])
    codes = [diagnostic.code for diagnostic in transcript.diagnostics]
    assert "unknown-event" not in codes
    assert "internal-error" not in codes
    assert transcript.to_dict()["events"][2] == event_type


@pytest.mark.parametrize("kind", ["audio", "audio.transcript"])
def test_the_response_s_own_audio_events_are_known(kind: str) -> None:
    stream = ResponsesStream().start()
    stream.add(f"response.{kind}.delta", response_id="resp_1", delta="AAAA")
    stream.add(f"response.{kind}.done", response_id="resp_1")
    transcript = fold(by_name("responses"), [parse_sse(stream.finish())])
    codes = [diagnostic.code for diagnostic in transcript.diagnostics]
    assert "unknown-event" not in codes
    assert "internal-error" not in codes


def _stream(frames: list[bytes]) -> RecordedStream:
    return RecordedStream(frames, [len(frame) for frame in frames], [0.0] * len(frames))


def _pieces() -> list[str]:
    return [f"key {FAKE_KEY[:10]}", FAKE_KEY[10:20], f"{FAKE_KEY[20:]} ok"]


def test_a_key_split_across_audio_transcript_deltas_is_masked_in_every_piece() -> None:
    name = "response.audio.transcript.delta"
    payloads = [json.dumps({"type": name, "response_id": "resp_1", "delta": piece}) for piece in _pieces()]
    frames = [f"event: {name}\ndata: {payload}\n\n".encode() for payload in payloads]
    body = scrub_stream(_stream(frames), ScrubRules()).body
    assert FAKE_KEY[:12].encode() not in body
    assert FAKE_KEY[10:20].encode() not in body
    assert FAKE_KEY[20:].encode() not in body
    assert b" ok" in body


def _chat_chunk(choices: list[Any]) -> bytes:
    data = json.dumps({"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": choices})
    return f"data: {data}\n\n".encode()


def _contents(body: bytes) -> str:
    texts = []
    for event in parse_sse(body):
        for choice in json.loads(event.data)["choices"]:
            if isinstance(choice, dict) and isinstance(choice.get("delta"), dict):
                texts.append(choice["delta"].get("content") or "")
    return "".join(texts)


@pytest.mark.parametrize(
    "junk",
    ["a string", None, 7, ["a", "list"], {"index": 5}, {"index": 5, "delta": None}, {"delta": "text"}],
    ids=["string", "null", "number", "list", "no-delta", "null-delta", "string-delta"],
)
def test_a_malformed_choice_before_a_good_one_hides_no_split_key(junk: Any) -> None:
    frames = [_chat_chunk([junk, {"index": 0, "delta": {"content": piece}}]) for piece in _pieces()]
    body = scrub_stream(_stream(frames), ScrubRules()).body
    assert _contents(body) == "key " + "*" * len(FAKE_KEY) + " ok"


@pytest.mark.parametrize("calls", [None, "not a list", 3, {"index": 0}])
def test_tool_calls_that_are_not_a_list_hide_no_split_key_in_the_content(calls: Any) -> None:
    deltas = [{"content": piece, "tool_calls": calls} for piece in _pieces()]
    frames = [_chat_chunk([{"index": 0, "delta": delta}]) for delta in deltas]
    body = scrub_stream(_stream(frames), ScrubRules()).body
    assert _contents(body) == "key " + "*" * len(FAKE_KEY) + " ok"


def test_a_key_split_over_one_choice_is_joined_past_another_choice_s_text() -> None:
    """Two choices stream side by side (``n=2``): each choice's pieces join by its own index."""
    first, second, third = _pieces()

    def text(index: int, piece: str) -> dict[str, Any]:
        return {"index": index, "delta": {"content": piece}}

    frames = [
        _chat_chunk([text(0, first), text(1, "hello")]),
        _chat_chunk([text(0, second), text(1, " there")]),
        _chat_chunk([text(0, third)]),
    ]
    body = scrub_stream(_stream(frames), ScrubRules()).body
    for piece in (FAKE_KEY[:12], FAKE_KEY[10:20], FAKE_KEY[20:]):
        assert piece.encode() not in body
    assert b'"hello"' in body
    assert b'" there"' in body


def test_responses_deltas_without_item_ids_join_by_their_output_index() -> None:
    """Two items streaming side by side, their deltas naming only ``output_index``: each item's
    pieces join by its own index, so a key split over one item's deltas is masked."""
    name = "response.output_text.delta"

    def delta(index: int, piece: str) -> bytes:
        data = json.dumps({"type": name, "output_index": index, "content_index": 0, "delta": piece})
        return f"event: {name}\ndata: {data}\n\n".encode()

    first, second, third = _pieces()
    frames = [delta(0, first), delta(1, "hello"), delta(0, second), delta(1, " there"), delta(0, third)]
    body = scrub_stream(_stream(frames), ScrubRules()).body
    for piece in (FAKE_KEY[:12], FAKE_KEY[10:20], FAKE_KEY[20:]):
        assert piece.encode() not in body
    assert b'"hello"' in body


@pytest.mark.parametrize(
    "call", [{"index": 0, "function": None}, {"index": 0, "function": "f"}, "a call", None]
)
def test_a_malformed_tool_call_hides_no_split_key_in_the_next_call(call: Any) -> None:
    def arguments(piece: str) -> dict[str, Any]:
        return {"index": 1, "function": {"arguments": piece}}

    frames = [
        _chat_chunk([{"index": 0, "delta": {"tool_calls": [call, arguments(piece)]}}]) for piece in _pieces()
    ]
    body = scrub_stream(_stream(frames), ScrubRules()).body
    for piece in (FAKE_KEY[:12], FAKE_KEY[10:20], FAKE_KEY[20:]):
        assert piece.encode() not in body
    assert b" ok" in body
