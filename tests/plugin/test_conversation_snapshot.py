"""``assert run_snapshot == run_cassette.conversation``: a test whose code moves from ``runs.stream``
to ``responses.stream`` (or to Chat Completions) keeps its snapshot, and a changed argument breaks it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TEST_MODULE = """
import pytest

from harness.cli.api_conversations import drive_chat, drive_responses
from harness.cli.conversation import drive_conversation


@pytest.mark.run_cassette
def test_weather(run_emulator, run_cassette, run_snapshot):
    {drive}(run_emulator.client(), "tool-call")
    assert run_snapshot == run_cassette.conversation
"""


def _module(project: pytest.Pytester, drive: str) -> None:
    project.makepyfile(test_migrating=TEST_MODULE.replace("{drive}", drive))
    shutil.rmtree(Path(project.path) / "cassettes", ignore_errors=True)  # the requests changed: record anew


def test_the_snapshot_survives_the_migration_to_responses_and_chat(project: pytest.Pytester) -> None:
    _module(project, "drive_conversation")
    project.runpytest("--snapshot-update").assert_outcomes(passed=1)
    (snapshot,) = Path(project.path).rglob("__snapshots__/*")
    first = snapshot.read_text()
    assert '2. tool call get_current_weather({"location": "Paris, France"})' in first
    assert "final status: completed" in first
    for drive in ("drive_responses", "drive_chat"):
        _module(project, drive)
        project.runpytest().assert_outcomes(passed=1)
        project.runpytest("--run-record-mode=none").assert_outcomes(passed=1)
        assert snapshot.read_text() == first


def test_a_migration_that_changes_an_argument_fails_the_snapshot(project: pytest.Pytester) -> None:
    _module(project, "drive_conversation")
    project.runpytest("--snapshot-update").assert_outcomes(passed=1)
    project.makepyfile(
        test_migrating=TEST_MODULE.replace("{drive}", "drive_responses").replace(
            "import pytest\n",
            # a fixture, not a module-level assignment: pytester runs in this process, and the
            # emulator's sample values must be back for the tests that run after this one
            "import pytest\nfrom harness.emulator import scenarios\n"
            "@pytest.fixture(autouse=True)\n"
            "def _lima(monkeypatch):\n"
            "    monkeypatch.setitem(scenarios._SAMPLE_STRINGS, 'location', ['Lima, Peru', 'Lima, Peru'])\n",
            1,
        )
    )
    shutil.rmtree(Path(project.path) / "cassettes")
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(['*tool call get_current_weather({"location": "Lima, Peru"})*'])
