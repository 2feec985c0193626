"""``harness.serve.ReplayServer`` and ``harness serve``: recorded exchanges over real HTTP."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import httpx
import openai
import pytest

from harness.cassette import Cassette, load_cassette
from harness.cassette.model import Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.cli import main
from harness.cli.conversation import FAKE_KEY, drive_conversation
from harness.http.exchange import HttpRequest
from harness.replay.faults import DisconnectAfter, HTTPError
from harness.serve import UNMATCHED_TYPE, ReplayApp, ReplayServer
from tests.cli import record_support
from tests.cli.record_support import (
    assert_one_line_error,
    harness_command,
    message_texts,
    tool_call_arguments,
    transcript_of,
)

tool_call_cassette = record_support.tool_call_cassette  # the session's recorded cassette


@pytest.mark.parametrize("chunking", ["recorded", "byte", "random:7", "whole"])
def test_the_sdk_replays_a_conversation_from_the_server(chunking: str, tool_call_cassette: Path) -> None:
    transcript = transcript_of(tool_call_cassette)
    lines: list[str] = []
    with ReplayServer([tool_call_cassette], chunking=chunking, log=lines.append) as server:
        assert server.base_url.startswith("http://127.0.0.1:") and server.base_url.endswith("/v1")
        with openai.OpenAI(api_key=FAKE_KEY, base_url=server.base_url, max_retries=0, timeout=10) as client:
            outcome = drive_conversation(client, "tool-call")
        assert server.app.unplayed == []
    assert outcome.runs[-1] == transcript.final_run
    assert message_texts(list(outcome.messages.values())) == message_texts(transcript.messages)
    assert tool_call_arguments(list(outcome.run_steps.values())) == tool_call_arguments(transcript.run_steps)
    assert len(lines) == 5 and lines[3].endswith("-> #3 200 stream")


def test_unmatched_request_gets_a_404_explaining_the_miss(tool_call_cassette: Path) -> None:
    with (
        ReplayServer(tool_call_cassette) as server,
        httpx.Client(base_url=server.base_url, timeout=10) as http,
    ):
        response = http.post("/assistants", json={"model": "gpt-4o-mini"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["type"] == UNMATCHED_TYPE
    assert error["message"].startswith("Closest recorded request: #0 POST http://127.0.0.1:")
    assert '-  "model": "gpt-4o",' in error["message"] and '+  "model": "gpt-4o-mini"' in error["message"]


def _polls(*statuses: str) -> Cassette:
    url = "https://api.openai.com/v1/threads/thread_fake/runs/run_fake"
    return Cassette(
        [
            Exchange(
                RecordedRequest("GET", url),
                RecordedResponse(
                    200,
                    "OK",
                    [("content-type", "application/json")],
                    json.dumps({"id": "run_fake", "status": status}).encode(),
                ),
            )
            for status in statuses
        ]
    )


def test_repeated_requests_are_answered_in_recorded_order() -> None:
    with (
        ReplayServer(_polls("queued", "in_progress", "completed")) as server,
        httpx.Client(base_url=server.base_url, timeout=10) as http,
    ):
        statuses = [http.get("/threads/thread_fake/runs/run_fake").json()["status"] for _ in range(3)]
        again = http.get("/threads/thread_fake/runs/run_fake")
    assert statuses == ["queued", "in_progress", "completed"]
    assert again.status_code == 404
    assert "differs in: nothing; it was already played" in again.json()["error"]["message"]


def test_faults_cut_the_connection_or_answer_errors(tool_call_cassette: Path) -> None:
    stream_request = next(
        exchange
        for exchange in load_cassette(tool_call_cassette).exchanges
        if exchange.response.stream is not None
    ).request
    path = stream_request.url.split("/v1", 1)[1]
    with (
        ReplayServer(
            tool_call_cassette, faults=[DisconnectAfter(4), HTTPError(503, times=1, exchange=3)]
        ) as server,
        httpx.Client(base_url=server.base_url, timeout=10) as http,
    ):
        refused = http.post(path, content=stream_request.body)
        assert refused.status_code == 503 and refused.json()["error"]["type"] == "server_error"
        received = b""
        with (
            pytest.raises(httpx.RemoteProtocolError),
            http.stream("POST", path, content=stream_request.body) as response,
        ):
            for chunk in response.iter_bytes():
                received += chunk
    assert received.count(b"\n\n") == 5  # events 0..4, then the connection drops


def test_recorded_timing_is_reproduced_at_speed_one() -> None:
    """The server is told to wait the recorded gaps (scaled by the speed) before each piece; the
    bytes are the recorded ones either way. (Waits are read from the app, not timed: no clock.)"""
    body = b"event: thread.run.created\ndata: {}\n\nevent: done\ndata: [DONE]\n\n"
    stream = RecordedStream.from_chunks([body[:37], body[37:]], [0.0, 0.3])
    cassette = Cassette(
        [
            Exchange(
                RecordedRequest("POST", "/v1/threads/thread_fake/runs"),
                RecordedResponse(200, "OK", [("content-type", "text/event-stream")], stream=stream),
            )
        ]
    )
    request = HttpRequest("POST", "/v1/threads/thread_fake/runs")
    for speed, total_wait in ((1.0, 0.3), (2.0, 0.6), (0.0, 0.0)):
        pieces = list(ReplayApp(cassette.exchanges, speed=speed).handle(request).pieces())
        assert b"".join(chunk for _, chunk in pieces) == body
        assert sum(wait for wait, _ in pieces) == pytest.approx(total_wait)
    with (
        ReplayServer(cassette, speed=1.0) as server,
        httpx.Client(base_url=server.base_url, timeout=10) as http,
    ):
        assert http.post("/threads/thread_fake/runs").content == body


def test_serve_command_prints_the_base_url_and_stops_on_ctrl_c(tool_call_cassette: Path) -> None:
    process = subprocess.Popen(
        [*harness_command(), "serve", str(tool_call_cassette), "--chunking", "event"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("serving 5 recorded exchanges from ")
        base_url = lines[1].removeprefix("base URL: ").strip()
        with openai.OpenAI(api_key=FAKE_KEY, base_url=base_url, max_retries=0, timeout=60) as client:
            outcome = drive_conversation(client, "tool-call")
        assert outcome.final_status == "completed"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)  # a loaded machine is slow to shut down
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
    assert process.returncode == 0
    assert "stopped; 5 of 5 exchanges served" in out
    assert "Traceback" not in err and "submit_tool_outputs -> #4 200 stream" in err


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["missing.json"], "missing.json: no such file"),
        (["CASSETTE", "--chunking", "lumpy"], "--chunking: unknown chunking 'lumpy'"),
        (["CASSETTE", "--speed", "fast"], "--speed needs 0 (instant) or a positive factor"),
        (["CASSETTE", "--port", "70000"], "--port needs a number from 0 to 65535"),
        (["CASSETTE", "--host", "192.0.2.1"], "cannot listen on 192.0.2.1:0"),
    ],
)
def test_serve_bad_input_is_one_line(
    arguments: list[str], expected: str, tool_call_cassette: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = [str(tool_call_cassette) if item == "CASSETTE" else item for item in arguments]
    assert main(["serve", *arguments]) == 1
    assert expected in assert_one_line_error(capsys.readouterr().err, "serve")


def test_serve_refuses_a_busy_port(tool_call_cassette: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ReplayServer(tool_call_cassette) as busy:
        assert main(["serve", str(tool_call_cassette), "--port", str(busy.port)]) == 1
    line = assert_one_line_error(capsys.readouterr().err, "serve")
    assert f"cannot listen on 127.0.0.1:{busy.port}" in line


def test_no_server_is_left_running(tool_call_cassette: Path) -> None:
    with ReplayServer(tool_call_cassette) as server:
        port = server.port
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/v1/assistants", timeout=2)
