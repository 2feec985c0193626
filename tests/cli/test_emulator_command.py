"""``harness emulator``: the built-in emulator served to any client until Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import openai
import pytest

from harness.cli import main
from harness.cli.conversation import FAKE_KEY, drive_conversation
from harness.sse import parse_sse
from tests.cli.record_support import assert_one_line_error, harness_command
from tests.node.test_node_client import node_client  # noqa: F401  (the fixture)


@contextmanager
def _emulator_command(*arguments: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    process = subprocess.Popen(
        [*harness_command(), "emulator", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first, second = process.stdout.readline(), process.stdout.readline()
        assert first.startswith("emulator: scenario "), first + process.stderr.read()  # type: ignore[union-attr]
        yield second.removeprefix("base URL: ").strip(), process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)


def test_the_sdk_records_a_tool_call_conversation_from_the_command() -> None:
    with _emulator_command("--scenario", "tool-call", "--event-delay", "0") as (base_url, process):
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1")
        with openai.OpenAI(api_key=FAKE_KEY, base_url=base_url, max_retries=0, timeout=10) as client:
            outcome = drive_conversation(client, "tool-call")
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=10)
    assert outcome.final_status == "completed" and outcome.streams == 2
    assert process.returncode == 0
    assert "Traceback" not in err


def _stream_a_run(base_url: str) -> list[str]:
    """What curl would do: create an assistant, then stream a thread-and-run, plain HTTP."""
    with httpx.Client(base_url=base_url, timeout=10) as http:
        assistant = http.post("/assistants", json={"model": "gpt-4o"}).json()
        body = {
            "assistant_id": assistant["id"],
            "stream": True,
            "thread": {"messages": [{"role": "user", "content": "Hi"}]},
        }
        response = http.post("/threads/runs", json=body)
    assert response.headers["content-type"].startswith("text/event-stream")
    return [event.event or "" for event in parse_sse(response.content)]


def test_a_plain_http_client_gets_the_same_stream_every_time_the_command_starts() -> None:
    streams = []
    for _ in range(2):
        with _emulator_command("--event-delay", "0") as (base_url, process):
            streams.append(_stream_a_run(base_url))
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=10)
    assert streams[0] == streams[1]
    assert streams[0][0] == "thread.created" and streams[0][-1] == "done"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--scenario", "chatty"], "unknown scenario 'chatty'; choose one of text,"),
        (["--port", "70000"], "--port needs a number from 0 to 65535"),
        (["--seed", "x"], "--seed needs a whole number of 0 or more"),
        (["--event-delay", "-1"], "--event-delay needs a number of seconds, 0 or more"),
        (["--host", "192.0.2.1"], "cannot listen on 192.0.2.1:0"),
    ],
)
def test_bad_input_is_one_line(
    arguments: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["emulator", *arguments]) == 1
    assert expected in assert_one_line_error(capsys.readouterr().err, "emulator")


def test_help_lists_the_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("emulator", "record"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        help_text = " ".join(capsys.readouterr().out.split())
        assert "one of: text, annotations, tool-call, parallel-tools, code-interpreter," in help_text


def test_the_node_sdk_streams_a_tool_call_run_from_the_command(node_client: Path) -> None:  # noqa: F811
    with _emulator_command("--scenario", "tool-call", "--event-delay", "0") as (base_url, process):
        with httpx.Client(base_url=base_url, timeout=10) as http:
            assistant = http.post("/assistants", json={"model": "gpt-4o"}).json()
            thread = http.post("/threads", json={"messages": [{"role": "user", "content": "Hi"}]}).json()
        done = subprocess.run(
            ["node", str(node_client), base_url, thread["id"], assistant["id"]],
            capture_output=True,
            text=True,
            timeout=60,
        )
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert [run["status"] for run in seen["runs"]] == ["requires_action", "completed"]
    assert "".join(seen["textDeltas"])
