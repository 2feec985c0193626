"""A miss explained when several recordings come equally close: the first recorded one is named."""

from __future__ import annotations

from harness.cassette.model import RecordedRequest
from harness.matching import DEFAULT_MATCH_ON, explain_miss, resolve_matchers

URL = "https://api.openai.com/v1/threads/runs"


def test_of_recordings_equally_close_the_first_recorded_is_named() -> None:
    recorded = [
        RecordedRequest("GET", URL, [], b"{}"),
        RecordedRequest("POST", URL + "?order=asc", [], b"{}"),
        RecordedRequest("DELETE", URL, [], b"{}"),
    ]
    incoming = RecordedRequest("POST", URL, [], b"{}")
    first = explain_miss(incoming, recorded, resolve_matchers(DEFAULT_MATCH_ON)).splitlines()[0]
    assert first == f"Closest recorded request: #0 GET {URL} (differs in: method)"
    first = explain_miss(incoming, recorded[1:], resolve_matchers(DEFAULT_MATCH_ON)).splitlines()[0]
    assert first == f"Closest recorded request: #0 POST {URL}?order=asc (differs in: query)"
