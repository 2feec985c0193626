"""Which recording answers a request, record modes, CI behaviour and unplayed exchanges."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness import UnmatchedRequestError, use_cassette
from harness.cassette import load_cassette
from harness.playback.cassette import UnplayedExchangesError, UnplayedExchangesWarning
from tests.support.scripted_server import Scripted, json_answer

OFFLINE = "http://127.0.0.1:9/v1"


@pytest.fixture
def counting_server(serve: Any) -> Any:
    """Answers every request with {"n": <how many requests it has seen>}."""
    seen: list[int] = []

    def route(method: str, path: str, body: bytes) -> Scripted:
        seen.append(1)
        return json_answer(f'{{"n": {len(seen)}}}'.encode())

    return serve(route)


def _record(path: Path, base_url: str, bodies: list[str], mode: str = "once") -> list[Any]:
    with use_cassette(path, record_mode=mode), httpx.Client() as client:
        return [
            client.post(
                f"{base_url}/threads/t/runs/r", content=body, headers={"content-type": "application/json"}
            ).json()["n"]
            for body in bodies
        ]


def test_json_bodies_match_regardless_of_key_order_and_whitespace(
    counting_server: Any, tmp_path: Path
) -> None:
    path = tmp_path / "json.json"
    _record(path, counting_server.base_url, ['{"a": 1, "b": [1, 2]}'])
    with use_cassette(path, record_mode="none"), httpx.Client() as client:
        answer = client.post(f"{OFFLINE}/threads/t/runs/r", content='{ "b":[1,2],"a":1 }')
    assert answer.json() == {"n": 1}


def test_ignored_body_fields_do_not_prevent_a_match(counting_server: Any, tmp_path: Path) -> None:
    path = tmp_path / "ignored.json"
    _record(path, counting_server.base_url, ['{"a": 1, "metadata": {"nonce": "x1"}}'])
    with (
        use_cassette(path, record_mode="none", ignore_body_fields=["metadata.nonce"]),
        httpx.Client() as client,
    ):
        assert client.post(
            f"{OFFLINE}/threads/t/runs/r", content='{"a": 1, "metadata": {"nonce": "y2"}}'
        ).json() == {"n": 1}


def test_repeated_identical_requests_are_served_in_recorded_order(
    counting_server: Any, tmp_path: Path
) -> None:
    path = tmp_path / "polling.json"
    assert _record(path, counting_server.base_url, ["{}", "{}", "{}"]) == [1, 2, 3]
    with use_cassette(path, record_mode="none"), httpx.Client() as client:
        served = [client.post(f"{OFFLINE}/threads/t/runs/r", content="{}").json()["n"] for _ in range(3)]
        with pytest.raises(UnmatchedRequestError, match="already played"):
            client.post(f"{OFFLINE}/threads/t/runs/r", content="{}")
    assert served == [1, 2, 3]


@pytest.mark.filterwarnings("ignore::harness.playback.cassette.UnplayedExchangesWarning")
def test_unmatched_request_names_request_cassette_and_closest_with_a_diff(
    counting_server: Any, tmp_path: Path
) -> None:
    path = tmp_path / "miss.json"
    _record(path, counting_server.base_url, ['{"assistant_id": "asst_1", "stream": true}'])
    with use_cassette(path, record_mode="none"), httpx.Client() as client:
        with pytest.raises(UnmatchedRequestError) as caught:
            client.post(f"{OFFLINE}/threads/t/runs/r", content='{"assistant_id": "asst_2", "stream": true}')
    message = str(caught.value)
    assert f"POST {OFFLINE}/threads/t/runs/r" in message
    assert str(path) in message
    assert "Closest recorded request: #0" in message and "differs in: json_body" in message
    assert '-  "assistant_id": "asst_1",' in message and '+  "assistant_id": "asst_2",' in message
    assert "--run-record-mode=new_episodes" in message


def test_once_records_a_new_cassette_then_refuses_new_requests(counting_server: Any, tmp_path: Path) -> None:
    path = tmp_path / "once.json"
    _record(path, counting_server.base_url, ["{}"])
    with pytest.raises(UnmatchedRequestError):
        _record(path, counting_server.base_url, ["{}", '{"new": true}'])


def test_new_episodes_adds_what_is_missing(counting_server: Any, tmp_path: Path) -> None:
    path = tmp_path / "episodes.json"
    _record(path, counting_server.base_url, ["{}"])
    assert _record(path, counting_server.base_url, ["{}", '{"new": true}'], mode="new_episodes") == [1, 2]
    assert len(load_cassette(path).exchanges) == 2


def test_all_records_everything_again(counting_server: Any, tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    _record(path, counting_server.base_url, ["{}"])
    assert _record(path, counting_server.base_url, ["{}"], mode="all") == [2]
    with use_cassette(path, record_mode="none"), httpx.Client() as client:
        assert client.post(f"{OFFLINE}/threads/t/runs/r", content="{}").json() == {"n": 2}


def test_ci_defaults_to_none_and_says_so(counting_server: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(UnmatchedRequestError, match="CI environment variable"):
        with use_cassette(tmp_path / "ci.json"), httpx.Client() as client:
            client.post(f"{counting_server.base_url}/threads/t/runs/r", content="{}")
    assert not (tmp_path / "ci.json").exists()
    assert counting_server.requests == []
    monkeypatch.setenv("CI", "false")
    assert _record(tmp_path / "ci.json", counting_server.base_url, ["{}"], mode=None) == [1]  # type: ignore[arg-type]


def test_unplayed_exchanges_are_reported_and_can_fail(counting_server: Any, tmp_path: Path) -> None:
    path = tmp_path / "unplayed.json"
    _record(path, counting_server.base_url, ["{}", '{"second": 1}'])
    with pytest.warns(UnplayedExchangesWarning, match=r"1 recorded exchange\(s\).*never played: #1 POST"):
        with use_cassette(path, record_mode="none"), httpx.Client() as client:
            client.post(f"{OFFLINE}/threads/t/runs/r", content="{}")
    with pytest.raises(UnplayedExchangesError, match="never played"):
        with use_cassette(path, record_mode="none", fail_on_unplayed=True), httpx.Client() as client:
            client.post(f"{OFFLINE}/threads/t/runs/r", content="{}")


def test_crash_while_writing_leaves_the_old_cassette_intact(
    counting_server: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    path = tmp_path / "crash.json"
    _record(path, counting_server.base_url, ["{}"])
    before = path.read_bytes()

    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _record(path, counting_server.base_url, ['{"other": 1}'], mode="all")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crash.json"]


def test_decorator_form_records_and_replays(counting_server: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("CI", raising=False)  # the default record mode records only outside CI
    path = tmp_path / "decorated.json"

    @use_cassette(path)
    def fetch(base_url: str) -> int:
        with httpx.Client() as client:
            return int(client.post(f"{base_url}/threads/t/runs/r", content="{}").json()["n"])

    assert fetch(counting_server.base_url) == 1
    assert fetch(OFFLINE) == 1


def test_a_matcher_of_the_users_compares_the_scrubbed_headers(counting_server: Any, tmp_path: Path) -> None:
    path = tmp_path / "headers.json"
    with use_cassette(path, record_mode="once"), httpx.Client() as client:
        client.post(f"{counting_server.base_url}/threads", headers={"x-api-key": "plainsecretkey42Qz"})
    seen: list[list[tuple[str, str]]] = []

    def same_key(recorded: Any, request: Any) -> bool:
        seen.append([(name, value) for name, value in request.headers if name == "x-api-key"])
        return dict(recorded.headers).get("x-api-key") == dict(request.headers).get("x-api-key")

    with use_cassette(path, record_mode="none", match_on=["method", "path", same_key]), httpx.Client() as c:
        assert c.post(f"{OFFLINE}/threads", headers={"x-api-key": "anotherkey77Wq9"}).json() == {"n": 1}
    assert seen == [[("x-api-key", "REDACTED")]]
