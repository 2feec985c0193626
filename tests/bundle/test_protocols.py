"""``harness bundle`` of a Responses, a Chat Completions, an Assistants and a mixed cassette recorded
from the emulator: the generated test replays each through the openai SDK call that made it, passes
on the cassette as bundled and fails, saying which protocol and what, when the cassette changes."""

from __future__ import annotations

import re
import runpy
import zipfile
from pathlib import Path
from typing import Any

import pytest

from harness import load_cassette, save_cassette
from harness.bundle import make_bundle
from harness.bundle.replay import replay, sdk_call
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.cli import main
from harness.errors import UnmatchedRequestError
from tests.bundle.test_bundle import run_pytest
from tests.support.mixed import APIS, PROTOCOLS, record_apis

PROTOCOL = dict(zip(APIS, PROTOCOLS, strict=True))
SDK_CALLS = {
    "assistants": ["beta.threads.runs.create", "beta.threads.runs.submit_tool_outputs"],
    "responses": ["responses.create", "responses.create"],
    "chat": ["chat.completions.create", "chat.completions.create"],
}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A tool-call round trip recorded from the emulator over each API, and the three in one file."""
    return record_apis(tmp_path_factory.mktemp("recorded"))


def expected_of(bundle: Path) -> list[dict[str, Any]]:
    """The EXPECTED list the generated test asserts."""
    expected: list[dict[str, Any]] = runpy.run_path(str(bundle / "test_replay.py"))["EXPECTED"]
    return expected


def unzipped(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as packed:
        packed.extractall(into)
    return into / archive.stem


@pytest.mark.parametrize("api", APIS)
def test_each_streamed_request_maps_to_the_sdk_call_that_made_it(recorded: dict[str, Path], api: str) -> None:
    streamed = [e.request for e in load_cassette(recorded[api]).exchanges if e.response.stream is not None]
    calls = [sdk_call(request) for request in streamed]
    assert [call[1] if call else None for call in calls] == SDK_CALLS[api]
    assert all(call is not None and call[0].endswith("/v1") for call in calls)


@pytest.mark.parametrize("api", [*APIS, "mixed"])
def test_a_bundle_of_any_protocol_replays_and_passes(
    recorded: dict[str, Path], tmp_path: Path, api: str, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / f"{api}-report.zip"
    assert main(["bundle", str(recorded[api]), "--output", str(archive)]) == 0
    printed = capsys.readouterr().out
    bundle = unzipped(archive, tmp_path / "unpacked")

    protocols = [PROTOCOL[name] for name in APIS] if api == "mixed" else [PROTOCOL[api]]
    expected = expected_of(bundle)
    assert [outcome["protocol"] for outcome in expected] == protocols
    assert all(outcome["status"] == "completed" and outcome["diagnostics"] == [] for outcome in expected)
    finals = [next(key for key in outcome if key.startswith("final_")) for outcome in expected]
    assert finals == [
        {"assistants": "final_run", "responses": "final_response", "chat.completions": "final_completion"}[p]
        for p in protocols
    ]
    assert expected[-1]["conversation"][0].startswith("1. user: ")
    for protocol in protocols:
        assert f"`{protocol}` (streams " in printed
        assert f"`{protocol}` (streams " in (bundle / "README.md").read_text()

    done = run_pytest(bundle)
    assert done.returncode == 0, done.stdout
    assert "1 passed" in done.stdout


@pytest.mark.parametrize("api", [*APIS, "mixed"])
def test_the_generated_test_says_which_protocol_changed(
    recorded: dict[str, Path], tmp_path: Path, api: str
) -> None:
    bundle = tmp_path / "bundle"
    make_bundle(recorded[api], bundle)
    cassette = load_cassette(bundle / "cassette.json")
    edited = [e for e in cassette.exchanges if e.response.stream is not None][-1]
    stream = edited.response.stream
    assert stream is not None and b"Thanks" in stream.body
    stream.frames = [frame.replace(b"Thanks", b"Thonks") for frame in stream.frames]
    stream.chunk_sizes, stream.chunk_times = [len(stream.body)], [0.0]
    save_cassette(cassette, bundle / "cassette.json")

    done = run_pytest(bundle)
    assert done.returncode == 1 and "1 failed" in done.stdout
    last = "chat.completions" if api in ("chat", "mixed") else PROTOCOL[api]
    assert f"AssertionError: {last} (streams [" in done.stdout
    assert "conversation differs from when the bundle was made" in done.stdout
    assert "Thonks" in done.stdout


def test_without_the_openai_sdk_the_bundle_replays_through_httpx(
    recorded: dict[str, Path], tmp_path: Path
) -> None:
    bundle = tmp_path / "bundle"
    make_bundle(recorded["mixed"], bundle)
    blocked = tmp_path / "no-sdk" / "openai"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text('raise ImportError("openai is not installed here")\n')

    done = run_pytest(bundle, pythonpath=blocked.parent)
    assert done.returncode == 0, done.stdout
    assert "1 passed" in done.stdout


def run_cassette_file(path: Path, url: str, body: bytes) -> Path:
    """A cassette of one streamed Assistants run requested at ``url`` with ``body``."""
    frames = [
        b'event: thread.run.created\ndata: {"id":"run_1","object":"thread.run","status":"queued"}\n\n',
        b"event: done\ndata: [DONE]\n\n",
    ]
    stream = RecordedStream(frames, [sum(map(len, frames))], [0.0])
    request = RecordedRequest("POST", url, [("content-type", "application/json")], body)
    response = RecordedResponse(200, "OK", [("content-type", "text/event-stream")], stream=stream)
    save_cassette(Cassette([Exchange(request, response)]), path)
    return path


def test_path_ids_and_body_fields_named_like_sdk_options_replay_as_recorded(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/v1/threads/thread%2F1/runs"  # the SDK quotes the id it is given
    body = b'{"assistant_id":"asst_1","stream":true,"timeout":5}'  # a field, not the SDK's timeout
    cassette = run_cassette_file(tmp_path / "run.json", url, body)
    assert sdk_call(load_cassette(cassette).exchanges[0].request) == (
        "http://127.0.0.1:9/v1",
        "beta.threads.runs.create",
        {"thread_id": "thread/1"},
    )
    (played,) = replay(cassette)
    assert played.request.url == url


def test_a_body_the_sdk_refuses_is_sent_through_httpx(tmp_path: Path) -> None:
    # no assistant_id: runs.create raises TypeError before sending; the recording still answers
    url = "http://127.0.0.1:9/v1/threads/thread_1/runs"
    (played,) = replay(run_cassette_file(tmp_path / "run.json", url, b'{"stream":true}'))
    assert played.request.url == url


@pytest.mark.filterwarnings("ignore:1 recorded exchange")  # the recording it missed stays unplayed
def test_a_request_the_sdk_makes_differently_fails_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cassette's own error, with the closest recording (not an SDK error hiding it)."""
    body = b'{"model":"gpt-4o","messages":[],"stream":true}'
    cassette = run_cassette_file(tmp_path / "run.json", "http://127.0.0.1:9/v1/threads/runs", body)
    wrong = ((re.compile(r"(?P<base>.+)/threads/runs"), "chat.completions.create"),)
    monkeypatch.setattr("harness.bundle.replay.SDK_CALLS", wrong)
    with pytest.raises(
        UnmatchedRequestError, match=r"No recording for POST http://127\.0\.0\.1:9/v1/chat/completions"
    ):
        replay(cassette)
