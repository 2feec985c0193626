"""``harness import DIR --out-dir OUT``: one harness cassette per input file, in a mirrored tree; the
"nothing to import" message says why; a failed import never replaces a good cassette."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.cassette import load_cassette
from harness.cassette.registry import export
from harness.cli import main
from tests.cassette_formats.support import DATA
from tests.cli import record_support
from tests.cli.record_support import CORPUS, assert_one_line_error

tool_call_cassette = record_support.tool_call_cassette


def test_each_file_becomes_its_own_cassette_in_a_mirrored_tree(
    tool_call_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "tests" / "cassettes"
    (source / "test_module").mkdir(parents=True)
    shutil.copy(DATA / "vcrpy-function-requires-action.yaml", source / "test_module" / "test_one.yaml")
    shutil.copy(DATA / "ruby-vcr-function-requires-action.yml", source / "test_two.yml")
    (source / "test_module" / "test_three.har").write_bytes(export(load_cassette(tool_call_cassette), "har"))
    (source / "README.md").write_text("not a cassette\n")
    out = tmp_path / "migrated"

    assert main(["import", str(source), "--out-dir", str(out)]) == 0
    printed = capsys.readouterr().out
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*.json")) == [
        "test_module/test_one.json",
        "test_module/test_three.json",
        "test_two.json",
    ]
    assert f"wrote {out / 'test_two.json'} (1 run streams from {source / 'test_two.yml'})" in printed
    assert f"skipped   {source / 'README.md'}: not a format the harness reads" in printed
    three = load_cassette(out / "test_module" / "test_three.json")
    assert three.exchanges == load_cassette(tool_call_cassette).exchanges  # one file, not a merge
    assert three.metadata["imported_from"] == [
        {"path": str(source / "test_module" / "test_three.har"), "format": "har"}
    ]


def test_outputs_that_exist_or_collide_are_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(CORPUS / "010-openai-dotnet-function-requires-action-oct2025.sse", source / "run.sse")
    shutil.copy(CORPUS / "011-openai-dotnet-submit-tool-outputs-oct2025.sse", source / "run.txt")
    shutil.copy(CORPUS / "008-openai-dotnet-plain-text-run-oct2025.sse", source / "kept.sse")
    out = tmp_path / "out"
    out.mkdir()
    (out / "kept.json").write_text("a good cassette\n")

    assert main(["import", str(source), "--out-dir", str(out)]) == 1
    captured = capsys.readouterr()
    assert (out / "kept.json").read_text() == "a good cassette\n"
    assert f"{source / 'kept.sse'}: not written: {out / 'kept.json'} exists; pass --force" in captured.err
    assert (
        f"{source / 'run.txt'}: not written: {out / 'run.json'} already holds {source / 'run.sse'}"
        in captured.err
    )
    assert load_cassette(out / "run.json").streams[0].body == (source / "run.sse").read_bytes()

    assert main(["import", str(source / "kept.sse"), "--out-dir", str(out), "--force"]) == 0
    assert load_cassette(out / "kept.json").source_format == "harness"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"notes.md": "# hello\n"},
            "nothing to import: 1 file(s) in a format the harness does not recognise",
        ),
        (
            {"models.yaml": "interactions: []\nversion: 1\n"},
            "nothing to import: 1 cassette(s) read that hold no Assistants run stream",
        ),
        (
            {"notes.md": "# hello\n", "broken.yaml": "interactions:\n- request: [\n"},
            "nothing to import: 1 file(s) in a format the harness does not recognise; "
            "1 file(s) that could not be read",
        ),
    ],
)
@pytest.mark.parametrize("target", ["--cassette", "--out-dir"])
def test_nothing_to_import_says_whether_formats_were_unknown_or_held_no_stream(
    files: dict[str, str], expected: str, target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for name, text in files.items():
        (source / name).write_text(text)
    out = tmp_path / ("good.json" if target == "--cassette" else "out")
    if target == "--cassette":
        out.write_text("a good cassette\n")
    assert main(["import", str(source), target, str(out), "--force"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("1/1 files") or err[0].endswith("2/2 files")  # the progress bar
    assert assert_one_line_error("\n".join(err[1:]), "import").endswith(expected)
    if target == "--cassette":
        assert out.read_text() == "a good cassette\n"  # --force, and still untouched
    else:
        assert not out.exists()


def test_out_dir_that_is_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").write_text("x")
    assert (
        main(
            [
                "import",
                str(CORPUS / "008-openai-dotnet-plain-text-run-oct2025.sse"),
                "--out-dir",
                str(tmp_path / "out"),
            ]
        )
        == 1
    )
    assert "is a file, not a folder" in assert_one_line_error(capsys.readouterr().err, "import")


def test_help_says_which_mode_merges(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "merge the run streams of every file into this one harness cassette" in text
    assert "one harness cassette per input file under DIR, mirroring the input tree" in text
