"""While recording, the client sees each event as it arrives; early stops are recorded as cuts."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path
from typing import Any

import httpx
import pytest

import harness.recording.tee
import harness.replay.stream
from harness import use_cassette
from harness.cassette import load_cassette
from harness.sse import iter_sse, parse_sse, split_frames
from tests.playback.conftest import real_body
from tests.support.clocks import FakeClock, FakeTime, SleepLog
from tests.support.handshake import Handshake
from tests.support.scripted_server import iter_routes, sse_answer

OFFLINE_RUNS = "http://127.0.0.1:9/v1/threads/runs"


def test_the_client_sees_the_first_event_before_the_server_sends_the_rest(serve: Any, tmp_path: Path) -> None:
    """The server holds event 1 back until the client has seen event 0: a recorder that
    buffered the stream instead of teeing it would keep the client waiting, and the server
    would give up on the handshake."""
    body = real_body("010")
    handshake = Handshake()
    server = serve(iter_routes(sse_answer(body, hold=(1, handshake))))
    path = tmp_path / "teed.json"
    seen = []
    with use_cassette(path, record_mode="once"), httpx.Client(timeout=60) as client:
        with client.stream("POST", f"{server.base_url}/threads/runs", json={"stream": True}) as response:
            for event in iter_sse(response.iter_raw()):
                seen.append(event)
                handshake.client_has_seen()
    assert not handshake.held_up, "the client saw no event until the server had sent them all"
    assert seen == parse_sse(body)
    assert load_cassette(path).streams[0].body == body


def test_chunks_are_recorded_at_their_arrival_times_and_speed_scales_the_replayed_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(start=0.0)
    monkeypatch.setattr(harness.recording.tee, "time", FakeTime(perf_counter=clock))
    frames = split_frames(real_body("010"))
    gaps = [0.0] + [0.01 * (number % 4 + 1) for number in range(1, len(frames))]

    def arriving() -> Iterator[bytes]:
        for gap, frame in zip(gaps, frames, strict=True):
            clock.advance(gap)
            yield frame

    def upstream(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=arriving())

    path = tmp_path / "timed.json"
    with (
        use_cassette(path, record_mode="once"),
        httpx.Client(transport=httpx.MockTransport(upstream)) as client,
    ):
        assert client.post(OFFLINE_RUNS, json={"stream": True}).content == b"".join(frames)
    assert load_cassette(path).streams[0].chunk_times == pytest.approx(list(accumulate(gaps)))

    for speed in (1.0, 2.0, 0.0):  # 0, the default: as fast as the client reads
        sleeps = SleepLog()
        monkeypatch.setattr(harness.replay.stream, "time", FakeTime(sleep=sleeps))
        with use_cassette(path, record_mode="none", speed=speed), httpx.Client() as client:
            with client.stream("POST", OFFLINE_RUNS, json={"stream": True}) as response:
                assert list(response.iter_raw()) == frames
        assert sleeps.waits == pytest.approx([speed * gap for gap in gaps[1:] if speed]), speed


def test_client_that_stops_early_records_a_cut_that_replays_as_the_same_cut(
    serve: Any, tmp_path: Path
) -> None:
    body = real_body("009")
    server = serve(iter_routes(sse_answer(body, 0.001)))
    path = tmp_path / "cut.json"
    with use_cassette(path, record_mode="once"), httpx.Client() as client:
        with client.stream("POST", f"{server.base_url}/threads/runs", json={}) as response:
            seen = []
            for event in iter_sse(response.iter_raw()):
                seen.append(event)
                if len(seen) == 5:
                    break
    stream = load_cassette(path).streams[0]
    assert stream.cut == "client-closed"
    assert parse_sse(stream.body)[:5] == seen
    assert body.startswith(stream.body) and len(stream.body) < len(body)
    with use_cassette(path, record_mode="none"), httpx.Client() as client:
        with client.stream("POST", "http://127.0.0.1:9/v1/threads/runs", json={}) as response:
            assert b"".join(response.iter_raw()) == stream.body


def test_connection_broken_mid_stream_is_recorded_and_replayed_as_an_error(
    serve: Any, tmp_path: Path
) -> None:
    body = real_body("009")
    server = serve(iter_routes(sse_answer(body, 0.0, drop_after=6)))
    path = tmp_path / "broken.json"
    received = bytearray()
    with use_cassette(path, record_mode="once"), httpx.Client() as client:
        with pytest.raises(httpx.RemoteProtocolError):
            with client.stream("POST", f"{server.base_url}/threads/runs", json={}) as response:
                for piece in response.iter_raw():
                    received.extend(piece)
    stream = load_cassette(path).streams[0]
    assert stream.cut is not None and stream.cut.startswith("connection-error: RemoteProtocolError")
    assert stream.body == bytes(received) and len(parse_sse(stream.body)) == 6
    replayed = bytearray()
    with use_cassette(path, record_mode="none"), httpx.Client() as client:
        with pytest.raises(httpx.RemoteProtocolError):
            with client.stream("POST", "http://127.0.0.1:9/v1/threads/runs", json={}) as response:
                for piece in response.iter_raw():
                    replayed.extend(piece)
    assert bytes(replayed) == stream.body


def test_cassette_closed_while_a_stream_is_open_keeps_what_arrived(serve: Any, tmp_path: Path) -> None:
    body = real_body("009")
    server = serve(iter_routes(sse_answer(body)))
    path = tmp_path / "open.json"
    client = httpx.Client()
    with use_cassette(path, record_mode="once"):
        response = client.send(
            client.build_request("POST", f"{server.base_url}/threads/runs", json={}), stream=True
        )
        first = next(response.iter_raw())
    response.close()
    client.close()
    stream = load_cassette(path).streams[0]
    assert stream.cut is not None and stream.cut.startswith("unfinished")
    assert stream.body == first
