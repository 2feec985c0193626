"""Recorded cassettes and replays shared by the tests of record, demo, validate, scrub, diff,
export, import and serve."""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
from pathlib import Path
from typing import Any

import openai
import pytest

from harness.cassette import Cassette, load_cassette
from harness.cassette.model import RecordedStream
from harness.cassette.registry import export
from harness.cli import main
from harness.cli.conversation import FAKE_KEY, Outcome, drive_conversation
from harness.playback.context import use_cassette
from harness.reconstruct import Transcript, reconstruct
from harness.sse import parse_sse

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "cassettes" / "real"
# Nothing listens here: a replay that tried the network would fail at once.
DEAD_BASE_URL = "http://127.0.0.1:9/v1"
FAKE_SECRET = "sk-test-fake-leaked-key-abcdefghij"
FAKE_BEARER = "Bearer sk-test-fake-secret-key-1234567890"


def record(path: Path, scenario: str = "tool-call", *extra: str) -> Path:
    """``harness record`` in-process, output swallowed; the cassette path."""
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["record", "--scenario", scenario, "--cassette", str(path), *extra]) == 0
    return path


def transcript_of(path: Path) -> Transcript:
    cassette = load_cassette(path)
    return reconstruct([parse_sse(stream.frames) for stream in cassette.streams])


def replay(
    path: Path, scenario: str = "tool-call", *, deltas: int | None = None, base_url: str = DEAD_BASE_URL
) -> Outcome:
    """The built-in conversation through the openai SDK, served from the cassette only."""
    client = openai.OpenAI(api_key=FAKE_KEY, base_url=base_url, max_retries=0, timeout=10)
    with client, use_cassette(path, record_mode="none"):
        return drive_conversation(client, scenario, deltas=deltas)


def message_texts(messages: list[dict[str, Any]]) -> list[str]:
    return [
        "".join(part["text"]["value"] for part in message.get("content") or [] if part["type"] == "text")
        for message in messages
    ]


def tool_call_arguments(steps: list[dict[str, Any]]) -> list[str]:
    return [
        call["function"]["arguments"]
        for step in steps
        for call in (step.get("step_details") or {}).get("tool_calls") or []
        if call.get("type") == "function"
    ]


def leaky(source: Path) -> Cassette:
    """A copy of a recorded cassette with a key in a header, an org id and a key in an event."""
    cassette = load_cassette(source)
    first = cassette.exchanges[0]
    first.request.headers += [("Authorization", FAKE_BEARER), ("OpenAI-Organization", "org-testfake123")]
    streamed = next(exchange for exchange in cassette.exchanges if exchange.response.stream is not None)
    assert streamed.response.stream is not None
    body = streamed.response.stream.body.replace(
        b'"object":"thread.run"', f'"note":"{FAKE_SECRET}","object":"thread.run"'.encode(), 1
    )
    streamed.response.stream = RecordedStream.from_body(body)
    return cassette


def write_format(cassette: Cassette, path: Path, format_name: str) -> Path:
    path.write_bytes(export(cassette, format_name))
    return path


def harness_command() -> list[str]:
    """How a user runs the CLI: the installed script when there is one, else the module."""
    script = Path(sys.executable).with_name("harness")
    return [str(script)] if script.exists() else [sys.executable, "-m", "harness.cli"]


@pytest.fixture(scope="session")
def tool_call_cassette(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tool-call scenario recorded once per session; copy it before changing it."""
    return record(tmp_path_factory.mktemp("recorded") / "tool-call.json")


@pytest.fixture
def tool_call_copy(tool_call_cassette: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(tool_call_cassette, tmp_path / "tool-call.json"))


def assert_one_line_error(stderr: str, command: str) -> str:
    """A failing command prints one ``harness COMMAND: error: ...`` line and no traceback."""
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"harness {command}: error: "), stderr
    return lines[0]
