"""import_files: many files and folders in, one merged cassette and a report of what was skipped out."""

from __future__ import annotations

import shutil
from pathlib import Path

from harness.cassette.convert import import_files
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse
from harness.cassette.registry import export
from tests.cassette_formats.support import CORPUS, DATA, HOSTILE, JSON_HEADERS, tool_call_cassette


def test_folder_import_merges_run_streams_and_says_why_others_were_skipped(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "examples")
    nested = tmp_path / "examples" / "nested" / "deeper"
    nested.mkdir(parents=True)
    (nested / "run.jsonl").write_bytes(export(tool_call_cassette(), "jsonl"))
    plain = Cassette(
        [
            Exchange(
                RecordedRequest("GET", "https://api.openai.com/v1/models"),
                RecordedResponse(200, "OK", JSON_HEADERS, b'{"data": []}'),
            )
        ]
    )
    (tmp_path / "models.har").write_bytes(export(plain, "har"))
    (tmp_path / "notes.py").write_text("print('not a cassette')\n")
    shutil.copy(HOSTILE / "truncated.yaml", tmp_path / "broken.yaml")
    (tmp_path / ".hidden").mkdir()
    shutil.copy(DATA / "vcrpy-function-requires-action.yaml", tmp_path / ".hidden" / "ignored.yaml")

    calls: list[tuple[int, int, Path]] = []
    report = import_files(
        [tmp_path, CORPUS / "001-ruby-openai-v1-run-incomplete-max-tokens.sse", tmp_path / "missing.yaml"],
        progress=lambda *call: calls.append(call),
    )

    converted = {item.path.name: item for item in report.converted}
    assert set(converted) == {
        "vcrpy-function-requires-action.yaml",
        "ruby-vcr-function-requires-action.yml",
        "browser-thread-and-run.har",
        "cassetter-submit-tool-outputs.yaml",
        "run.jsonl",
        "001-ruby-openai-v1-run-incomplete-max-tokens.sse",
    }
    assert converted["run.jsonl"].run_streams == 2 and converted["run.jsonl"].exchanges == 3
    skipped = {item.path.name: item for item in report.skipped}
    assert skipped["models.har"].kind == "no-run-stream"
    assert skipped["notes.py"].kind == "not-a-cassette"
    assert skipped["broken.yaml"].kind == "unreadable" and "line 6, column 1" in skipped["broken.yaml"].reason
    assert skipped["missing.yaml"].kind == "unreadable"
    assert "ignored.yaml" not in converted and "ignored.yaml" not in skipped

    assert len(report.cassette.exchanges) == 4 + 3 + 1
    assert len(report.cassette.streams) == 4 + 2 + 1
    assert report.source_format == "mixed"
    assert [entry["path"] for entry in report.cassette.metadata["imported_from"]] == [
        str(item.path) for item in report.converted
    ]
    assert [call[:2] for call in calls] == [(number, len(calls)) for number in range(1, len(calls) + 1)]
    assert len(calls) == len(report.converted) + len(report.skipped)


def test_single_format_import_keeps_its_format_name(tmp_path: Path) -> None:
    report = import_files([DATA / "browser-thread-and-run.har"])
    assert report.cassette.source_format == "har"
    assert report.skipped == []
    assert any("content-encoding" in note for note in report.cassette.metadata["import_notes"])
