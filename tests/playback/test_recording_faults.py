"""Faults while recording: the cassette is the faithful record of what happened, and replays it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from harness import reconstruct, use_cassette
from harness.cassette import load_cassette
from harness.sse import parse_sse
from tests.playback.conftest import FAKE_KEY, real_body
from tests.support.scripted_server import Scripted, iter_routes, json_answer, sse_answer, sse_pieces

OFFLINE = "http://127.0.0.1:9/v1"


def _post_stream(base_url: str, **client_options: Any) -> bytes:
    received = bytearray()
    with httpx.Client(**client_options) as client:
        with client.stream("POST", f"{base_url}/threads/t/runs", json={"stream": True}) as response:
            for piece in response.iter_raw():
                received.extend(piece)
    return bytes(received)


def test_invalid_json_in_an_event_is_recorded_as_sent_and_diagnosed(serve: Any, tmp_path: Path) -> None:
    frames = real_body("009").split(b"\n\n")
    frames.insert(5, b'event: thread.message.delta\ndata: {"id": "msg_broken", "delta": {')
    body = b"\n\n".join(frames)
    server = serve(iter_routes(sse_answer(body)))
    with use_cassette(tmp_path / "invalid.json", record_mode="once"):
        assert _post_stream(server.base_url) == body
    with use_cassette(tmp_path / "invalid.json", record_mode="none", chunking="byte") as cassette:
        assert _post_stream(OFFLINE) == body
    diagnostics = reconstruct(cassette.events).diagnostics
    assert [(d.code, d.event) for d in diagnostics] == [("invalid-json", 5)]


def test_error_event_mid_stream_is_recorded_and_raised_again_on_replay(serve: Any, tmp_path: Path) -> None:
    events = parse_sse(real_body("009"))[:6]
    body = (
        b"".join(f"event: {e.event}\ndata: {e.data}\n\n".encode() for e in events)
        + b'event: error\ndata: {"error": {"message": "The server had an error", "type": "server_error"}}\n\n'
    )
    server = serve(iter_routes(sse_answer(body)))

    def run(base_url: str) -> list[str]:
        client = openai.OpenAI(api_key=FAKE_KEY, base_url=base_url, max_retries=0)
        seen: list[str] = []
        with pytest.raises(openai.APIError, match="The server had an error"):
            for event in client.beta.threads.runs.create(thread_id="t", assistant_id="a", stream=True):
                seen.append(event.event)
        return seen

    with use_cassette(tmp_path / "error.json", record_mode="once"):
        recorded = run(server.base_url)
    with use_cassette(tmp_path / "error.json", record_mode="none"):
        assert run(OFFLINE) == recorded
    assert load_cassette(tmp_path / "error.json").streams[0].body == body


def test_stall_past_the_client_timeout_is_recorded_and_replayed_as_the_same_timeout(
    serve: Any, tmp_path: Path
) -> None:
    pieces = sse_pieces(real_body("009"))
    pieces[4] = (4.0, pieces[4][1])  # far past the read timeout, which is far past the other gaps
    server = serve(iter_routes(Scripted(200, [("content-type", "text/event-stream")], pieces)))
    path = tmp_path / "stall.json"
    with use_cassette(path, record_mode="once"), pytest.raises(httpx.ReadTimeout):
        _post_stream(server.base_url, timeout=httpx.Timeout(5.0, read=1.0))
    stream = load_cassette(path).streams[0]
    assert stream.cut is not None and stream.cut.startswith("connection-error: ReadTimeout")
    assert len(parse_sse(stream.body)) == 4
    with use_cassette(path, record_mode="none"), pytest.raises(httpx.ReadTimeout):
        _post_stream(OFFLINE)


def test_sdk_retry_after_429_is_recorded_as_two_exchanges_and_replayed(serve: Any, tmp_path: Path) -> None:
    rate_limited = Scripted(
        429,
        [("content-type", "application/json"), ("retry-after", "0")],
        [(0.0, json.dumps({"error": {"message": "Rate limit reached", "type": "requests"}}).encode())],
        chunked=False,
    )
    server = serve(iter_routes(rate_limited, json_answer(b"{}", 500), sse_answer(real_body("020"))))

    def run(base_url: str) -> list[str]:
        client = openai.OpenAI(api_key=FAKE_KEY, base_url=base_url, max_retries=2)
        stream = client.beta.threads.runs.create(thread_id="t", assistant_id="a", stream=True)
        return [event.event for event in stream]

    with use_cassette(tmp_path / "retry.json", record_mode="once"):
        recorded = run(server.base_url)
    statuses = [exchange.response.status for exchange in load_cassette(tmp_path / "retry.json").exchanges]
    assert statuses == [429, 500, 200]
    with use_cassette(tmp_path / "retry.json", record_mode="none") as cassette:
        assert run(OFFLINE) == recorded
    assert sorted(cassette.play_counts.values()) == [1, 1, 1]


def test_keyboard_interrupt_mid_stream_leaves_a_faithful_cut_cassette(serve: Any, tmp_path: Path) -> None:
    body = real_body("009")
    server = serve(iter_routes(sse_answer(body)))
    path = tmp_path / "interrupted.json"
    path.write_text('{"harness_cassette": 1, "exchanges": []}\n')
    seen = bytearray()
    with pytest.raises(KeyboardInterrupt):
        with use_cassette(path, record_mode="all"), httpx.Client() as client:
            with client.stream("POST", f"{server.base_url}/threads/t/runs", json={}) as response:
                for piece in response.iter_raw():
                    seen.extend(piece)
                    if len(parse_sse(bytes(seen))) >= 3:
                        raise KeyboardInterrupt
    stream = load_cassette(path).streams[0]
    assert stream.cut == "client-closed"
    assert stream.body == bytes(seen)
