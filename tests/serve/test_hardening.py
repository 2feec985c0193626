"""``harness serve`` against hostile clients and cassettes: malformed lengths and oversized bodies
get 400/413, idle connections are closed, header injection is refused when loading, a request is
parsed once however many recordings it is compared with; ``--repeat`` and the start-up listing."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
import pytest

from harness import matching
from harness.cassette import Cassette, save_cassette
from harness.cassette.model import Exchange, RecordedRequest, RecordedResponse
from harness.cli import main
from harness.errors import CassetteError
from harness.matching import DEFAULT_MATCH_ON, resolve_matchers
from harness.replay.player import Player
from harness.serve import ReplayServer

URL = "https://api.openai.com/v1/threads/thread_fake/runs/run_fake"


def _poll(status: str) -> Exchange:
    body = json.dumps({"id": "run_fake", "status": status}).encode()
    return Exchange(RecordedRequest("GET", URL, [], b""), RecordedResponse(200, "OK", [], body))


POLLS = Cassette([_poll("in_progress"), _poll("completed")])


def _raw(server: ReplayServer, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while piece := connection.recv(65536):  # the server closes after a bad request
            answer += piece
        return answer


@pytest.mark.parametrize("length", ["abc", "1e3", "-1", "+5", "12, 13"])
def test_a_malformed_content_length_gets_a_400(length: str) -> None:
    with ReplayServer(POLLS) as server:
        answer = _raw(
            server, f"POST /v1/threads HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode()
        )
    assert answer.startswith(b"HTTP/1.1 400 "), answer
    assert b"malformed Content-Length" in answer


@pytest.mark.parametrize("length", [5000, 2**64 + 1])
def test_a_body_over_the_limit_gets_a_413_without_being_read(length: int) -> None:
    with ReplayServer(POLLS, max_body=1000) as server:
        answer = _raw(server, b"POST /v1/threads HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % length)
    assert answer.startswith(b"HTTP/1.1 413 "), answer
    assert b"over the limit of 1000" in answer


def test_a_body_shorter_than_its_length_gets_a_400() -> None:
    with ReplayServer(POLLS) as server, socket.create_connection(("127.0.0.1", server.port), timeout=10) as c:
        c.sendall(b"POST /v1/threads HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{}")
        c.shutdown(socket.SHUT_WR)
        answer = b""
        while piece := c.recv(65536):
            answer += piece
    assert answer.startswith(b"HTTP/1.1 400 ") and b"ended after 2 of 50 bytes" in answer


def test_an_idle_connection_is_closed() -> None:
    with ReplayServer(POLLS, idle_timeout=0.2) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
            assert connection.recv(1) == b""  # the server hung up instead of holding a thread forever


def test_a_recorded_header_holding_cr_lf_is_refused_when_loading(tmp_path: Path) -> None:
    injected = Exchange(
        RecordedRequest("GET", URL, [], b""),
        RecordedResponse(200, "OK", [("x-note", "fine\r\nX-Injected: yes")], b"{}"),
    )
    path = tmp_path / "injected.json"
    save_cassette(Cassette([injected]), path)
    with pytest.raises(CassetteError) as caught:
        ReplayServer(path)
    assert str(caught.value).startswith(f"{path}: exchange #0: response header 'x-note' holds CR, LF or NUL")


def test_repeat_serves_the_last_matching_recording_again() -> None:
    with ReplayServer(POLLS) as once, ReplayServer(POLLS, repeat=True) as repeating:
        plain = [
            httpx.get(f"{once.base_url}/threads/thread_fake/runs/run_fake").status_code for _ in range(3)
        ]
        statuses = [
            httpx.get(f"{repeating.base_url}/threads/thread_fake/runs/run_fake").json()["status"]
            for _ in range(4)
        ]
    assert plain == [200, 200, 404]
    assert statuses == ["in_progress", "completed", "completed", "completed"]


def test_serve_lists_the_requests_it_can_serve(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "polls.json"
    save_cassette(POLLS, path)
    with ReplayServer(path) as server:
        listing = server.app.listing()
    assert listing == [
        "#0 GET /v1/threads/thread_fake/runs/run_fake -> 200",
        "#1 GET /v1/threads/thread_fake/runs/run_fake -> 200",
    ]


def test_a_request_body_is_parsed_once_however_many_recordings_it_meets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed: list[int] = []
    real = matching.parse_json_body

    def counting(body: bytes) -> object:
        parsed.append(len(body))
        return real(body)

    monkeypatch.setattr(matching, "parse_json_body", counting)
    recorded = [RecordedRequest("POST", "/v1/threads", [], b'{"n": %d}' % number) for number in range(300)]
    player = Player(recorded, resolve_matchers(DEFAULT_MATCH_ON))
    incoming = RecordedRequest("POST", "/v1/threads", [], b'{"n": -1, "pad": "%s"}' % (b"x" * 100_000))

    assert player.claim(incoming) is None
    assert parsed.count(len(incoming.body)) == 1
    assert len(parsed) == 301


def test_serve_answers_a_hostile_cassette_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "injected.json"
    injected = Exchange(
        RecordedRequest("GET", URL, [], b""), RecordedResponse(200, "OK", [("x", "a\nb")], b"{}")
    )
    save_cassette(Cassette([injected]), path)
    assert main(["serve", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("harness serve: error: ") and "CR, LF or NUL" in err[0]
