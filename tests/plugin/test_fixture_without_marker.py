"""A test that reaches ``run_cassette`` only through a fixture, with no marker, is told it records."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import cassettes

TESTS = """
import pytest

def test_unmarked(converse):  # `converse` uses `client`, which requests run_cassette
    converse()

@pytest.mark.run_cassette
def test_marked(converse):
    converse()
"""


def test_recording_turned_on_by_a_fixture_is_said_once(project: pytest.Pytester) -> None:
    project.makepyfile(test_fixture_only=TESTS)

    first = project.runpytest()
    second = project.runpytest()

    first.assert_outcomes(passed=2, warnings=1)
    first.stdout.fnmatch_lines(
        [
            "*RecordingWithoutMarkerWarning: test_fixture_only.py::test_unmarked has no "
            "@pytest.mark.run_cassette but requests the run_cassette fixture*turned recording on*"
            "cassettes/test_fixture_only/test_unmarked.json*"
        ]
    )
    second.assert_outcomes(passed=2)  # replaying what exists: nothing to say
    assert "RecordingWithoutMarkerWarning" not in second.stdout.str()
    assert cassettes(project) == [
        "cassettes/test_fixture_only/test_marked.json",
        "cassettes/test_fixture_only/test_unmarked.json",
    ]
