"""The harness's own format, through save and load: what goes in comes back, laid out one event a line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import CassetteError, load_cassette, save_cassette
from harness.cassette.formats import native
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.replay.chunking import AS_RECORDED
from harness.replay.plan import plan_stream

EVENTS = [b"event: thread.run.created\ndata: {}\n\n", b"event: done\ndata: [DONE]\n\n"]
URL = "https://api.openai.com/v1/threads/runs"


def _streamed(cut: str | None = None, frames: list[bytes] | None = None) -> Cassette:
    frames = frames or list(EVENTS)
    sizes = [5, sum(map(len, frames)) - 5]
    stream = RecordedStream(frames, sizes, [0.0, 0.0123456], cut)
    response = RecordedResponse(200, "OK", [("content-type", "text/event-stream")], b"", stream)
    request = RecordedRequest("POST", URL, [("content-type", "application/json")], b'{"stream": true}')
    return Cassette([Exchange(request, response)], metadata={"recorded_with": "test", "n": [1, 2]})


def _round_trip(cassette: Cassette, tmp_path: Path) -> Cassette:
    path = tmp_path / "cassette.json"
    save_cassette(cassette, path)
    return load_cassette(path)


@pytest.mark.parametrize("cut", [None, "client-closed", "connection-error: RemoteProtocolError"])
def test_a_stream_comes_back_with_its_chunks_timing_and_cut_marker(cut: str | None, tmp_path: Path) -> None:
    back = _round_trip(_streamed(cut), tmp_path)
    stream = back.exchanges[0].response.stream
    assert stream is not None
    assert stream.frames == EVENTS and stream.chunk_sizes == [5, sum(map(len, EVENTS)) - 5]
    assert stream.chunk_times == [0.0, 0.012346]  # kept to the microsecond (milliseconds, 3 decimals)
    assert stream.cut == cut
    assert back.metadata == {"recorded_with": "test", "n": [1, 2]}
    assert back.source_format == "harness"
    request = back.exchanges[0].request
    assert (request.method, request.url, request.headers, request.body) == (
        "POST",
        URL,
        [("content-type", "application/json")],
        b'{"stream": true}',
    )
    response = back.exchanges[0].response
    assert (response.status, response.reason, response.headers) == (
        200,
        "OK",
        [("content-type", "text/event-stream")],
    )


def test_a_dropped_connection_still_replays_as_dropped(tmp_path: Path) -> None:
    back = _round_trip(_streamed("connection-error: RemoteProtocolError"), tmp_path)
    stream = back.exchanges[0].response.stream
    assert stream is not None
    assert plan_stream(stream, AS_RECORDED).error == "connection-error: RemoteProtocolError"
    complete = _round_trip(_streamed(None), tmp_path).exchanges[0].response.stream
    assert complete is not None and plan_stream(complete, AS_RECORDED).error is None


def test_bodies_that_are_not_utf8_are_kept_as_base64(tmp_path: Path) -> None:
    frames = [b"data: \xff\xfe\n\n", b"data: ok\n\n"]
    cassette = _streamed(frames=frames)
    cassette.exchanges[0].request.body = b"\x00\xff binary"
    plain = Exchange(
        RecordedRequest("GET", URL, [], b""), RecordedResponse(404, "Not Found", [], b"\x89PNG\xff")
    )
    cassette.exchanges.append(plain)
    path = tmp_path / "cassette.json"
    save_cassette(cassette, path)
    text = path.read_text()
    assert '{"base64": "' in text
    back = load_cassette(path)
    assert back.exchanges[0].request.body == b"\x00\xff binary"
    assert back.exchanges[0].response.stream is not None
    assert back.exchanges[0].response.stream.frames == frames
    assert back.exchanges[1].response.body == b"\x89PNG\xff" and back.exchanges[1].response.stream is None
    assert back.exchanges[1].response.reason == "Not Found"


def test_the_layout_puts_each_event_on_a_line_of_its_own() -> None:
    text = native.dumps(_streamed())
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1] == '"harness_cassette": 1,' and text.endswith("}\n")
    assert json.dumps(EVENTS[0].decode(), ensure_ascii=False) + "," in lines
    assert json.dumps(EVENTS[1].decode(), ensure_ascii=False) in lines
    assert '    "chunk_ms": [0.0, 12.346],' in lines
    assert '    "cut": null,' in lines
    assert native.looks_native(text) and not native.looks_native('{"interactions": []}')
    two = _streamed()
    two.exchanges.append(two.exchanges[0])
    assert json.loads(native.dumps(two))["exchanges"][1] == json.loads(native.dumps(two))["exchanges"][0]
    assert '"metadata"' not in native.dumps(Cassette([]))


def test_a_cassette_of_another_version_is_refused_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "future.json"
    path.write_text('{"harness_cassette": 2, "exchanges": []}')
    with pytest.raises(CassetteError) as caught:
        load_cassette(path)
    assert "unsupported cassette version 2 (this harness reads version 1)" in str(caught.value)
    assert caught.value.location == "harness_cassette"


def test_an_empty_cassette_round_trips(tmp_path: Path) -> None:
    back = _round_trip(Cassette([]), tmp_path)
    assert back.exchanges == [] and back.metadata == {}


def test_text_round_trips_through_dumps_and_loads() -> None:
    cassette = _streamed("client-closed")
    back = native.loads(native.dumps(cassette))
    assert back.exchanges == _round_trip_free(cassette).exchanges
    assert back.metadata == cassette.metadata and back.source_format == "harness"


def _round_trip_free(cassette: Cassette) -> Cassette:
    """The cassette as it reads back: arrival times kept to the microsecond."""
    for exchange in cassette.exchanges:
        stream = exchange.response.stream
        if stream is not None:
            stream.chunk_times = [round(moment, 6) for moment in stream.chunk_times]
    return cassette
