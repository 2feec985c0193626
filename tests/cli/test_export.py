"""``harness export`` and ``harness import``: round trips, secrets refused, progress and summaries."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from harness.cassette import load_cassette
from harness.cassette.formats import native
from harness.cli import main
from tests.cli import record_support
from tests.cli.record_support import (
    CORPUS,
    assert_one_line_error,
    harness_command,
    leaky,
    write_format,
)

tool_call_cassette = record_support.tool_call_cassette  # the session's recorded cassette


@pytest.mark.parametrize("format_name", ["har", "jsonl"])
def test_import_of_export_gives_back_the_cassette(
    format_name: str, tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / f"exported.{format_name}"
    assert main(["export", str(tool_call_cassette), "--format", format_name, "-o", str(exported)]) == 0
    assert main(["import", str(exported), "--cassette", str(tmp_path / "back.json")]) == 0
    assert "1 converted, 0 skipped" in capsys.readouterr().out
    assert load_cassette(tmp_path / "back.json").exchanges == load_cassette(tool_call_cassette).exchanges


def test_sse_export_is_the_stream_bodies(
    tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(tool_call_cassette), "--format", "sse"]) == 0
    out = capsys.readouterr().out
    original = load_cassette(tool_call_cassette)
    assert out.encode() == b"".join(stream.body for stream in original.streams)
    single = tmp_path / "single.json"
    single.write_text(native.dumps(type(original)([original.exchanges[3]])))
    exported = tmp_path / "single.sse"
    assert main(["export", str(single), "--format", "sse", "-o", str(exported)]) == 0
    assert main(["import", str(exported), "--cassette", str(tmp_path / "back.json")]) == 0
    stream = original.exchanges[3].response.stream
    assert stream is not None
    # A bare body keeps the bytes and events, not the chunk timing or how the recording ended.
    assert [s.frames for s in load_cassette(tmp_path / "back.json").streams] == [stream.frames]


def test_export_refuses_secrets_and_bad_input(
    tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "leaky.json"
    path.write_text(native.dumps(leaky(tool_call_cassette)))
    out = tmp_path / "out.har"
    assert main(["export", str(path), "--format", "har", "-o", str(out)]) == 1
    line = assert_one_line_error(capsys.readouterr().err, "export")
    assert "still holds 3 secret(s)" in line and "harness scrub" in line and "fake-secret" not in line
    assert not out.exists()
    assert main(["export", str(tmp_path / "missing.json"), "--format", "har"]) == 1
    assert "no such file" in assert_one_line_error(capsys.readouterr().err, "export")


def test_export_format_is_checked(tool_call_cassette: Path) -> None:
    done = subprocess.run(
        [*harness_command(), "export", str(tool_call_cassette), "--format", "pdf"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "invalid choice: 'pdf'" in done.stderr.splitlines()[-1]


def test_import_walks_folders_and_says_what_it_skipped(
    tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "old-cassettes"
    (folder / "nested").mkdir(parents=True)
    write_format(leaky(tool_call_cassette), folder / "nested" / "run.yaml", "vcrpy")
    (folder / "notes.md").write_text("# not a cassette\n")
    (folder / "broken.json").write_text('{"harness_cassette": 1, "exchanges": [')
    models = load_cassette(tool_call_cassette)
    models.exchanges = models.exchanges[:1]
    write_format(models, folder / "assistant-only.yaml", "vcrpy")
    out = tmp_path / "imported.json"

    assert (
        main(
            [
                "import",
                str(folder),
                str(CORPUS / "011-openai-dotnet-submit-tool-outputs-oct2025.sse"),
                "--cassette",
                str(out),
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "[##############################] 5/5 files" in captured.err
    assert f"converted {folder / 'nested' / 'run.yaml'} (vcrpy: 5 exchanges, 2 run streams)" in captured.out
    assert f"skipped   {folder / 'notes.md'}: not a format the harness reads" in captured.out
    assert f"skipped   {folder / 'assistant-only.yaml'}: vcrpy cassette with 1 exchange(s)" in captured.out
    assert f"skipped   {folder / 'broken.json'}: " in captured.out
    assert "2 converted, 3 skipped (1 no-run-stream, 1 not-a-cassette, 1 unreadable)" in captured.out
    assert f"wrote {out}: 6 exchanges, 3 run streams from 2 file(s)" in captured.out

    imported = load_cassette(out)
    assert len(imported.exchanges) == 6
    assert b"fake-secret" not in out.read_bytes() and b"fake-leaked" not in out.read_bytes()


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("exists", "exists; pass --force to replace it"),
        ("missing", "nowhere: no such file or folder"),
        ("nothing", "nothing to import: 1 cassette(s) read that hold no Assistants run stream"),
    ],
)
def test_import_bad_input_is_one_line(
    setup: str, expected: str, tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.json"
    source = str(tool_call_cassette)
    if setup == "exists":
        out.write_text("keep me")
    elif setup == "missing":
        source = str(tmp_path / "nowhere")
    else:
        (tmp_path / "empty").mkdir()
        (tmp_path / "empty" / "readme.txt").write_text("hello\n")
        source = str(tmp_path / "empty")
    assert main(["import", source, "--cassette", str(out)]) == 1
    err = capsys.readouterr().err
    without_progress = "".join(line for line in err.splitlines(keepends=True) if not line.startswith("[#"))
    assert expected in assert_one_line_error(without_progress, "import")
    assert out.read_text() == "keep me" if setup == "exists" else not out.exists()
