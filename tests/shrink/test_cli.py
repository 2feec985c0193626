"""``harness shrink`` from the command line: a real check command, time limits, bad input."""

from __future__ import annotations

import hashlib
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from harness import load_cassette
from harness.cli import build_parser, main
from harness.cli import shrink as shrink_command
from harness.shrink import protocol_problems
from tests.shrink.toy_parser import ToyParser, exposes
from tests.support.clocks import FakeClock

PROJECT = Path(__file__).resolve().parents[2]
CHECK_SCRIPT = f"""
import os, sys
sys.path.insert(0, {str(PROJECT)!r})
from harness import load_cassette
from tests.shrink.toy_parser import ToyParser, exposes
broken = exposes(ToyParser(error_resets_message=True))(load_cassette(os.environ["HARNESS_CASSETTE"]))
sys.exit(1 if broken else 0)
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def harness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *args], capture_output=True, text=True, timeout=120, cwd=PROJECT
    )


def test_shrinks_with_a_check_command_and_leaves_the_original_alone(original: Path, tmp_path: Path) -> None:
    script = tmp_path / "check.py"
    script.write_text(CHECK_SCRIPT)
    before = digest(original)
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"

    done = harness("shrink", str(original), "--check", command)

    assert done.returncode == 0, done.stderr
    shrunk = tmp_path / "report.min.json"
    assert f"wrote {shrunk}" in done.stdout
    events_before = sum(len(stream.frames) for stream in load_cassette(original).streams)
    events_after = sum(len(stream.frames) for stream in load_cassette(shrunk).streams)
    assert f"{events_before} events in 3 exchanges -> {events_after} events in 1 exchanges" in done.stdout
    assert events_after <= 10
    assert "checks in" in done.stdout and "shrink: check " in done.stderr
    assert digest(original) == before
    assert exposes(ToyParser(error_resets_message=True))(load_cassette(shrunk))
    assert protocol_problems(load_cassette(shrunk)) == frozenset()
    assert main(["validate", str(shrunk)]) == 0


def test_the_candidate_path_replaces_braces_in_the_command(original: Path, tmp_path: Path) -> None:
    script = tmp_path / "check.py"
    script.write_text(CHECK_SCRIPT.replace('os.environ["HARNESS_CASSETTE"]', "sys.argv[1]"))
    output = tmp_path / "out" / "min.json"
    output.parent.mkdir()
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} {{}}"
    done = harness("shrink", str(original), "--check", command, "--output", str(output), "--max-checks", "3")
    assert done.returncode == 0, done.stderr
    assert "stopped early: reached the limit of 3 checks" in done.stdout
    assert load_cassette(output).exchanges


def test_timeout_writes_the_best_found_so_far(
    original: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(original)
    output = tmp_path / "best.json"
    clock = FakeClock(step=0.02)  # every look at the clock costs 20 ms
    still_has_a_text_delta = 'if grep -q thread.message.delta "$HARNESS_CASSETTE"; then exit 3; fi'
    arguments = ["shrink", str(original), "--check", still_has_a_text_delta, "--timeout", "1.5"]
    args = build_parser().parse_args([*arguments, "--output", str(output)])

    assert shrink_command.run(args, clock=clock) == 0

    out = capsys.readouterr().out
    assert "stopped early: reached the time limit" in out
    reported = float(out.split(" checks in ")[1].split("s")[0])
    assert 1.5 <= reported < 1.5 + 0.5  # the search stops at the deadline, not after a whole round
    shrunk, source = load_cassette(output), load_cassette(original)
    assert 0 < sum(len(s.frames) for s in shrunk.streams) < sum(len(s.frames) for s in source.streams)
    assert digest(original) == before


def test_a_check_that_hangs_on_the_original_is_reported(
    original: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = error_in_process(
        capsys,
        "shrink",
        str(original),
        "--check",
        "sleep 30",
        "--timeout",
        "0.5",
        "--output",
        str(tmp_path / "never.json"),
    )
    assert [line] == [
        f"harness shrink: error: {original}: the check did not finish on the original cassette within "
        "--timeout 0.5s; nothing written"
    ]
    assert not (tmp_path / "never.json").exists()


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def error_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The one stderr line of a failing ``harness`` run (in this process: start-up costs a second)."""
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return one_line_error(subprocess.CompletedProcess(args, code, out, err))


def test_a_missing_cassette(tmp_path: Path) -> None:
    line = one_line_error(harness("shrink", str(tmp_path / "nope.json"), "--check", "exit 1"))
    assert line == f"harness shrink: error: {tmp_path / 'nope.json'}: no such file"


def test_a_check_that_passes_on_the_original(original: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = error_in_process(capsys, "shrink", str(original), "--check", "exit 0")
    assert "the check passes on it (exit 0), so there is no failure to keep" in line
    assert not original.with_name("report.min.json").exists()


def test_a_check_that_cannot_run(original: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = error_in_process(capsys, "shrink", str(original), "--check", "no-such-command-for-shrink-test")
    assert "the check command could not run (exit 127)" in line


@pytest.mark.parametrize("where", ["missing-directory", "a-directory", "the-original"])
def test_a_bad_output_location(
    where: str, original: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = {
        "missing-directory": tmp_path / "no" / "such" / "min.json",
        "a-directory": tmp_path,
        "the-original": original,
    }[where]
    before = digest(original)
    line = error_in_process(capsys, "shrink", str(original), "--check", "exit 1", "--output", str(output))
    assert line.startswith(f"harness shrink: error: --output {output}")
    assert digest(original) == before
