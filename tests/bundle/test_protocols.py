"""``harness bundle`` of a Responses, a Chat Completions, an Assistants and a mixed cassette recorded
from the emulator: the generated test replays each through the openai SDK call that made it, passes
on the cassette as bundled and fails, saying which protocol and what, when the cassette changes."""

from __future__ import annotations

import runpy
import zipfile
from pathlib import Path
from typing import Any

import pytest

from harness import load_cassette, save_cassette
from harness.bundle import make_bundle
from harness.bundle.replay import sdk_call
from harness.cli import main
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
