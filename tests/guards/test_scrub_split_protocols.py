"""A key split across the deltas of a Chat Completions or Responses stream: found once, masked in
every piece, through each protocol's own rule for which strings it streams."""

from __future__ import annotations

import json

from harness import ScrubRules
from harness.cassette.model import Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.cassette.secrets import find_secrets
from harness.scrub import scrub_stream
from harness.scrub_fragments import Frame, joined_streamed_strings

FAKE_KEY = "sk-test-FAKEFAKEFAKEFAKEFAKE0123"


def _chat_chunk(piece: str, field: str = "content") -> bytes:
    choice = {"index": 0, "delta": {field: piece}}
    data = json.dumps({"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [choice]})
    return f"data: {data}\n\n".encode()


def _responses_delta(piece: str, item: str = "msg_1") -> bytes:
    name = "response.output_text.delta"
    data = json.dumps({"type": name, "item_id": item, "output_index": 0, "content_index": 0, "delta": piece})
    return f"event: {name}\ndata: {data}\n\n".encode()


def _exchange(frames: list[bytes]) -> Exchange:
    stream = RecordedStream(frames, [len(frame) for frame in frames], [0.0] * len(frames))
    return Exchange(
        RecordedRequest("POST", "https://api.openai.com/v1/chat/completions", [], b"{}"),
        RecordedResponse(200, headers=[("content-type", "text/event-stream")], stream=stream),
    )


def _pieces() -> list[str]:
    return [f"key {FAKE_KEY[:10]}", FAKE_KEY[10:20], f"{FAKE_KEY[20:]} ok"]


def test_a_key_split_across_chat_chunks_is_found_once() -> None:
    frames = [_chat_chunk(piece) for piece in _pieces()]
    assert joined_streamed_strings(frames) == [([0, 1, 2], f"key {FAKE_KEY} ok")]
    findings = [str(finding) for finding in find_secrets([_exchange(frames)])]
    assert findings == ["exchange 0 stream events 0-2 (joined): sk-tes..."]


def test_a_key_split_across_chat_chunks_is_masked_in_every_piece() -> None:
    frames = [_chat_chunk(piece) for piece in _pieces()]
    stream = scrub_stream(RecordedStream(frames, [len(f) for f in frames], [0.0] * 3), ScrubRules())
    texts = [
        json.loads(frame.decode().removeprefix("data: "))["choices"][0]["delta"]["content"]
        for frame in stream.frames
    ]
    assert "".join(texts) == "key " + "*" * len(FAKE_KEY) + " ok"
    assert [len(text) for text in texts] == [len(piece) for piece in _pieces()]


def test_a_key_split_across_responses_deltas_is_found_once_and_masked() -> None:
    frames = [_responses_delta(piece) for piece in _pieces()]
    assert joined_streamed_strings(frames) == [([0, 1, 2], f"key {FAKE_KEY} ok")]
    findings = [str(finding) for finding in find_secrets([_exchange(frames)])]
    assert findings == ["exchange 0 stream events 0-2 (joined): sk-tes..."]
    stream = scrub_stream(RecordedStream(frames, [len(f) for f in frames], [0.0] * 3), ScrubRules())
    assert FAKE_KEY[:12].encode() not in stream.body
    assert FAKE_KEY[10:20].encode() not in stream.body


def test_responses_deltas_of_different_items_are_not_joined() -> None:
    frames = [_responses_delta(FAKE_KEY[:14], "msg_1"), _responses_delta(FAKE_KEY[14:], "msg_2")]
    assert joined_streamed_strings(frames) == []


def test_keep_alive_comments_between_the_pieces_are_kept_and_the_key_still_masked() -> None:
    pieces = _pieces()
    frames = [_chat_chunk(pieces[0]), b": keep-alive\n\n", _chat_chunk(pieces[1]), _chat_chunk(pieces[2])]
    assert joined_streamed_strings(frames) == [([0, 2, 3], f"key {FAKE_KEY} ok")]
    stream = scrub_stream(RecordedStream(frames, [len(f) for f in frames], [0.0] * 4), ScrubRules())
    assert b"\n\n: keep-alive\n\ndata: " in stream.body
    assert FAKE_KEY[10:20].encode() not in stream.body


def test_a_frame_that_is_not_one_event_has_no_payload_and_the_default_name() -> None:
    for raw in (b": keep-alive\n\n", b"data: {}\n\ndata: {}\n\n"):
        frame = Frame(raw)
        assert (frame.name, frame.payload) == ("message", None)
    assert (Frame(b"event: done\ndata: {}\n\n").name, Frame(b"data: [1]\n\n").payload) == ("done", [1])
