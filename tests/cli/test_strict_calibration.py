"""``harness validate --strict`` as a CI gate: it passes the real captures that are well-formed and
every emulator scenario of every API, and fails on real protocol breaks.

Field-level differences real servers send (``"instructions": null``, fields older API versions
lacked) are notes and never fail, and so is a failure the server reported (an ``error`` event, with
the stream ending early after it). What still fails ``--strict``, on purpose:

* 002: ``thread.run.completed`` carrying an ``incomplete`` run (a status mismatch; the emulator's
  ``incomplete`` scenario plays the well-formed ``thread.run.incomplete`` instead);
* 016: an ``assistants=v1`` recording (the ``retrieval`` tool no longer exists).
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


@pytest.mark.parametrize(
    ("api", "scenario"), [(api, scenario) for api, names in API_SCENARIOS.items() for scenario in names]
)
def test_emulator_scenarios(api: str, scenario: str, tmp_path: Path) -> None:
    cassette = record(tmp_path / f"{scenario}.json", scenario, "--api", api)
    code, out = strict_verdict(cassette)
    assert code == 0, out
    assert "  warning:" not in out and "  error:" not in out, out
    if scenario not in ("error", "failed"):
        assert out == f"{cassette}: OK\n"


def test_a_recorded_server_error_is_a_note_and_strict_still_fails_on_a_protocol_break(
    tmp_path: Path,
) -> None:
    cassette = record(tmp_path / "error.json", "error")
    code, out = strict_verdict(cassette)
    assert code == 0 and "note: [stream 1, event 13] error-event" in out, out
    assert "note: [stream 1, event 13] missing-done" in out
    broken = tmp_path / "broken.sse"
    body = (CORPUS / "018-simple-openai-v1-thread-and-run-function-requires-action.sse").read_bytes()
    broken.write_bytes(body.replace(b"event: done\ndata: [DONE]", b""))
    code, out = strict_verdict(broken)
    assert code == 1 and "missing-done" in out, out
