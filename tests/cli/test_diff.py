"""``harness diff``: event-level, normalized like the snapshots; empty and 0 when equal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.cassette import load_cassette
from harness.cassette.registry import export
from harness.cli import main
from tests.cli import record_support
from tests.cli.record_support import CORPUS, assert_one_line_error, record

tool_call_cassette = record_support.tool_call_cassette  # the session's recorded cassette


def test_a_cassette_equals_itself_and_its_exports(
    tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(tool_call_cassette), str(tool_call_cassette)]) == 0
    har = tmp_path / "same.har"
    har.write_bytes(export(load_cassette(tool_call_cassette), "har"))
    assert main(["diff", str(tool_call_cassette), str(har)]) == 0
    assert capsys.readouterr().out == ""


def test_ids_and_timestamps_do_not_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = record(tmp_path / "first.json", "tool-call", "--seed", "1")
    second = record(tmp_path / "second.json", "tool-call", "--seed", "2")
    assert load_cassette(first).streams[0].body != load_cassette(second).streams[0].body
    assert main(["diff", str(first), str(second)]) == 1  # the seeds differ in simulated timing too
    capsys.readouterr()
    renamed = tmp_path / "renamed.json"
    renamed.write_text(_shift_timestamps(_rename_ids(first.read_text()), 86_400))
    assert main(["diff", str(first), str(renamed)]) == 0
    assert capsys.readouterr().out == ""


def _rename_ids(text: str) -> str:
    return re.sub(
        r"\b(run|msg|step|call|thread|asst)_([A-Za-z0-9]{8,})",
        lambda match: f"{match.group(1)}_{match.group(2)[::-1]}",
        text,
    )


def _shift_timestamps(text: str, seconds: int) -> str:
    return re.sub(
        r'(_at\\?":)(\d{10})', lambda match: match.group(1) + str(int(match.group(2)) + seconds), text
    )


def test_differences_show_as_a_unified_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = record(tmp_path / "text.json", "text", "--deltas", "3")
    longer = record(tmp_path / "longer.json", "text", "--deltas", "4")
    assert main(["diff", str(text), str(longer)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- {text}\n+++ {longer}\n@@ ")
    assert '+thread.message.delta <msg:1> +" stream"' in out  # a delta summarized: its id and its text
    assert "-stream 1: " in out and "+stream 1: " in out
    assert not re.search(r"\b(run|msg|step)_[A-Za-z0-9]{8}", out)  # ids normalized


def test_raw_streams_compare_too(capsys: pytest.CaptureFixture[str]) -> None:
    first = CORPUS / "008-openai-dotnet-plain-text-run-oct2025.sse"
    second = CORPUS / "009-openai-dotnet-plain-text-run-sep2025.sse"
    assert main(["diff", str(first), str(first)]) == 0
    assert main(["diff", str(first), str(second)]) == 1
    assert capsys.readouterr().out.count("\n-thread.") >= 1


def test_unreadable_input_exits_2(
    tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(tool_call_cassette), str(tmp_path / "missing.json")]) == 2
    assert "missing.json: no such file" in assert_one_line_error(capsys.readouterr().err, "diff")
