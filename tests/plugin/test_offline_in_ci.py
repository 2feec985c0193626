"""With a CI variable set, cassette tests cannot reach the network whatever the client, unless the
command line asks for recording; tests that use no cassette get nothing from the plugin."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import cassettes

# TEST-NET-1 (RFC 5737): never routed, so even a broken guard could not reach anything.
UNROUTED = "192.0.2.1"

URLLIB_TEST = f"""
import urllib.request

import pytest

@pytest.mark.run_cassette
def test_urllib():
    urllib.request.urlopen("http://{UNROUTED}/v1/models", timeout=2)
"""

DIRECT_ALL_TEST = """
import httpx

from harness import use_cassette
from harness.emulator import EmulatorServer


def test_direct(tmp_path):
    with EmulatorServer() as server, use_cassette(tmp_path / "direct.json", record_mode="all"):
        httpx.post(f"{server.base_url}/assistants", json={"model": "gpt-4o"})
"""

DIRECT_ALL_ELSEWHERE_TEST = f"""
import httpx

from harness import use_cassette


def test_direct(tmp_path):
    with use_cassette(tmp_path / "direct.json", record_mode="all"):
        httpx.post("http://{UNROUTED}/v1/assistants", json={{"model": "gpt-4o"}}, timeout=2)
"""


@pytest.mark.parametrize(
    "variable", ["CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "TF_BUILD", "JENKINS_URL"]
)
def test_a_client_the_harness_does_not_intercept_is_blocked_naming_host_and_test(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "https://ci.example/job/1" if variable == "JENKINS_URL" else "true")
    project.makepyfile(test_offline=URLLIB_TEST)

    result = project.runpytest()

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            f"*network access to {UNROUTED}:80 from test test_offline.py::test_urllib "
            f"is blocked: {variable} is set*"
        ]
    )


def test_the_command_line_can_still_ask_for_recording(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    project.makepyfile(test_offline=URLLIB_TEST)

    # in a process of its own: when this suite itself runs with CI set, its own guard would block the
    # connection of an in-process session
    result = project.runpytest_subprocess("--run-record-mode=once")

    result.assert_outcomes(failed=1)
    assert "is blocked" not in result.stdout.str()  # the connection was tried (and failed on its own)


def test_use_cassette_with_record_mode_all_called_directly_cannot_reach_the_network_in_ci(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    project.makepyfile(test_direct=DIRECT_ALL_ELSEWHERE_TEST)

    result = project.runpytest()

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [f"*network access to {UNROUTED}:80 from test test_direct.py::test_direct is blocked: CI is set*"]
    )
    assert cassettes(project) == []


def test_in_ci_a_loopback_server_the_test_started_can_still_be_recorded_from(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    project.makepyfile(test_direct=DIRECT_ALL_TEST + "    assert (tmp_path / 'direct.json').exists()\n")

    project.runpytest().assert_outcomes(passed=1)


def test_use_cassette_records_directly_outside_ci(project: pytest.Pytester) -> None:
    project.makepyfile(test_direct=DIRECT_ALL_TEST + "    assert (tmp_path / 'direct.json').exists()\n")

    project.runpytest().assert_outcomes(passed=1)


def test_a_test_without_the_marker_gets_no_harness_fixture(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_plain="""
import pytest

def test_plain(request):
    assert "_run_harness" not in request.fixturenames

@pytest.mark.run_cassette
def test_marked(request):
    assert request.fixturenames[0] == "_run_harness"
"""
    )

    project.runpytest().assert_outcomes(passed=2)


HEAVY = (
    "harness.playback",
    "harness.snapshot",
    "harness.models",
    "harness.emulator",
    "harness.cassette.formats",
)


def test_a_session_without_cassettes_imports_no_playback_snapshot_or_models(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    pytester.makepyfile(
        test_plain=f"""
import sys

def test_plain():
    assert [name for name in sys.modules if name.startswith({HEAVY!r})] == []
"""
    )

    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
