"""Fake keys planted in real streams, however cut and escaped, never survive scrubbing; and scrubbing
leaves the real corpus exactly as it is (no false positives on ids)."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.cassette import load_cassette, save_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.cassette.secrets import find_secrets
from harness.reconstruct import reconstruct
from harness.scrub import ScrubRules, scrub_exchanges
from harness.scrub_fragments import Frame, streamed_strings
from harness.sse import parse_sse, split_frames
from tests.models.corpus import SSE_FILES

WINDOW = 12
KEY_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
BEFORE_THE_KEY = [" ", "\n", "\t", '"', "(", "_", "req_", "1", "%20", ": ", "\u00e9"]


def _frames(path: Path) -> list[bytes]:
    return split_frames(path.read_bytes())


def _pieces(frame: Frame) -> list[tuple[Any, ...]]:
    return list(streamed_strings(frame.name, frame.payload))


def _with_streamed_strings(path: Path) -> list[int]:
    return [
        number
        for number, frame in enumerate(_frames(path))
        if any(value for _, _, value in _pieces(Frame(frame)))
    ]


STREAMS = [path for path in SSE_FILES if _with_streamed_strings(path)]


def _frame(event: str, payload: Any) -> bytes:
    return f"event: {event}\ndata: {json.dumps(payload, separators=(',', ':'))}\n\n".encode()


def _set(node: Any, path: tuple[Any, ...], value: str) -> None:
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _escaped(frame: bytes, piece: str, positions: list[int]) -> bytes:
    """The frame with some characters of ``piece`` written as JSON ``\\u`` escapes (same decoded text)."""
    if not piece or piece.encode() not in frame:
        return frame
    escaped = "".join(f"\\u{ord(c):04x}" if n in positions else c for n, c in enumerate(piece))
    return frame.replace(piece.encode(), escaped.encode(), 1)


@st.composite
def planted(draw: st.DrawFn) -> tuple[list[bytes], str, Path]:
    path = draw(st.sampled_from(STREAMS))
    frames = _frames(path)
    number = draw(st.sampled_from(_with_streamed_strings(path)))
    decoded = Frame(frames[number])
    payload, event = decoded.payload, decoded.name
    strings = [(key, value) for _, key, value in _pieces(decoded) if value]
    chosen, value = draw(st.sampled_from(strings))
    secret = draw(st.sampled_from(["sk-test-fake-", "sk-proj-test-fake-", "sk-svcacct-fake-"])) + draw(
        st.text(KEY_CHARACTERS, min_size=20, max_size=48)
    )
    at = draw(st.integers(0, len(value)))
    cuts = sorted(draw(st.lists(st.integers(1, len(secret) - 1), max_size=4, unique=True)))
    pieces = [secret[start:end] for start, end in zip([0, *cuts], [*cuts, len(secret)], strict=True)]
    pieces[0] = value[:at] + draw(st.sampled_from(BEFORE_THE_KEY)) + pieces[0]
    pieces[-1] += value[at:]
    planted_frames: list[bytes] = []
    for piece in pieces:  # one delta per piece, carrying only that piece of the chosen string
        copied = copy.deepcopy(payload)
        for where, key, _ in list(streamed_strings(event, copied)):
            _set(copied, where, piece if key == chosen else "")
        frame = _frame(event, copied)
        if draw(st.booleans()):
            frame = _escaped(frame, piece, draw(st.lists(st.integers(0, max(len(piece) - 1, 0)), max_size=8)))
        planted_frames.append(frame)
    body = b"".join(frames[:number] + planted_frames + frames[number + 1 :])
    cut_points = sorted(draw(st.lists(st.integers(1, len(body) - 1), max_size=6, unique=True)))
    sizes = [end - start for start, end in zip([0, *cut_points], [*cut_points, len(body)], strict=True)]
    return [body[sum(sizes[:n]) : sum(sizes[: n + 1])] for n in range(len(sizes))], secret, path


def _folded(body: bytes) -> str:
    return json.dumps(reconstruct([parse_sse(body)]).to_dict(), ensure_ascii=False)


def _windows(secret: str) -> set[str]:
    return {secret[start : start + WINDOW] for start in range(len(secret) - WINDOW + 1)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted())
def test_no_piece_of_a_planted_key_survives_in_the_cassette_or_its_reconstruction(
    case: tuple[list[bytes], str, Path],
) -> None:
    chunks, secret, source = case
    stream = RecordedStream.from_chunks(chunks, [0.01 * n for n in range(len(chunks))])
    response = RecordedResponse(200, "OK", [("content-type", "text/event-stream")], stream=stream)
    exchanges = scrub_exchanges(
        [Exchange(RecordedRequest("POST", "http://x/v1/threads/runs"), response)], ScrubRules()
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "planted.json"
        save_cassette(Cassette(exchanges), path)  # refused (raises) if detection still saw it
        written = path.read_text()
        (saved,) = load_cassette(path).streams
    folded = _folded(saved.body)
    already = source.read_text() + _folded(source.read_bytes())  # a random key may spell "prompt_token"
    pieces = [piece for piece in _windows(secret) if piece not in already]
    assert not [piece for piece in pieces if piece in written or piece in folded]
    assert sum(saved.chunk_sizes) == len(saved.body)


@pytest.mark.parametrize("path", SSE_FILES, ids=lambda path: path.name[:3])
def test_the_real_corpus_is_unchanged_by_scrubbing(path: Path) -> None:
    original = path.read_bytes()
    stream = RecordedStream.from_body(original)
    response = RecordedResponse(200, "OK", [("content-type", "text/event-stream")], stream=stream)
    exchange = Exchange(RecordedRequest("POST", "https://api.openai.com/v1/threads/runs"), response)
    assert find_secrets([exchange]) == []
    (scrubbed,) = scrub_exchanges([copy.deepcopy(exchange)], ScrubRules())
    assert scrubbed.response.stream is not None and scrubbed.response.stream.body == original
