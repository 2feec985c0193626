"""Recording a real conversation over HTTP, then replaying it offline, through the marker."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import cassettes, hits

WEATHER_TEST = """
import pytest

@pytest.mark.run_cassette
def test_weather(converse, run_cassette):
    assert "18C and sunny" in converse()
    transcript = run_cassette.transcript
    assert transcript.stream_count == 2
    assert transcript.final_run["status"] == "completed"
    assert [events[-1].event for events in run_cassette.events][-2:] == ["done", "done"]
"""


def test_records_once_then_replays_offline(project: pytest.Pytester) -> None:
    project.makepyfile(test_weather=WEATHER_TEST)

    project.runpytest().assert_outcomes(passed=1)
    recorded = hits(project)
    project.runpytest().assert_outcomes(passed=1)

    assert cassettes(project) == ["cassettes/test_weather/test_weather.json"]
    assert recorded[:2] == ["POST /v1/assistants", "POST /v1/threads"]
    assert any(line.endswith("/submit_tool_outputs") for line in recorded)
    assert hits(project) == []  # the replay never reached a server


@pytest.mark.parametrize(
    ("empty_file", "state"), [(False, "does not exist"), (True, "is an empty file")], ids=["missing", "empty"]
)
def test_ci_refuses_to_record_and_says_how(
    empty_file: bool, state: str, project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makepyfile(test_weather=WEATHER_TEST)
    cassette = project.path / "cassettes" / "test_weather" / "test_weather.json"
    if empty_file:  # an empty file is a new cassette, as vcrpy has it: the message says which
        cassette.parent.mkdir(parents=True)
        cassette.touch()
    monkeypatch.setenv("CI", "true")

    result = project.runpytest()

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*UnmatchedRequestError: No recording for POST http://127.0.0.1:9/v1/assistants in cassette "
            f"*cassettes/test_weather/test_weather.json (the cassette {state} and record mode is "
            "'none' (the default when the CI environment variable is set)).",
            "*To record it, rerun with record mode 'new_episodes' (pytest: --run-record-mode=new_episodes)*",
        ]
    )
    assert (cassette.read_bytes() == b"") if empty_file else (cassettes(project) == [])
    assert hits(project) == []


def test_ci_records_only_when_the_command_line_says_so(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makepyfile(
        test_weather=WEATHER_TEST.replace(
            "@pytest.mark.run_cassette", "@pytest.mark.run_cassette(record_mode='all')"
        )
    )
    monkeypatch.setenv("CI", "1")

    project.runpytest().assert_outcomes(failed=1)
    project.runpytest("--run-record-mode=once").assert_outcomes(passed=1)

    assert cassettes(project) == ["cassettes/test_weather/test_weather.json"]


def test_a_request_missing_from_the_cassette_names_it_and_the_closest_recording(
    project: pytest.Pytester,
) -> None:
    project.makepyfile(test_weather=WEATHER_TEST)
    project.runpytest().assert_outcomes(passed=1)
    project.makepyfile(test_weather=WEATHER_TEST.replace("converse()", 'converse("Weather in Lima?")'))

    result = project.runpytest()

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*No recording for POST http://127.0.0.1:9/v1/threads in cassette*test_weather.json*",
            "*Closest recorded request*",
            '*-*"content": "Weather in Paris?"*',
            '*+*"content": "Weather in Lima?"*',
        ]
    )


def test_record_mode_all_records_again(project: pytest.Pytester) -> None:
    project.makepyfile(test_weather=WEATHER_TEST)
    project.runpytest().assert_outcomes(passed=1)
    hits(project)

    project.runpytest("--run-record-mode=all").assert_outcomes(passed=1)

    assert len(hits(project)) >= 3


def test_the_fixture_alone_activates_a_cassette_with_the_default_name(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_plain="""
        def test_without_marker(converse, run_cassette):
            assert "18C and sunny" in converse()
            assert len(run_cassette.exchanges) >= 4
    """
    )

    project.runpytest().assert_outcomes(passed=1)

    assert cassettes(project) == ["cassettes/test_plain/test_without_marker.json"]


def test_marker_options_reach_the_cassette(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_options="""
        import pytest
        from harness import CutAfter

        @pytest.mark.run_cassette(chunking="byte", faults=[CutAfter(2, exchange=2)], fail_on_unplayed=True)
        def test_options(converse, run_cassette):
            converse()
            options = run_cassette.options
            assert str(options.replay.chunking) == "byte"
            assert options.replay.faults == (CutAfter(2, exchange=2),)
            assert options.fail_on_unplayed is True

        @pytest.mark.run_cassette(recod_mode="all")
        def test_typo(run_cassette):
            pass
    """
    )

    result = project.runpytest()

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.run_cassette got unknown option(s) 'recod_mode'; known:*"])
