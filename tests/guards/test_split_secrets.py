"""A key split across deltas is found in the joined text and masked in every piece (``scrub_stream``)."""

from __future__ import annotations

import itertools
import json

import pytest

from harness import ScrubRules, parse_sse, reconstruct
from harness.cassette.model import RecordedStream
from harness.scrub import scrub_stream
from harness.scrub_fragments import frame_payload, joined_streamed_strings, rewrite_frame

FAKE_KEY = "sk-test-FAKEFAKEFAKEFAKEFAKE0123"


def _text_delta(message_id: str, piece: str, index: int = 0) -> bytes:
    delta = {"content": [{"index": index, "type": "text", "text": {"value": piece}}]}
    data = json.dumps({"id": message_id, "object": "thread.message.delta", "delta": delta})
    return f"event: thread.message.delta\ndata: {data}\n\n".encode()


def _args_delta(step_id: str, piece: str, index: int = 0) -> bytes:
    call = {"index": index, "type": "function", "function": {"arguments": piece}}
    delta = {"step_details": {"type": "tool_calls", "tool_calls": [call]}}
    data = json.dumps({"id": step_id, "object": "thread.run.step.delta", "delta": delta})
    return f"event: thread.run.step.delta\ndata: {data}\n\n".encode()


def _scrubbed(frames: list[bytes]) -> RecordedStream:
    stream = RecordedStream(frames, [len(frame) for frame in frames], [0.0] * len(frames))
    return scrub_stream(stream, ScrubRules())


def _texts(stream: RecordedStream) -> list[str]:
    return [
        json.loads(event.data)["delta"]["content"][0]["text"]["value"] for event in parse_sse(stream.body)
    ]


@pytest.mark.parametrize("cuts", [(3,), (8, 20), (1, 2, 3, 30)])
def test_a_key_split_across_text_deltas_is_masked_in_every_piece(cuts: tuple[int, ...]) -> None:
    text = f"my key is {FAKE_KEY} ok"
    start = text.index(FAKE_KEY)
    bounds = [0, *(start + cut for cut in cuts), len(text)]
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]
    scrubbed = _scrubbed([_text_delta("msg_1", piece) for piece in pieces])
    masked = _texts(scrubbed)
    assert [len(piece) for piece in masked] == [len(piece) for piece in pieces]
    assert "".join(masked) == text.replace(FAKE_KEY, "*" * len(FAKE_KEY))
    assert FAKE_KEY[:12].encode() not in scrubbed.body
    assert sum(scrubbed.chunk_sizes) == len(scrubbed.body)


def test_a_key_split_across_tool_call_arguments_is_masked_and_the_fold_agrees() -> None:
    arguments = json.dumps({"api_key": FAKE_KEY})
    pieces = [arguments[:15], arguments[15:27], arguments[27:]]
    scrubbed = _scrubbed([_args_delta("step_1", piece) for piece in pieces])
    folded = reconstruct(parse_sse(scrubbed.body)).run_steps[0]["step_details"]["tool_calls"][0]
    assert FAKE_KEY not in folded["function"]["arguments"]
    assert len(folded["function"]["arguments"]) == len(arguments)


def test_pieces_of_different_strings_are_not_joined() -> None:
    # half a key in one message, half in another, and in another part of the same message: no key
    half, rest = FAKE_KEY[:14], FAKE_KEY[14:]
    frames = [_text_delta("msg_1", half), _text_delta("msg_2", rest)]
    assert _scrubbed(frames).body == b"".join(frames)
    parts = [_text_delta("msg_1", half, 0), _text_delta("msg_1", rest, 1)]
    assert _scrubbed(parts).body == b"".join(parts)
    calls = [_args_delta("step_1", half, 0), _args_delta("step_1", rest, 1)]
    assert _scrubbed(calls).body == b"".join(calls)


def test_joined_streamed_strings_names_the_frames_of_each_split_string() -> None:
    frames = [
        _text_delta("msg_1", "Hel"),
        b"event: thread.run.step.created\ndata: {}\n\n",
        _text_delta("msg_1", "lo"),
        _text_delta("msg_2", "alone"),
        _args_delta("step_1", '{"a":'),
        _args_delta("step_1", "1}"),
    ]
    assert joined_streamed_strings(frames) == [([0, 2], "Hello"), ([4, 5], '{"a":1}')]


def test_frame_payload_and_rewrite_frame() -> None:
    frame = b'event: x\nid: 7\ndata: {"a":\ndata:  1}\n\n'
    assert frame_payload(frame) == {"a": 1}
    assert frame_payload(b"event: done\ndata: [DONE]\n\n") is None
    assert frame_payload(b"data: {broken\n\n") is None
    assert frame_payload(b"data: \xff\n\n") is None
    assert frame_payload(b'data: ["list"]\n\n') == ["list"]
    assert rewrite_frame(frame, {"a": "é"}) == 'event: x\nid: 7\ndata: {"a":"é"}\n\n'.encode()
