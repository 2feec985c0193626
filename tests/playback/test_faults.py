"""Every replay fault is deterministic and visible to a real client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

import harness.replay.stream
from harness import CutAfter, DelayBefore, DisconnectAfter, HTTPError, use_cassette
from harness.playback.cassette import UnplayedExchangesWarning
from harness.sse import iter_sse, parse_sse
from tests.playback.conftest import FAKE_KEY, real_body
from tests.support.clocks import FakeTime, SleepLog
from tests.support.scripted_server import iter_routes, sse_answer

OFFLINE = "http://127.0.0.1:9/v1"


@pytest.fixture
def recorded(serve: Any, tmp_path: Path) -> Path:
    server = serve(iter_routes(sse_answer(real_body("009"))))
    path = tmp_path / "faults.json"
    with use_cassette(path, record_mode="once"), httpx.Client() as client:
        client.post(f"{server.base_url}/threads/t/runs", json={"assistant_id": "a", "stream": True}).read()
    return path


def _events(path: Path, **options: Any) -> list[str]:
    with use_cassette(path, record_mode="none", **options), httpx.Client() as client:
        with client.stream(
            "POST", f"{OFFLINE}/threads/t/runs", json={"stream": True, "assistant_id": "a"}
        ) as response:
            return [event.event for event in iter_sse(response.iter_raw())]


def test_cut_after_event_ends_the_stream_cleanly(recorded: Path) -> None:
    full = _events(recorded)
    assert _events(recorded, faults=[CutAfter(event=4)]) == full[:5]
    assert _events(recorded, faults=[CutAfter(event=4)], chunking="byte") == full[:5]


def test_disconnect_after_event_raises_the_libraries_protocol_error(recorded: Path) -> None:
    seen: list[str] = []
    with (
        use_cassette(recorded, record_mode="none", faults=[DisconnectAfter(event=2)]),
        httpx.Client() as client,
    ):
        with pytest.raises(httpx.RemoteProtocolError, match="after event 2"):
            with client.stream(
                "POST", f"{OFFLINE}/threads/t/runs", json={"stream": True, "assistant_id": "a"}
            ) as response:
                seen.extend(event.event for event in iter_sse(response.iter_raw()))
    assert len(seen) == 3


def test_delay_before_event_holds_that_event_back(recorded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps = SleepLog()  # the waits land in the log between the events the client saw
    monkeypatch.setattr(harness.replay.stream, "time", FakeTime(sleep=sleeps))
    with (
        use_cassette(
            recorded, record_mode="none", chunking="event", faults=[DelayBefore(event=3, seconds=0.3)]
        ),
        httpx.Client() as client,
    ):
        with client.stream(
            "POST", f"{OFFLINE}/threads/t/runs", json={"stream": True, "assistant_id": "a"}
        ) as response:
            for event in iter_sse(response.iter_raw()):
                sleeps.log.append(event.event)
    assert sleeps.waits == [0.3]
    assert sleeps.log.index(0.3) == 3, sleeps.log


@pytest.mark.parametrize("status", [429, 500, 503])
def test_http_error_in_place_of_the_response_then_sdk_retry_succeeds(recorded: Path, status: int) -> None:
    client = openai.OpenAI(api_key=FAKE_KEY, base_url=OFFLINE, max_retries=1)
    with use_cassette(recorded, record_mode="none", faults=[HTTPError(status, retry_after=0)]):
        stream = client.beta.threads.runs.create(thread_id="t", assistant_id="a", stream=True)
        names = [event.event for event in stream]
    assert names[-1] == "thread.run.completed"


def test_http_error_reaches_the_sdk_when_retries_are_exhausted(recorded: Path) -> None:
    client = openai.OpenAI(api_key=FAKE_KEY, base_url=OFFLINE, max_retries=0)
    with (
        pytest.warns(UnplayedExchangesWarning, match="never played"),
        use_cassette(recorded, record_mode="none", faults=[HTTPError(429, retry_after=3)]),
    ):
        with pytest.raises(openai.RateLimitError) as caught:
            client.beta.threads.runs.create(thread_id="t", assistant_id="a", stream=True)
    assert caught.value.response.headers["retry-after"] == "3"


def test_faults_are_deterministic(recorded: Path) -> None:
    options: dict[str, Any] = {"chunking": "random:3", "faults": [CutAfter(event=7)]}

    def reads() -> list[bytes]:
        with use_cassette(recorded, record_mode="none", **options), httpx.Client() as client:
            with client.stream(
                "POST", f"{OFFLINE}/threads/t/runs", json={"stream": True, "assistant_id": "a"}
            ) as response:
                return list(response.iter_raw())

    first = reads()
    assert first == reads()
    assert len(parse_sse(b"".join(first))) == 8


def test_bad_fault_and_option_values_are_refused_with_clear_errors() -> None:
    with pytest.raises(ValueError, match="4xx or 5xx"):
        HTTPError(200)
    with pytest.raises(ValueError, match="unknown chunking 'bytes'"):
        use_cassette("x.json", chunking="bytes")
    with pytest.raises(ValueError, match="integer seed"):
        use_cassette("x.json", chunking="random:abc")
    with pytest.raises(ValueError, match="unknown record mode 'sometimes'"):
        use_cassette("x.json", record_mode="sometimes")
    with pytest.raises(ValueError, match="speed"):
        use_cassette("x.json", speed=-1)
    with pytest.raises(ValueError, match="unknown matcher 'colour'"):
        use_cassette("x.json", match_on=["colour"])
