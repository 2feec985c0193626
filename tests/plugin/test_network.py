"""--run-block-network: sockets fail unless a cassette serves them (or a recording needs them)."""

from __future__ import annotations

import pytest

from harness.http.guard import host_allowed
from tests.plugin.conftest import cassettes

RAW_SOCKET_TEST = """
import socket
import threading

import pytest


@pytest.fixture
def listener():
    server = socket.create_server(("127.0.0.1", 0))
    yield server.getsockname()[1]
    server.close()


def test_raw_socket(listener):
    with socket.create_connection(("127.0.0.1", listener), timeout=2):
        pass
"""


def test_a_raw_socket_connection_is_blocked_and_says_why(project: pytest.Pytester) -> None:
    project.makepyfile(test_raw=RAW_SOCKET_TEST)

    project.runpytest().assert_outcomes(passed=1)
    result = project.runpytest("--run-block-network")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*NetworkBlockedError: network access to 127.0.0.1:* is blocked (--run-block-network)*"]
    )


def test_allowed_hosts_and_the_ini_option(project: pytest.Pytester) -> None:
    project.makepyfile(test_raw=RAW_SOCKET_TEST)
    project.makeini("[pytest]\nrun_block_network = true\n")

    project.runpytest().assert_outcomes(failed=1)
    project.runpytest("--run-allowed-hosts=loopback").assert_outcomes(passed=1)
    project.runpytest(r"--run-allowed-hosts=example\.org,127\.0\.0\.1").assert_outcomes(passed=1)


def test_a_recording_cassette_may_connect_and_its_replay_needs_no_network(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_weather="""
        import pytest

        @pytest.mark.run_cassette
        def test_weather(converse):
            assert "sunny" in converse()
    """
    )

    project.runpytest("--run-block-network").assert_outcomes(passed=1)
    project.runpytest("--run-block-network").assert_outcomes(passed=1)

    assert cassettes(project) == ["cassettes/test_weather/test_weather.json"]


@pytest.mark.parametrize(
    ("host", "allowed", "expected"),
    [
        ("127.0.0.1", ["loopback"], True),
        ("::1", ["loopback"], True),
        ("10.0.0.1", ["loopback"], False),
        ("api.openai.com", [r".*\.openai\.com"], True),
        ("api.openai.com.evil", [r".*\.openai\.com"], False),
    ],
)
def test_host_patterns_match_whole_host_names(host: str, allowed: list[str], expected: bool) -> None:
    assert host_allowed(host, allowed) is expected
