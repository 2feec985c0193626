"""``assert run_snapshot == run_cassette.transcript`` on a Responses or a Chat Completions test: the
snapshot is that protocol's reconstruction (its final objects and events), normalized like a run's,
and recording the conversation again gives the same snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest

TEST_MODULE = """
import pytest

from harness.cli.api_conversations import drive_chat, drive_responses


@pytest.mark.run_cassette
def test_conversation(run_emulator, run_cassette, run_snapshot):
    {drive}(run_emulator.client(), "tool-call")
    assert run_snapshot == run_cassette.transcript
"""


@pytest.mark.parametrize(
    ("drive", "protocol", "objects"),
    [("drive_responses", "responses", "responses:"), ("drive_chat", "chat.completions", "completions:")],
)
def test_a_new_protocol_snapshot_is_its_own_reconstruction(
    project: pytest.Pytester, drive: str, protocol: str, objects: str
) -> None:
    project.makepyfile(test_new=TEST_MODULE.replace("{drive}", drive))
    project.runpytest("--snapshot-update").assert_outcomes(passed=1)
    (snapshot,) = Path(project.path).rglob("__snapshots__/*")
    text = snapshot.read_text()

    assert f"protocol: {protocol}" in text
    assert objects in text and "get_current_weather" in text
    assert "unknown-event" not in text and "missing-done" not in text  # not folded as a run stream
    assert "resp_" not in text and "chatcmpl-" not in text  # ids are placeholders

    project.runpytest("--run-record-mode=all").assert_outcomes(passed=1)  # recorded again: same snapshot
    assert snapshot.read_text() == text
    project.runpytest("--run-record-mode=none").assert_outcomes(passed=1)
