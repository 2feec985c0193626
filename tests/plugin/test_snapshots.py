"""run_snapshot in real sessions: created by --snapshot-update, stable across recordings, and a
changed conversation fails with the event lines that differ."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.plugin.conftest import PROJECT_INI, hits

SNAPSHOT_TEST = """
import pytest

@pytest.mark.run_cassette
def test_conversation(converse, run_cassette, run_snapshot):
    converse()
    assert run_snapshot == run_cassette.transcript
"""
CASSETTE = Path("cassettes", "test_conversation", "test_conversation.json")
SNAPSHOT = Path("__snapshots__", "test_conversation.runs")


def _replace_in_streams(cassette: Path, old: str, new: str) -> None:
    assert len(old) == len(new)  # recorded chunk sizes stay right
    document = json.loads(cassette.read_text())
    for exchange in document["exchanges"]:
        stream = exchange["response"].get("stream")
        if stream:
            stream["events"] = [event.replace(old, new) for event in stream["events"]]
    cassette.write_text(json.dumps(document))


def _record_and_snapshot(project: pytest.Pytester) -> str:
    project.runpytest("--snapshot-update", "--run-record-mode=all").assert_outcomes(passed=1)
    return (project.path / SNAPSHOT).read_text()


def test_snapshot_update_creates_it_and_the_next_run_passes(project: pytest.Pytester) -> None:
    project.makepyfile(test_conversation=SNAPSHOT_TEST)

    created = project.runpytest("--snapshot-update")
    passing = project.runpytest()

    created.stdout.fnmatch_lines(["*1 snapshot generated*"])
    passing.assert_outcomes(passed=1)
    passing.stdout.fnmatch_lines(["*1 snapshot passed*"])
    text = (project.path / SNAPSHOT).read_text()
    assert "# name: test_conversation\n  events: 2 streams," in text
    assert "      thread.run.step.delta x" in text and '<step:1> +"{\\"city\\":\\"Paris\\"}"' in text


def test_recording_the_same_conversation_again_leaves_the_snapshot_unchanged(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another seed gives other ids and other simulated durations, as a real re-recording would:
    with timestamps masked nothing in the snapshot changes. (With the default offsets, only the
    durations would show; tests/snapshot proves ids and clock alone do not.)"""
    project.makeini(PROJECT_INI + "run_snapshot_timestamps = mask\n")
    project.makepyfile(test_conversation=SNAPSHOT_TEST)
    first = _record_and_snapshot(project)
    first_cassette = (project.path / CASSETTE).read_text()

    monkeypatch.setenv("EMULATOR_SEED", "77")  # other ids
    monkeypatch.setenv("EMULATOR_CLOCK", "1893456000")  # another day
    second = _record_and_snapshot(project)

    assert (project.path / CASSETTE).read_text() != first_cassette
    assert (
        json.loads(first_cassette)["exchanges"][0]["response"]
        != json.loads((project.path / CASSETTE).read_text())["exchanges"][0]["response"]
    )
    assert second == first


def test_a_changed_conversation_fails_with_the_lines_that_differ(project: pytest.Pytester) -> None:
    project.makepyfile(test_conversation=SNAPSHOT_TEST)
    _record_and_snapshot(project)
    hits(project)
    _replace_in_streams(project.path / CASSETTE, "Paris", "Lille")  # the tool is now called for Lille

    result = project.runpytest()

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            '*- *thread.run.step.delta x* <step:1> +"{\\"city\\":\\"Paris\\"}"*',
            '*+ *thread.run.step.delta x* <step:1> +"{\\"city\\":\\"Lille\\"}"*',
        ]
    )
    assert hits(project) == []
