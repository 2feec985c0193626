"""``harness inspect``: what a user sees on stdout/stderr, and the exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "cassettes" / "real"
INCOMPLETE = CORPUS / "002-ruby-openai-v2-run-incomplete-max-tokens.sse"
FILE_SEARCH = CORPUS / "014-openai-dotnet-file-search-citation-oct2025.sse"


def test_json_form_has_the_mission_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(INCOMPLETE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["protocol", "events", "final_run", "runs", "run_steps", "messages", "diagnostics"]
    assert data["protocol"] == "assistants"
    assert len(data["events"]) == 26 and data["events"][-1] == "done"
    assert data["final_run"]["status"] == "incomplete"
    assert data["messages"][0]["status"] == "incomplete"
    assert data["diagnostics"] == [
        {
            "code": "status-mismatch",
            "stream": 0,
            "event": 24,
            "path": "status",
            "message": "thread.run.completed carries status 'incomplete', expected 'completed';"
            " the data is kept",
        }
    ]


def test_text_form_folds_deltas_and_shows_the_reconstruction(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(FILE_SEARCH)]) == 0
    out = capsys.readouterr().out
    assert "#11-#19 thread.message.delta x9 msg_QKguDb0ERalCwX44IuQhxGAy +\"Filip's favorite food" in out
    assert "run run_gMAiOdxbrcV3JXHDasJZwr3g: completed  model gpt-4o" in out
    assert "usage: prompt 2028, completion 40, total 2068" in out
    assert "file_search 1 results" in out
    assert "[file_citation]" in out
    assert out.rstrip().endswith("diagnostics: none")


def test_text_form_lists_diagnostics_and_required_action(capsys: pytest.CaptureFixture[str]) -> None:
    main(["inspect", str(CORPUS / "010-openai-dotnet-function-requires-action-oct2025.sse")])
    out = capsys.readouterr().out
    assert "required action: call_xyFYaEeyocjyE6jN64QTcxip get_current_weather({})" in out
    main(["inspect", str(INCOMPLETE)])
    assert "[stream 1, event 24, status] status-mismatch:" in capsys.readouterr().out


def test_a_json_error_body_is_refused_as_not_a_cassette(capsys: pytest.CaptureFixture[str]) -> None:
    path = CORPUS / "022-ruby-openai-stream-request-http400-invalid-thread.json"
    assert main(["inspect", str(path), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err.count("\n") == 1 and str(path) in captured.err and "unrecognised format" in captured.err
    )


def test_cassettes_of_every_format_are_inspected_as_whole_conversations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from harness.cassette import (
        Cassette,
        Exchange,
        RecordedRequest,
        RecordedResponse,
        RecordedStream,
        save_cassette,
    )

    bodies = [
        (CORPUS / name).read_bytes()
        for name in (
            "010-openai-dotnet-function-requires-action-oct2025.sse",
            "011-openai-dotnet-submit-tool-outputs-oct2025.sse",
        )
    ]
    cassette = Cassette(
        [
            Exchange(
                RecordedRequest("POST", "http://x/v1/threads/runs"),
                RecordedResponse(
                    200, "OK", [("content-type", "text/event-stream")], stream=RecordedStream.from_body(body)
                ),
            )
            for body in bodies
        ]
    )
    save_cassette(cassette, tmp_path / "conversation.json")
    assert main(["inspect", str(tmp_path / "conversation.json"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["final_run"]["status"] == "completed"
    assert report["events"][0] == "thread.created" and report["events"].count("done") == 2
    legacy = (
        Path(__file__).resolve().parents[1]
        / "cassette_formats"
        / "data"
        / "vcrpy-function-requires-action.yaml"
    )
    assert main(["inspect", str(legacy), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["final_run"]["status"] == "requires_action"


@pytest.mark.parametrize("target", ["missing.sse", "."])
def test_unreadable_path_is_one_clear_line_and_a_failure(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / target
    assert main(["inspect", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and str(path) in captured.err and "Traceback" not in captured.err


def test_the_installed_console_script_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "harness"
    ok = subprocess.run(
        [str(script), "inspect", str(INCOMPLETE), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["final_run"]["status"] == "incomplete"
    missing = subprocess.run(
        [str(script), "inspect", str(tmp_path / "gone.sse")], capture_output=True, text=True, timeout=60
    )
    assert missing.returncode == 1 and "gone.sse: no such file" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_a_long_event_list_is_written_as_the_standard_indented_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The event names are written in pieces; the text is json.dumps(..., indent=2) all the same."""
    frames = []
    for number in range(40_000):  # more names than one piece holds, and not a multiple of it
        part = {"index": 0, "type": "text", "text": {"value": f"w{number} "}}
        delta = {"id": "msg_1", "object": "thread.message.delta", "delta": {"content": [part]}}
        frames.append(f"event: thread.message.delta\ndata: {json.dumps(delta)}\n\n")
    path = tmp_path / "long.sse"
    path.write_text("".join(frames) + "event: done\ndata: [DONE]\n\n")
    assert main(["inspect", str(path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert len(data["events"]) == 40_001
    assert out == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
