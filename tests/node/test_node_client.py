"""A client that is not Python: the official openai npm package's AssistantStream, replaying a
recorded tool-calling run through ``harness serve``, ends with the run and messages the harness
reconstructs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.serve import ReplayServer
from tests.cli import record_support
from tests.cli.record_support import message_texts, transcript_of

tool_call_cassette = record_support.tool_call_cassette  # the session's recorded cassette

HERE = Path(__file__).parent
DEPS = HERE / ".deps"  # npm installs here once; reused while package.json is unchanged
SCRIPT = "stream_run.mjs"
NETWORK_ERRORS = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "network")


def _pinned_version() -> str:
    return str(json.loads((HERE / "package.json").read_text())["dependencies"]["openai"])


def _installed_version() -> str | None:
    manifest = DEPS / "node_modules" / "openai" / "package.json"
    return str(json.loads(manifest.read_text())["version"]) if manifest.exists() else None


@pytest.fixture(scope="module")
def node_client() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed for the non-Python client check")
    DEPS.mkdir(exist_ok=True)
    shutil.copy(HERE / "package.json", DEPS / "package.json")
    shutil.copy(HERE / SCRIPT, DEPS / SCRIPT)
    if _installed_version() != _pinned_version():
        try:
            done = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--no-package-lock"],
                cwd=DEPS,
                capture_output=True,
                text=True,
                timeout=180,
            )
        except subprocess.TimeoutExpired:
            pytest.skip("npm install took more than 180 s (no network?)")
        if done.returncode != 0:
            if any(marker in done.stderr for marker in NETWORK_ERRORS):
                last_line = done.stderr.strip().splitlines()[-1]
                pytest.skip(f"npm install could not reach the registry: {last_line}")
            pytest.fail(f"npm install failed:\n{done.stderr}")
    assert _installed_version() == _pinned_version()
    return DEPS / SCRIPT


def test_node_assistant_stream_agrees_with_the_reconstruction(
    node_client: Path, tool_call_cassette: Path
) -> None:
    transcript = transcript_of(tool_call_cassette)
    final_run = transcript.final_run
    assert final_run is not None
    with ReplayServer(tool_call_cassette, chunking="random:3") as server:
        done = subprocess.run(
            ["node", str(node_client), server.base_url, final_run["thread_id"], final_run["assistant_id"]],
            capture_output=True,
            text=True,
            timeout=60,
        )
        unplayed = server.app.unplayed
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)

    assert [run["status"] for run in seen["runs"]] == ["requires_action", "completed"]
    assert seen["runs"][-1] == final_run
    assert list(seen["doneMessages"].values()) == transcript.messages
    # The SDK's own accumulation of the deltas gives the same text.
    accumulated = list(seen["messages"].values())
    assert message_texts(accumulated) == message_texts(transcript.messages)
    assert "".join(seen["textDeltas"]) == message_texts(transcript.messages)[0]
    assert list(seen["runSteps"].values()) == transcript.run_steps
    assert unplayed == [0, 1, 2]  # assistant, thread and message were made before the run was recorded
