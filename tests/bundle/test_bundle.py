"""``harness bundle``: what a bundle holds, that its tests run, and what it refuses."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from harness import load_cassette, save_cassette
from harness.bundle import make_bundle
from harness.bundle.wheel import wheel_name
from harness.cassette.formats import native
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse
from harness.cli import main
from harness.errors import SecretLeakError

REPORTED_TEST = Path(__file__).with_name("reported_bug.py")
FAKE_KEY = "sk-test-fake-bundle-key-0123456789abcdef"
WHEEL = wheel_name(version("pytest-run-harness"))
BUNDLE_FILES = sorted(
    ["README.md", "cassette.json", "conftest.py", "pytest.ini", "test_replay.py", "versions.json", WHEEL]
)


def run_pytest(
    directory: Path, python: str = sys.executable, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """A fresh pytest session in ``directory`` (``pythonpath``: put first on the import path)."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath)} if pythonpath is not None else None
    return subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_a_bundle_holds_the_cassette_a_replay_test_readme_and_versions(
    report_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "report-bundle"
    assert main(["bundle", str(report_cassette), "--output", str(output)]) == 0
    assert f"wrote {output}" in capsys.readouterr().out
    assert sorted(path.name for path in output.iterdir()) == BUNDLE_FILES

    assert load_cassette(output / "cassette.json").exchanges == load_cassette(report_cassette).exchanges
    versions = json.loads((output / "versions.json").read_text())
    assert set(versions) == {"pytest-run-harness", "openai", "python", "platform"}
    readme = (output / "README.md").read_text()
    assert f"pip install ./{WHEEL}   # the harness this bundle was made with\npytest\n" in readme
    with zipfile.ZipFile(output / WHEEL) as wheel:
        packed = set(wheel.namelist())
    assert {"harness/__init__.py", "harness/py.typed", "harness/bundle/wheel.py"} <= packed
    assert f"pytest_run_harness-{versions['pytest-run-harness']}.dist-info/entry_points.txt" in packed
    assert f"| openai | {versions['openai']} |" in readme and f"| python | {versions['python']} |" in readme
    (expected,) = runpy.run_path(str(output / "test_replay.py"))["EXPECTED"]
    assert expected["protocol"] == "assistants" and expected["status"] == "error"
    assert expected["final_run"]["status"] == "in_progress"
    assert expected["diagnostics"] == ["error-event", "missing-done", "run-not-finished"]

    done = run_pytest(output)
    assert done.returncode == 0, done.stdout
    assert "1 passed" in done.stdout


def test_the_generated_test_fails_when_the_cassette_changes(report_cassette: Path, tmp_path: Path) -> None:
    output = tmp_path / "bundle"
    make_bundle(report_cassette, output)
    cassette = load_cassette(output / "cassette.json")
    stream = cassette.exchanges[-1].response.stream
    assert stream is not None
    stream.frames = [frame for frame in stream.frames if not frame.startswith(b"event: error")]
    stream.chunk_sizes = [len(stream.body)]
    stream.chunk_times = [0.0]
    save_cassette(cassette, output / "cassette.json")
    done = run_pytest(output)
    assert done.returncode == 1 and "1 failed" in done.stdout


def test_a_reported_test_is_wired_to_the_cassette_and_fails(report_cassette: Path, tmp_path: Path) -> None:
    output = tmp_path / "bundle"
    result = make_bundle(report_cassette, output, test_file=REPORTED_TEST)
    assert "test_reported_bug.py" in result.files
    assert "`test_reported_bug.py` (reported)" in (output / "README.md").read_text()
    done = run_pytest(output)
    assert done.returncode == 1
    assert "1 failed, 1 passed" in done.stdout
    assert "the streamed text vanished at the error event" in done.stdout


def test_a_zip_holds_one_folder_with_the_bundle(report_cassette: Path, tmp_path: Path) -> None:
    output = tmp_path / "issue-42.zip"
    make_bundle(report_cassette, output, test_file=REPORTED_TEST)
    with zipfile.ZipFile(output) as archive:
        names = sorted(archive.namelist())
        archive.extractall(tmp_path / "unpacked")
    assert names == sorted(f"issue-42/{name}" for name in [*BUNDLE_FILES, "test_reported_bug.py"])
    done = run_pytest(tmp_path / "unpacked" / "issue-42")
    assert "1 failed, 1 passed" in done.stdout


def leaky_cassette(path: Path) -> Path:
    """A response body that is not UTF-8, so pattern scrubbing leaves the key in it."""
    request = RecordedRequest("GET", "https://api.openai.com/v1/files/file-1/content")
    response = RecordedResponse(
        200, "OK", [("content-type", "application/octet-stream")], b"\xff\xfe binary " + FAKE_KEY.encode()
    )
    path.write_text(native.dumps(Cassette([Exchange(request, response)])))
    return path


def test_a_cassette_with_secrets_left_after_scrubbing_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = leaky_cassette(tmp_path / "leaky.json")
    output = tmp_path / "leaky-bundle"
    with pytest.raises(SecretLeakError, match="refusing to bundle"):
        make_bundle(source, output)
    assert main(["bundle", str(source), "--output", str(output)]) == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and error[0].startswith("harness bundle: error: refusing to bundle")
    assert "sk-tes..." in error[0] and FAKE_KEY not in error[0]
    assert not output.exists()


@pytest.mark.parametrize("problem", ["missing-cassette", "missing-test", "output-not-empty", "no-parent"])
def test_bad_input_is_one_line_and_writes_nothing(
    problem: str, report_cassette: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    cassette, test, output, expected = {
        "missing-cassette": (tmp_path / "nope.json", None, tmp_path / "b", "nope.json: no such file"),
        "missing-test": (report_cassette, tmp_path / "nope_test.py", tmp_path / "b", "no such file"),
        "output-not-empty": (report_cassette, None, occupied, "already exists and is not an empty directory"),
        "no-parent": (report_cassette, None, tmp_path / "x" / "y.zip", "does not exist"),
    }[problem]
    argv = ["bundle", str(cassette), "--output", str(output)] + (["--test", str(test)] if test else [])
    capsys.readouterr()
    assert main(argv) == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and error[0].startswith("harness bundle: error: ") and expected in error[0]
    assert not (tmp_path / "b").exists()
    assert sorted(path.name for path in occupied.iterdir()) == ["keep.txt"]


@pytest.mark.parametrize("name", ['triple"""quote.json', "back\\slash'n.json", "{braces}.json"])
def test_any_cassette_name_makes_a_valid_generated_test(
    report_cassette: Path, tmp_path: Path, name: str
) -> None:
    source = tmp_path / name
    source.write_bytes(report_cassette.read_bytes())
    output = tmp_path / "bundle"
    make_bundle(source, output)

    generated = (output / "test_replay.py").read_text()
    assert f"SOURCE = {name!r}" in generated
    compile(generated, "test_replay.py", "exec")
    done = run_pytest(output)
    assert done.returncode == 0, done.stdout
