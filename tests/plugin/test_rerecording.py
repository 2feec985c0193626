"""Re-recording that does what it says, as a downstream project hits it: ``all`` replaces the
conversation only when the test passes, ``new_episodes`` refuses to graft live requests onto a
replayed conversation, and a failing test does not save the error it recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cassette import load_cassette
from tests.plugin.conftest import cassettes, hits

CASSETTE = "cassettes/test_weather/test_weather.json"

WEATHER_TEST = """
import pytest

@pytest.mark.run_cassette
def test_weather(converse):
    assert "18C and sunny" in converse()
"""


def _requests(project: pytest.Pytester) -> list[str]:
    cassette = load_cassette(Path(project.path) / CASSETTE)
    return [exchange.request.body.decode() for exchange in cassette.exchanges]


def _record_paris(project: pytest.Pytester) -> bytes:
    project.makepyfile(test_weather=WEATHER_TEST)
    project.runpytest().assert_outcomes(passed=1)
    hits(project)
    return (Path(project.path) / CASSETTE).read_bytes()


def test_all_after_a_changed_request_leaves_exactly_the_new_conversation(project: pytest.Pytester) -> None:
    _record_paris(project)
    project.makepyfile(test_weather=WEATHER_TEST.replace("converse()", 'converse("Weather in Lima?")'))

    project.runpytest("--run-record-mode=all").assert_outcomes(passed=1)
    replay = project.runpytest("--run-record-mode=none", "-W", "error::UserWarning")

    replay.assert_outcomes(passed=1)
    bodies = " ".join(_requests(project))
    assert "Lima" in bodies and "Paris" not in bodies
    assert "never played" not in replay.stdout.str()


def test_all_failing_halfway_leaves_the_old_cassette_byte_identical_and_says_so(
    project: pytest.Pytester,
) -> None:
    before = _record_paris(project)
    project.makepyfile(
        test_weather=WEATHER_TEST.replace(
            'assert "18C and sunny" in converse()',
            'converse("Weather in Lima?")\n    assert False, "halfway"',
        )
    )

    result = project.runpytest("--run-record-mode=all")

    result.assert_outcomes(failed=1)
    assert len(hits(project)) >= 3  # it did record again...
    assert (Path(project.path) / CASSETTE).read_bytes() == before  # ...and kept the old file
    result.stdout.fnmatch_lines(
        ["*CassetteNotSavedWarning*was not written*old cassette is left byte-identical*"]
    )


def test_new_episodes_on_a_conversation_cassette_refuses_instead_of_saving_a_404(
    project: pytest.Pytester,
) -> None:
    before = _record_paris(project)
    project.makepyfile(test_weather=WEATHER_TEST.replace("converse()", 'converse("Weather in Lima?")'))

    result = project.runpytest("--run-record-mode=new_episodes")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*Refusing to record POST*with record mode 'new_episodes': it uses asst_*--run-record-mode=all*"]
    )
    assert (Path(project.path) / CASSETTE).read_bytes() == before
    statuses = [
        exchange.response.status for exchange in load_cassette(Path(project.path) / CASSETTE).exchanges
    ]
    assert all(status < 400 for status in statuses)


def test_a_changed_request_recommends_re_recording_the_whole_conversation(project: pytest.Pytester) -> None:
    _record_paris(project)
    project.makepyfile(test_weather=WEATHER_TEST.replace("converse()", 'converse("Weather in Lima?")'))

    result = project.runpytest()

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*To record the conversation again, rerun with record mode 'all'*"])


def test_a_failing_test_does_not_save_the_error_response_it_recorded(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_missing="""
import pytest

@pytest.mark.run_cassette
def test_missing(client):
    client.beta.threads.retrieve("thread_doesnotexist0001")
"""
    )

    result = project.runpytest()

    result.assert_outcomes(failed=1)
    assert hits(project) == ["GET /v1/threads/thread_doesnotexist0001"]
    assert cassettes(project) == []
    result.stdout.fnmatch_lines(
        ["*was not written: the test failed and the recording holds error response*404*"]
    )


def test_a_passing_test_keeps_the_error_response_it_expected(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_missing="""
import openai
import pytest

@pytest.mark.run_cassette
def test_missing(client):
    with pytest.raises(openai.NotFoundError):
        client.beta.threads.retrieve("thread_doesnotexist0001")
"""
    )

    project.runpytest().assert_outcomes(passed=1)

    (path,) = Path(project.path).rglob("test_missing.json")
    assert json.loads(path.read_text())["exchanges"][0]["response"]["status"] == 404
