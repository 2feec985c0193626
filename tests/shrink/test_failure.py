"""A smaller cassette counts only if the check fails on it the same way as on the original."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from harness import load_cassette
from harness.cli import main
from harness.shrink.failure import read_failure
from tests.shrink.test_cli import PROJECT, harness

ASSERTION = "FAILED test_bug.py::test_reply - assert 'Hel' == 'Hello'\n1 failed in 0.31s\n"
MISSING_REQUEST = "FAILED test_bug.py::test_reply - UnmatchedRequestError: No recording for POST http://127.0.0.1:9/v1/threads\n"


@pytest.mark.parametrize(
    ("output", "kind"),
    [
        (ASSERTION, "test_bug.py::test_reply AssertionError"),
        ("FAILED t.py::test_a - AssertionError: assert 3 == 2\n", "t.py::test_a AssertionError"),
        (MISSING_REQUEST, "test_bug.py::test_reply UnmatchedRequestError"),
        (
            "FAILED t.py::test_a - harness.errors.UnmatchedRequestError: No recording\n",
            "t.py::test_a UnmatchedRequestError",
        ),
        ("ERROR t.py::test_a - CassetteError: bug.json: line 2\n", "t.py::test_a CassetteError"),
        ("FAILED t.py::test_a\n", "t.py::test_a"),
        ("t.py F\nE       assert 3 == 2\n", "AssertionError"),
        ('Traceback (most recent call last):\n  File "c.py", line 3\nKeyError: 0\n', "KeyError"),
        ("Traceback ...\nbroken.ParseError: at byte 3\n", "ParseError"),
        ("something went wrong\n", None),
        ("", None),
    ],
)
def test_the_kind_of_failure_is_read_from_pytest_or_a_traceback(output: str, kind: str | None) -> None:
    assert read_failure(1, output).kind == kind


def test_values_that_change_with_the_cassette_do_not_make_another_failure() -> None:
    smaller = "FAILED test_bug.py::test_reply - assert 'H' == 'He'\n"
    assert read_failure(1, smaller).same_as(read_failure(1, ASSERTION))
    assert not read_failure(1, MISSING_REQUEST).same_as(read_failure(1, ASSERTION))
    assert not read_failure(2, ASSERTION).same_as(read_failure(1, ASSERTION))


# Fails on an assertion while the cassette holds its three exchanges, on a missing exchange below that:
# with the exit status alone, the shrink would keep the missing-exchange failure (one exchange left).
CHECK_SCRIPT = f"""
import os, sys
sys.path.insert(0, {str(PROJECT)!r})
from harness import load_cassette
from tests.shrink.toy_parser import ToyParser, exposes
cassette = load_cassette(os.environ["HARNESS_CASSETTE"])
if len(cassette.exchanges) < 3:
    raise LookupError("no recording for POST /v1/threads")
assert not exposes(ToyParser(error_resets_message=True))(cassette), "the reply lost its text"
"""


@pytest.fixture
def check(tmp_path: Path) -> str:
    script = tmp_path / "check.py"
    script.write_text(CHECK_SCRIPT)
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def test_a_candidate_failing_another_way_is_not_kept(original: Path, tmp_path: Path, check: str) -> None:
    done = harness("shrink", str(original), "--check", check)

    assert done.returncode == 0, done.stderr
    shrunk = load_cassette(tmp_path / "report.min.json")
    assert len(shrunk.exchanges) == 3
    assert "failure kept: AssertionError: the reply lost its text" in done.stdout
    assert "smaller candidate(s) failed another way and were not kept (first: LookupError: " in done.stdout
    assert "warning" not in done.stdout


def test_expect_pins_the_failure_to_a_message(original: Path, tmp_path: Path, check: str) -> None:
    done = harness("shrink", str(original), "--check", check, "--expect", "lost its text")
    assert done.returncode == 0, done.stderr
    assert len(load_cassette(tmp_path / "report.min.json").exchanges) == 3


def test_expect_must_match_the_original_failure(
    original: Path, check: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["shrink", str(original), "--check", check, "--expect", "KeyError"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("harness shrink: error: --expect 'KeyError' does not match what the check printed")
    assert "AssertionError: the reply lost its text" in err and len(err.strip().splitlines()) == 1


def test_a_check_that_prints_no_failure_is_compared_by_exit_status_and_says_so(
    original: Path, tmp_path: Path
) -> None:
    check = "grep -q thread.message.delta {} && exit 4; exit 0"
    done = harness("shrink", str(original), "--check", check, "--allow-malformed")
    assert done.returncode == 0, done.stderr
    assert "failure kept: exit status 4" in done.stdout
    assert "warning: the check printed no failure the harness can read" in done.stdout
    assert "warning: only 1 event(s) left: make sure the result still shows the bug you meant" in done.stdout
