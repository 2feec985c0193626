"""The diff of a missing request shows what is matched, not the host and port it went to."""

from __future__ import annotations

from harness.cassette.model import RecordedRequest
from harness.matching import DEFAULT_MATCH_ON, explain_miss, resolve_matchers

RECORDED = RecordedRequest("POST", "https://api.openai.com/v1/threads?limit=2", [], b'{"model": "gpt-4o"}')
LIVE = RecordedRequest("POST", "http://127.0.0.1:8123/v1/threads?limit=2", [], b'{"model": "gpt-4o-mini"}')


def _diff(match_on: tuple[str, ...]) -> list[str]:
    message = explain_miss(LIVE, [RECORDED], resolve_matchers(match_on))
    return message.splitlines()[1:]


def test_the_diff_leaves_out_scheme_host_and_port_when_they_are_not_matched() -> None:
    diff = _diff(DEFAULT_MATCH_ON)
    assert " POST /v1/threads?limit=2" in diff  # the request line, unchanged, as context
    assert not any("api.openai.com" in line or "127.0.0.1" in line for line in diff)
    assert '-  "model": "gpt-4o"' in diff and '+  "model": "gpt-4o-mini"' in diff


def test_the_diff_keeps_the_host_when_it_is_matched() -> None:
    diff = _diff((*DEFAULT_MATCH_ON, "host"))
    assert "-POST https://api.openai.com/v1/threads?limit=2" in diff
    assert "+POST http://127.0.0.1:8123/v1/threads?limit=2" in diff
