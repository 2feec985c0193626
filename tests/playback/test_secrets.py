"""Secrets never reach disk: scrubbed by default, and a cassette still holding one is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from harness import ScrubRules, SecretLeakError, use_cassette
from harness.cassette import Exchange, load_cassette
from tests.playback.conftest import real_body
from tests.support.scripted_server import Scripted, iter_routes

KEY = "sk-test-fake-planted-secret-1234567890abcdef"
ORG = "org-test-fake-planted-organization"
PROJECT = "proj_test_fake_planted_project"
COOKIE = "session=test-fake-planted-cookie-value"
SECRETS = [KEY, ORG, PROJECT, "test-fake-planted-cookie-value"]


def _stream_with_key_in_data() -> bytes:
    body = real_body("009").decode()
    return body.replace('"metadata":{}', f'"metadata":{{"leak":"{KEY}"}}', 1).encode()


def test_every_default_secret_is_scrubbed_from_what_is_written(serve: Any, tmp_path: Path) -> None:
    answer = Scripted(
        200,
        [("content-type", "text/event-stream"), ("set-cookie", COOKIE), ("openai-organization", ORG)],
        [(0.0, _stream_with_key_in_data())],
    )
    server = serve(iter_routes(answer))
    client = openai.OpenAI(
        api_key=KEY,
        organization=ORG,
        project=PROJECT,
        base_url=server.base_url,
        default_headers={"cookie": COOKIE},
        default_query={"api-key": KEY},
    )
    path = tmp_path / "secrets.json"
    with use_cassette(path, record_mode="once"):
        stream = client.beta.threads.runs.create(
            thread_id="t", assistant_id="a", stream=True, instructions=f"my key is {KEY}"
        )
        seen = [json.dumps(event.data.model_dump()) for event in stream]
        assert any(KEY in data for data in seen)  # the client saw it
    written = path.read_text()
    for secret in SECRETS:
        assert secret not in written
    exchange = load_cassette(path).exchanges[0]
    headers = dict(exchange.request.headers)
    assert headers["authorization"] == "REDACTED"
    assert headers["openai-organization"] == "REDACTED"
    assert headers["openai-project"] == "REDACTED"
    assert headers["cookie"] == "REDACTED"
    assert dict(exchange.response.headers)["set-cookie"] == "REDACTED"
    assert "api-key=REDACTED" in exchange.request.url
    assert b"sk-REDACTED" in exchange.request.body
    assert b"*" * len(KEY) in exchange.response.stream.body  # type: ignore[union-attr]


def test_scrubbed_stream_still_replays_with_a_consistent_chunk_table(serve: Any, tmp_path: Path) -> None:
    body = _stream_with_key_in_data()
    server = serve(
        iter_routes(
            Scripted(200, [("content-type", "text/event-stream")], [(0.0, body[:500]), (0.0, body[500:])])
        )
    )
    path = tmp_path / "scrubbed.json"
    with use_cassette(path, record_mode="once"), httpx.Client() as client:
        client.post(f"{server.base_url}/threads/t/runs", json={}).read()
    stream = load_cassette(path).streams[0]
    assert sum(stream.chunk_sizes) == len(stream.body)
    with use_cassette(path, record_mode="none"), httpx.Client() as client:
        replayed = client.post("http://127.0.0.1:9/v1/threads/t/runs", json={}).content
    assert replayed == body.replace(KEY.encode(), b"*" * len(KEY))


def test_user_rules_scrub_more(serve: Any, tmp_path: Path) -> None:
    server = serve(
        iter_routes(
            Scripted(
                200,
                [("content-type", "application/json"), ("x-user", "alice")],
                [(0.0, b'{"id": "thread_1", "metadata": {"email": "a@example.com"}}')],
                chunked=False,
            )
        )
    )
    rules = ScrubRules(headers=["x-user"], json_paths=["metadata.email"], patterns=[r"thread_\d"])
    path = tmp_path / "rules.json"
    with use_cassette(path, record_mode="once", scrub=rules), httpx.Client() as client:
        client.post(f"{server.base_url}/threads", json={"metadata": {"email": "a@example.com"}})
    written = path.read_text()
    assert "alice" not in written and "a@example.com" not in written and "thread_1" not in written


def test_cassette_still_holding_a_key_is_refused_and_the_old_file_kept(serve: Any, tmp_path: Path) -> None:
    server = serve(
        iter_routes(Scripted(200, [("content-type", "application/json")], [(0.0, b"{}")], chunked=False))
    )
    path = tmp_path / "refused.json"
    previous = '{"harness_cassette": 1, "exchanges": []}\n'
    path.write_text(previous)

    def put_the_key_back(exchange: Exchange) -> Exchange:
        exchange.request.body = f'{{"note": "{KEY}"}}'.encode()
        return exchange

    for leaky in (ScrubRules(redact_default_headers=False), ScrubRules(hooks=[put_the_key_back])):
        with pytest.raises(SecretLeakError, match=r"refusing to write .*refused\.json.*exchange 0"):
            with use_cassette(path, record_mode="all", scrub=leaky), httpx.Client() as client:
                client.post(
                    f"{server.base_url}/threads", headers={"authorization": "Basic dGVzdDpmYWtl"}, json={}
                )
    assert path.read_text() == previous
    assert [p.name for p in tmp_path.iterdir()] == ["refused.json"]


def test_a_refused_save_still_removes_the_patches(serve: Any, tmp_path: Path) -> None:
    server = serve(
        iter_routes(Scripted(200, [("content-type", "application/json")], [(0.0, b"{}")], chunked=False))
    )
    leaky = ScrubRules(hooks=[lambda exchange: _with_key(exchange)])
    originals = (httpx.HTTPTransport.handle_request, httpx.AsyncHTTPTransport.handle_async_request)
    with pytest.raises(SecretLeakError):
        with use_cassette(tmp_path / "a.json", record_mode="all", scrub=leaky), httpx.Client() as client:
            client.post(f"{server.base_url}/threads", json={})
    assert (httpx.HTTPTransport.handle_request, httpx.AsyncHTTPTransport.handle_async_request) == originals
    with httpx.Client() as client:  # no cassette active: goes to the server, recorded nowhere
        assert client.post(f"{server.base_url}/threads", json={}).json() == {}
    assert not (tmp_path / "a.json").exists()


def _with_key(exchange: Exchange) -> Exchange:
    exchange.request.body = KEY.encode()
    return exchange
