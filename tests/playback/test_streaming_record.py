"""While recording, the client sees each event as it arrives; early stops are recorded as cuts."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness import use_cassette
from harness.cassette import load_cassette
from harness.sse import iter_sse, parse_sse
from tests.playback.conftest import real_body
from tests.support.scripted_server import iter_routes, sse_answer

EVENT_GAP = 0.05


def _first_and_last_event_times(url: str) -> tuple[float, float]:
    with httpx.Client() as client:
        started = time.perf_counter()
        with client.stream("POST", url, json={"stream": True}) as response:
            moments = [time.perf_counter() - started for _ in iter_sse(response.iter_raw())]
    return moments[0], moments[-1]


def test_first_event_arrives_long_before_the_stream_ends(serve: Any, tmp_path: Path) -> None:
    body = real_body("010")  # 10 events, 50 ms apart: the stream lasts ~450 ms
    server = serve(iter_routes(sse_answer(body, EVENT_GAP)))
    url = f"{server.base_url}/threads/runs"
    bare_first, _ = _first_and_last_event_times(url)
    with use_cassette(tmp_path / "timed.json", record_mode="once"):
        first, last = _first_and_last_event_times(url)
    assert last > 8 * EVENT_GAP
    assert first < last / 4, (first, last)
    assert first < bare_first + 2 * EVENT_GAP
    stream = load_cassette(tmp_path / "timed.json").streams[0]
    assert stream.chunk_times[-1] >= 8 * EVENT_GAP
    assert stream.chunk_times == sorted(stream.chunk_times)


def test_speed_one_replays_the_recorded_timing(serve: Any, tmp_path: Path) -> None:
    body = real_body("010")
    server = serve(iter_routes(sse_answer(body, 0.03)))
    url = f"{server.base_url}/threads/runs"
    with use_cassette(tmp_path / "timed.json", record_mode="once"):
        _first_and_last_event_times(url)
    with use_cassette(tmp_path / "timed.json", record_mode="none", speed=1.0):
        _, paced = _first_and_last_event_times("http://127.0.0.1:9/v1/threads/runs")
    with use_cassette(tmp_path / "timed.json", record_mode="none"):
        _, instant = _first_and_last_event_times("http://127.0.0.1:9/v1/threads/runs")
    assert paced >= 8 * 0.03 * 0.8
    assert instant < paced / 3


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
