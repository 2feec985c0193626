"""A session's repeated headers: a value sent before it was known to be secret is scrubbed once the
session learns it (the scrubbed headers kept from earlier requests are not reused)."""

from __future__ import annotations

from harness import ScrubRules
from harness.cassette.model import RecordedRequest
from harness.scrub import Scrubber

URL = "https://api.openai.com/v1/threads/runs"


def test_a_header_seen_before_its_value_was_learnt_is_scrubbed_afterwards() -> None:
    scrubber = Scrubber(ScrubRules(), environment={})
    trace = ("X-Trace", "plainbearervalue7Q2x")
    assert scrubber.request(RecordedRequest("GET", URL, [trace], b"")).headers == [trace]
    scrubber.request(RecordedRequest("GET", URL, [("Authorization", "Bearer plainbearervalue7Q2x")], b""))
    assert scrubber.request(RecordedRequest("GET", URL, [trace], b"")).headers == [("X-Trace", "REDACTED")]
    assert scrubber.request(RecordedRequest("GET", URL, [trace], b"")).headers == [("X-Trace", "REDACTED")]
