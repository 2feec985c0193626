"""pytest -n 2: the same results as one process, and shared cassettes recorded whole."""

from __future__ import annotations

import json

import pytest

from tests.plugin.conftest import cassettes

# Plugins these sessions do not use: each xdist worker would import them again.
LEAN = ("-p", "no:hypothesispytest", "-p", "no:recording", "-p", "no:anyio")

SUITE = """
import pytest

@pytest.mark.run_cassette
@pytest.mark.parametrize("city", ["Paris", "Lima", "Oslo", "Kyiv"])
def test_city(converse, city, run_cassette, run_snapshot):
    assert "sunny" in converse(f"Weather in {city}?")
    assert run_snapshot == run_cassette.transcript

@pytest.mark.run_cassette("shared", record_mode="new_episodes")
@pytest.mark.parametrize("city", ["Rome", "Baku", "Lagos", "Quito"])
def test_shared(client, city):
    thread = client.beta.threads.create(messages=[{"role": "user", "content": city}])
    assert thread.id.startswith("thread_")
"""


def test_two_workers_record_snapshot_and_replay_like_one_process(project: pytest.Pytester) -> None:
    project.makepyfile(test_suite=SUITE)

    recorded = project.runpytest_subprocess(*LEAN, "-n", "2", "--snapshot-update")
    replayed = project.runpytest_subprocess(*LEAN, "-n", "2", "--run-record-mode=none")
    serial = project.runpytest("--run-record-mode=none")

    recorded.assert_outcomes(passed=8)
    recorded.stdout.fnmatch_lines(["*4 snapshots generated*"])
    replayed.assert_outcomes(passed=8)
    serial.assert_outcomes(passed=8)
    shared = json.loads((project.path / "cassettes" / "test_suite" / "shared.json").read_text())
    assert len(shared["exchanges"]) == 4  # every test's episode is in the file: none lost to a later save
    assert len(cassettes(project)) == 5
