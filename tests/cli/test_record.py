"""``harness record``: every emulator scenario recorded over HTTP, replayed through the SDK offline,
and the SDK's event handlers agree with the harness reconstruction."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from harness.cassette import load_cassette
from harness.cli import main
from harness.emulator import SCENARIO_NAMES
from tests.cli.record_support import (
    assert_one_line_error,
    harness_command,
    message_texts,
    record,
    replay,
    tool_call_arguments,
    transcript_of,
)


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_every_scenario_records_and_replays_as_reconstructed(
    scenario: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = tmp_path / f"{scenario}.json"
    assert main(["record", "--scenario", scenario, "--cassette", str(cassette)]) == 0
    out = capsys.readouterr().out
    assert "recording to" in out and "127.0.0.1" in out
    assert f"cassette: {cassette}" in out

    transcript = transcript_of(cassette)
    assert f"{len(transcript.event_names)} events" in out
    assert all(
        url.startswith("http://127.0.0.1:")
        for url in (e.request.url for e in load_cassette(cassette).exchanges)
    )

    replayed = replay(cassette, scenario)
    assert transcript.final_run is not None
    if scenario == "error":
        assert replayed.error is not None and "server had an error" in replayed.error
        assert "error-event" in transcript.diagnostic_codes()
        assert "the stream ended with an error event" in out
    else:
        assert replayed.error is None
        assert replayed.final_status == transcript.final_run["status"]
        assert replayed.runs[-1] == transcript.final_run
        assert f"final: run {transcript.final_run['id']} {transcript.final_run['status']}" in out
    assert message_texts(list(replayed.messages.values())) == message_texts(transcript.messages)
    assert tool_call_arguments(list(replayed.run_steps.values())) == tool_call_arguments(transcript.run_steps)
    if scenario in ("tool-call", "parallel-tools"):
        assert replayed.streams == 2
        assert len(tool_call_arguments(transcript.run_steps)) == (1 if scenario == "tool-call" else 2)


def test_deltas_and_seed_shape_the_recording(tmp_path: Path) -> None:
    short = transcript_of(record(tmp_path / "short.json", "text", "--deltas", "3"))
    long = transcript_of(record(tmp_path / "long.json", "text", "--deltas", "50", "--seed", "7"))
    assert short.event_names.count("thread.message.delta") == 3
    assert long.event_names.count("thread.message.delta") == 50
    assert short.final_run is not None and long.final_run is not None
    assert short.final_run["id"] != long.final_run["id"]


def test_same_seed_records_the_same_conversation(tmp_path: Path) -> None:
    first = transcript_of(record(tmp_path / "a.json", "tool-call", "--seed", "3"))
    second = transcript_of(record(tmp_path / "b.json", "tool-call", "--seed", "3"))
    assert first.to_dict() == second.to_dict()


SCRIPT = """
def run(client):
    assistant = client.beta.assistants.create(model="gpt-4o", metadata={"emulator_scenario": "unicode"})
    events = client.beta.threads.create_and_run(
        assistant_id=assistant.id, stream=True,
        thread={"messages": [{"role": "user", "content": "Say hello"}]})
    return [event.event for event in events]
"""


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_script_drives_its_own_conversation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "conversation.py"
    script.write_text(SCRIPT)
    cassette = tmp_path / "scripted.json"
    assert main(["record", "--script", str(script), "--cassette", str(cassette)]) == 0
    assert "final: run" in capsys.readouterr().out
    transcript = transcript_of(cassette)
    assert transcript.event_names[0] == "thread.created"
    assert transcript.final_run is not None and transcript.final_run["status"] == "completed"
    assert "\U0001f469\u200d\U0001f469" in message_texts(transcript.messages)[0]


@pytest.mark.parametrize(
    ("script_text", "expected"),
    [
        ("x = 1\n", "the script must define run(client)"),
        (
            "def run(client):\n    raise ValueError('boom')\n",
            "run(client) raised ValueError: boom (at line 2)",
        ),
        ("def run(client:\n", "loading the script failed: SyntaxError"),
        ("def run(client):\n    return None\n", "nothing was recorded"),
    ],
)
def test_bad_scripts_stop_with_one_line(
    script_text: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "bad.py"
    script.write_text(script_text)
    assert main(["record", "--script", str(script), "--cassette", str(tmp_path / "c.json")]) == 1
    assert expected in assert_one_line_error(capsys.readouterr().err, "record")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--scenario", "weather"], "unknown scenario 'weather'; choose one of text, "),
        (["--deltas", "-4"], "--deltas needs a whole number of 0 or more, got '-4'"),
        (["--deltas", "many"], "--deltas needs a whole number"),
        (["--script", "no-such-script.py"], "no-such-script.py: no such script"),
        (["--base-url", "http://127.0.0.1:9/v1"], "cannot reach http://127.0.0.1:9/v1"),
    ],
)
def test_bad_input_stops_with_one_line(
    arguments: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = tmp_path / "c.json"
    assert main(["record", "--cassette", str(cassette), *arguments]) == 1
    assert expected in assert_one_line_error(capsys.readouterr().err, "record")
    assert not cassette.exists()


def test_refuses_to_overwrite_a_foreign_cassette(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    foreign = tmp_path / "legacy.yaml"
    foreign.write_text("interactions: []\nversion: 1\n")
    assert main(["record", "--scenario", "text", "--cassette", str(foreign)]) == 1
    assert "harness import" in assert_one_line_error(capsys.readouterr().err, "record")
    assert foreign.read_text() == "interactions: []\nversion: 1\n"


def test_records_from_a_given_base_url_without_a_key(tmp_path: Path) -> None:
    from harness.emulator import Emulator, EmulatorServer

    with EmulatorServer(Emulator(scenario="text", event_delay=0)) as server:
        cassette = record(tmp_path / "remote.json", "annotations", "--base-url", server.base_url)
    transcript = transcript_of(cassette)
    assert transcript.final_run is not None and transcript.final_run["status"] == "completed"
    assert any(message["content"][0]["text"]["annotations"] for message in transcript.messages)


def test_subprocess_records_with_no_key_and_ci_set(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "OPENAI_API_KEY"} | {"CI": "true"}
    done = subprocess.run(
        [*harness_command(), "record", "--scenario", "parallel-tools", "--cassette", "calls.json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "submitting 2 tool output(s)" in done.stdout
    assert "final: run" in done.stdout and "completed" in done.stdout.splitlines()[-2]
    assert (tmp_path / "calls.json").exists()


def test_subprocess_bad_option_value_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [*harness_command(), "record", "--scenario", "nope", "--cassette", "x.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert_one_line_error(done.stderr, "record")
