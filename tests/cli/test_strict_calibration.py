"""``harness validate --strict`` as a CI gate: it passes the real captures that are well-formed and
every emulator scenario that plays a clean run, and fails on real protocol breaks.

Field-level differences real servers send (``"instructions": null``, fields older API versions
lacked) are notes and never fail. What still fails ``--strict``, on purpose:

* 002: ``thread.run.completed`` carrying an ``incomplete`` run (a status mismatch; the emulator's
  ``incomplete`` scenario reproduces that capture faithfully, so it fails the same way);
* 016: an ``assistants=v1`` recording (the ``retrieval`` tool no longer exists);
* the ``error`` scenario: a stream the server ended with an ``error`` event (a warning, with the
  missing ``done`` after it: a recorded failure is worth a look before it becomes a fixture).
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from harness.cli import main
from harness.emulator.scenarios import API_SCENARIOS
from tests.cli.record_support import CORPUS, record

FAILING_CAPTURES = {"002", "016"}
FAILING_SCENARIOS = {"incomplete", "error"}
REAL_CAPTURES = sorted(CORPUS.glob("0*.sse"))


def strict_verdict(path: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["validate", "--strict", str(path)])
    return code, out.getvalue()


def test_the_corpus_is_all_there() -> None:
    assert len(REAL_CAPTURES) == 21


@pytest.mark.parametrize("path", REAL_CAPTURES, ids=lambda path: path.name[:3])
def test_real_captures(path: Path) -> None:
    code, out = strict_verdict(path)
    if path.name[:3] in FAILING_CAPTURES:
        assert code == 1 and "FAILED" in out, out
    else:
        assert code == 0, out
        assert "warning:" not in out and "error:" not in out


def test_what_fails_002_is_the_status_mismatch_alone() -> None:
    code, out = strict_verdict(CORPUS / "002-ruby-openai-v2-run-incomplete-max-tokens.sse")
    assert code == 1
    warnings = [line for line in out.splitlines() if line.startswith("  warning:")]
    assert len(warnings) == 1 and "status-mismatch" in warnings[0]
    assert "note: [stream 1, event 0, parallel_tool_calls] reference-deviation" in out


@pytest.mark.parametrize("scenario", API_SCENARIOS["assistants"])
def test_emulator_scenarios(scenario: str, tmp_path: Path) -> None:
    cassette = record(tmp_path / f"{scenario}.json", scenario)
    code, out = strict_verdict(cassette)
    if scenario in FAILING_SCENARIOS:
        assert code == 1, out
    else:
        assert code == 0, out
        assert out == f"{cassette}: OK\n"
