"""``harness validate``: loads, protocol diagnostics and leftover secrets, per file, with exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cassette.formats import native
from harness.cli import main
from harness.cli.checks import MAX_LISTED_PER_CODE
from tests.cli import record_support
from tests.cli.record_support import CORPUS, FAKE_SECRET, leaky, record

tool_call_cassette = record_support.tool_call_cassette  # the session's recorded cassette

V1_RECORDING = CORPUS / "016-simple-openai-v1-run-function-retrieval-tools.sse"
V2_INCOMPLETE = CORPUS / "002-ruby-openai-v2-run-incomplete-max-tokens.sse"


def test_a_clean_recording_is_ok(tool_call_cassette: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tool_call_cassette)]) == 0
    assert capsys.readouterr().out == f"{tool_call_cassette}: OK\n"


def test_real_recordings_pass_with_warnings_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(V1_RECORDING), str(V2_INCOMPLETE)]) == 0
    out = capsys.readouterr().out
    assert f"{V1_RECORDING}: OK (" in out and "warnings)" in out
    assert "warning: [stream 1, event 24, status] status-mismatch" in out
    assert "reference-deviation" in out and "more warnings" in out
    assert out.rstrip().endswith("2 of 2 files passed")

    assert main(["validate", "--strict", str(V1_RECORDING)]) == 1
    assert f"{V1_RECORDING}: FAILED (" in capsys.readouterr().out


def test_recorded_error_event_is_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cassette = record(tmp_path / "error.json", "error")
    assert main(["validate", str(cassette)]) == 0
    out = capsys.readouterr().out
    assert "OK, 3 notes" in out and "warning:" not in out
    assert "note: [stream 1, event 13] error-event" in out and "missing-done" in out


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b'event: thread.message.delta\ndata: {"id":"msg_unknown12345","object":"thread.message.delta",'
            b'"delta":{"content":[{"index":0,"type":"text","text":{"value":"hi"}}]}}\n\n'
            b"event: done\ndata: [DONE]\n\n",
            "error: [stream 1, event 0] delta-unknown-object",
        ),
        (b"event: thread.run.created\ndata: {not json\n\n", "invalid-json"),
    ],
)
def test_protocol_errors_fail(
    body: bytes, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = tmp_path / "broken.sse"
    stream.write_bytes(body)
    assert main(["validate", str(stream)]) == 1
    out = capsys.readouterr().out
    assert f"{stream}: FAILED (" in out and expected in out


def test_leftover_secret_fails_without_showing_it(
    tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "leaky.json"
    path.write_text(native.dumps(leaky(tool_call_cassette)))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "error: secret left in exchange 0 request header Authorization" in out
    assert "error: secret left in exchange 0 request header OpenAI-Organization" in out
    assert FAKE_SECRET not in out and "fake-secret-key" not in out


def test_unreadable_files_fail_and_the_others_are_still_checked(
    tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"harness_cassette": 1, "exchanges": [{"request": ')
    missing = tmp_path / "missing.json"
    assert main(["validate", str(corrupt), str(missing), str(tool_call_cassette)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert f"{corrupt}: FAILED (1 error)\n  error: does not load: " in captured.out
    assert f"{missing}: FAILED (1 error)\n  error: does not load: no such file" in captured.out
    assert f"{tool_call_cassette}: OK" in captured.out
    assert "1 of 3 files passed" in captured.out


def test_a_cassette_without_run_streams_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = tmp_path / "plain.yaml"
    cassette.write_text(
        "interactions:\n- request:\n    body: null\n    headers: {}\n    method: GET\n"
        "    uri: https://api.openai.com/v1/models\n  response:\n    body: {string: '{}'}\n"
        "    headers: {Content-Type: [application/json]}\n    status: {code: 200, message: OK}\nversion: 1\n"
    )
    assert main(["validate", str(cassette)]) == 0
    assert "warning: holds no run stream (1 exchanges, 0 event streams)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("data", "events", "status", "more", "last"),
    [
        ("{}", 300, "FAILED (301 errors), 900 notes", 200, "  ... and 890 more notes"),
        # past the fold's own cap (1,000 of a rule): still every finding counted
        ("{}", 3000, "FAILED (3001 errors), 9000 notes", 2900, "  ... and 8990 more notes"),
        # the fold and the reference checks find the same unexpected list in each event: one finding
        ("[]", 1500, "FAILED (1501 errors)", 1400, "  error: ... and 1,400 more unexpected-payload"),
    ],
    ids=["under-the-fold-cap", "past-the-fold-cap", "found-twice"],
)
def test_a_rule_broken_by_every_event_is_listed_a_hundred_times_then_counted(
    data: str,
    events: int,
    status: str,
    more: int,
    last: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A hostile stream breaking one rule in each of its events gets a bounded report (one line per
    finding would grow with the file); the status line still counts every finding, exactly."""
    body = tmp_path / "broken.sse"
    body.write_bytes(f"event: thread.message.delta\ndata: {data}\n\n".encode() * events)
    assert main(["validate", str(body)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{body}: {status}"
    listed = [line for line in out if line.startswith("  error: [") and "unexpected-payload" in line]
    assert len(listed) == MAX_LISTED_PER_CODE
    assert f"  error: ... and {more:,} more unexpected-payload findings like these" in out
    assert out[-1].startswith(last)
