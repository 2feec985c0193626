"""``harness demo`` on a fresh machine: no key, CI set, nothing but loopback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from harness.cli import main
from tests.cli.record_support import assert_one_line_error, harness_command, transcript_of


def test_demo_records_replays_offline_and_shows_the_run(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "OPENAI_API_KEY"} | {"CI": "true"}
    done = subprocess.run(
        [*harness_command(), "demo"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=90
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = done.stdout
    cassette = tmp_path / "harness-demo" / "tool-call.json"
    transcript = transcript_of(cassette)
    assert transcript.final_run is not None and transcript.final_run["status"] == "completed"

    recording, replaying, showing = out.index("1. Recording"), out.index("2. Replaying"), out.index("3. What")
    assert recording < out.index("emulator stopped") < replaying < showing
    assert "record mode none" in out[replaying:showing]
    assert "the replay saw what the recording saw: run completed, 1 message(s)" in out
    # The inspect timeline and reconstruction, with the tool call and its output.
    assert "thread.run.requires_action" in out[showing:] and "get_current_weather" in out[showing:]
    assert f"run {transcript.final_run['id']}: completed" in out
    assert "diagnostics: none" in out
    assert "The cassette is harness-demo/tool-call.json" in out
    assert "harness serve harness-demo/tool-call.json" in out


def test_demo_writes_where_told(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cassette = tmp_path / "elsewhere" / "demo.json"
    assert main(["demo", "--cassette", str(cassette)]) == 0
    assert f"The cassette is {cassette}" in capsys.readouterr().out
    assert transcript_of(cassette).stream_count == 2


def test_demo_refuses_to_replace_a_foreign_cassette(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "old.yaml"
    foreign.write_text("interactions: []\nversion: 1\n")
    assert main(["demo", "--cassette", str(foreign)]) == 1
    assert "the demo failed while recording" in assert_one_line_error(capsys.readouterr().err, "demo")
