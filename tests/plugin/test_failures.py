"""A test failed by the harness (missing recording, bad option, unloadable cassette) reads as one
paragraph: the harness's message first, no frames of the harness, the SDK or httpx."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugin.test_xdist import LEAN

MISSING = """
import pytest

@pytest.mark.run_cassette
def test_weather(converse):
    converse()
"""

LIBRARY_FRAMES = ("site-packages", "harness/playback", "openai/", "httpx")


def _section(output: str, title: str) -> list[str]:
    """The lines of one failure's report, after its ``___ title ___`` header."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("_") and f" {title} " in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(("_", "=")))
    return lines[start + 1 : end]


def test_a_missing_recording_fails_with_the_harness_message_first(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    project.makepyfile(test_weather=MISSING)

    result = project.runpytest()

    result.assert_outcomes(failed=1)
    section = _section(result.stdout.str(), "test_weather")
    assert section[0].startswith(
        "UnmatchedRequestError: No recording for POST http://127.0.0.1:9/v1/assistants"
    )
    assert len(section) < 12
    assert section[-1].startswith("at ") and "conftest.py:" in section[-1] and section[-1].endswith(" in run")
    assert not [line for line in section if any(frame in line for frame in LIBRARY_FRAMES)]
    result.stdout.fnmatch_lines(
        [
            "FAILED test_weather.py::test_weather - UnmatchedRequestError: No recording for POST http://127.0.0.1:9/v1/*"
        ]
    )


def test_the_summary_line_keeps_the_message_under_xdist(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    project.makepyfile(test_weather=MISSING)

    result = project.runpytest(*LEAN, "-n", "1")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["FAILED test_weather.py::test_weather - UnmatchedRequestError: No recording for *"]
    )
    assert "Traceback" not in result.stdout.str() and "_base_client.py" not in result.stdout.str()


def test_full_trace_still_shows_every_frame(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    project.makepyfile(test_weather=MISSING)

    result = project.runpytest("--full-trace")

    result.assert_outcomes(failed=1)
    assert "harness/playback/patches.py" in result.stdout.str()


def test_a_bad_marker_option_and_a_broken_cassette_are_one_paragraph_each(project: pytest.Pytester) -> None:
    broken = Path(project.path) / "cassettes" / "test_setup" / "broken.json"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"harness_cassette": 1, "exchanges": [\n')
    project.makepyfile(
        test_setup="""
        import pytest

        @pytest.mark.run_cassette(recod_mode="all")
        def test_typo():
            pass

        @pytest.mark.run_cassette("broken.json")
        def test_broken():
            pass
        """
    )

    result = project.runpytest("-vv")  # the summary lines untrimmed

    result.assert_outcomes(errors=2)
    output = result.stdout.str()
    assert _section(output, "test_typo") == [
        "CassetteOptionError: @pytest.mark.run_cassette got unknown option(s) 'recod_mode'; known: "
        "allow_playback_repeats, chunking, chunkings, fail_on_unplayed, faults, ignore_body_fields, "
        "match_on, name, record_mode, scrub, speed"
    ]
    assert _section(output, "test_broken") == [
        f"CassetteError: {broken}: line 2, column 1: invalid JSON: Expecting value"
    ]
    result.stdout.fnmatch_lines(["ERROR test_setup.py::test_broken - CassetteError: /*"])


def test_the_tests_own_assertions_keep_pytests_report(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_own="""
        import pytest
        from harness import HarnessError

        @pytest.mark.run_cassette
        def test_asserts(run_cassette):
            try:
                raise HarnessError("expected by the test")
            except HarnessError:
                assert len(run_cassette.exchanges) == 1
        """
    )

    result = project.runpytest()

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*assert 0 == 1*"])
