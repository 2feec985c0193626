"""``harness scrub``: secrets out, in place, in the file's own format; idempotent; ``--check``."""

from __future__ import annotations

import gzip
import stat
from pathlib import Path

import pytest

from harness.cassette import load_cassette
from harness.cassette.registry import export
from harness.cli import main
from harness.scrub import find_secrets
from tests.cli import record_support
from tests.cli.record_support import (
    FAKE_SECRET,
    assert_one_line_error,
    leaky,
    write_format,
)

tool_call_cassette = record_support.tool_call_cassette  # the session's recorded cassette

FORMATS = {
    "harness": ".json",
    "vcrpy": ".yaml",
    "vcrpy-json": ".json",
    "ruby-vcr": ".yml",
    "cassetter": ".yaml",
    "har": ".har",
    "jsonl": ".jsonl",
}
REPLACED = (
    "replaced 3 value(s): request header authorization x1, request header openai-organization x1, "
    "stream event x1"
)


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_scrubs_in_place_keeping_the_format(
    format_name: str, tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_format(leaky(tool_call_cassette), tmp_path / f"leaky{FORMATS[format_name]}", format_name)
    path.chmod(0o644)
    before = load_cassette(path)
    assert main(["scrub", str(path)]) == 0
    out = capsys.readouterr().out
    assert out == f"{path}: {REPLACED}\n"
    assert FAKE_SECRET not in out and "fake-secret-key" not in out

    after = load_cassette(path)
    assert after.source_format == before.source_format
    assert find_secrets(after.exchanges) == []
    assert FAKE_SECRET.encode() not in path.read_bytes()
    assert len(after.exchanges) == len(before.exchanges)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644

    written = path.read_bytes()
    assert main(["scrub", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: clean, nothing to replace\n"
    assert path.read_bytes() == written


def test_check_reports_without_writing(
    tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_format(leaky(tool_call_cassette), tmp_path / "leaky.json", "harness")
    original = path.read_bytes()
    assert main(["scrub", "--check", str(path), str(tool_call_cassette)]) == 1
    out = capsys.readouterr().out
    assert f"{path}: would replace 3 value(s)" in out
    assert f"{tool_call_cassette}: clean, nothing to replace" in out
    assert path.read_bytes() == original
    assert main(["scrub", "--check", str(tool_call_cassette)]) == 0


def test_a_format_it_cannot_write_back_is_refused(
    tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ruby_json = write_format(leaky(tool_call_cassette), tmp_path / "ruby.yml", "ruby-vcr")
    import yaml

    as_json = tmp_path / "ruby.json"
    import json

    as_json.write_text(json.dumps(yaml.safe_load(ruby_json.read_text())))
    original = as_json.read_bytes()
    assert load_cassette(as_json).source_format == "ruby-vcr-json"
    assert main(["scrub", str(as_json)]) == 1
    line = assert_one_line_error(capsys.readouterr().err, "scrub")
    assert "cannot write that format back" in line and "harness import" in line
    assert as_json.read_bytes() == original


def test_bad_files_are_reported_and_the_rest_scrubbed(
    tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"harness_cassette": 1, "exchanges": [')
    path = write_format(leaky(tool_call_cassette), tmp_path / "leaky.json", "harness")
    assert main(["scrub", str(tmp_path / "missing.json"), str(corrupt), str(path)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    errors = captured.err.strip().splitlines()
    assert len(errors) == 2 and all(line.startswith("harness scrub: error: ") for line in errors)
    assert "missing.json: no such file" in errors[0]
    assert f"{path}: replaced 3 value(s)" in captured.out


def test_a_gzip_cassette_is_written_back_compressed(
    tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "legacy.yaml.gz"
    path.write_bytes(gzip.compress(export(leaky(tool_call_cassette), "vcrpy")))
    assert main(["scrub", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: {REPLACED}\n"
    written = path.read_bytes()
    assert written[:2] == b"\x1f\x8b" and FAKE_SECRET.encode() not in gzip.decompress(written)
    after = load_cassette(path)
    assert after.source_format == "vcrpy" and find_secrets(after.exchanges) == []
