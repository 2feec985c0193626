"""Scrubbing stream events and text: the raw text of frames that are not JSON, URLs in messages, and
chunk tables that stay whole after an edit changes a frame's length."""

from __future__ import annotations

import json

from harness import ScrubRules
from harness.cassette.model import Cassette, RecordedRequest, RecordedResponse, RecordedStream
from harness.scrub import Scrubber, scrub_request, scrub_stream, scrubbed_cassette

FAKE_KEY = "sk-test-FAKEFAKEFAKEFAKEFAKE0123"
URL = "https://api.openai.com/v1/threads/runs"


def _stream(frames: list[bytes], sizes: list[int]) -> RecordedStream:
    return RecordedStream(frames, sizes, [0.0] * len(sizes))


def test_a_key_in_a_frame_that_is_not_json_is_masked_in_its_raw_text() -> None:
    frames = [f"event: log\ndata: using {FAKE_KEY} now\n\n".encode(), b"event: done\ndata: [DONE]\n\n"]
    scrubbed = scrub_stream(_stream(frames, [len(f) for f in frames]), ScrubRules())
    assert scrubbed.frames[0] == f"event: log\ndata: using {'*' * len(FAKE_KEY)} now\n\n".encode()
    assert scrubbed.frames[1] == frames[1]
    assert scrubbed.chunk_sizes == [len(f) for f in frames]


def test_urls_in_a_message_lose_their_password_and_secret_query() -> None:
    scrubber = Scrubber(ScrubRules(), environment={})
    text = "retrying https://alice:plainpassword8Xw2@proxy.example.com/v1/models?token=plain4token9x&limit=2"
    assert (
        scrubber.text(text) == "retrying https://REDACTED@proxy.example.com/v1/models?token=REDACTED&limit=2"
    )


def test_a_secret_named_field_holding_a_key_becomes_the_plain_placeholder() -> None:
    body = json.dumps({"api_key": FAKE_KEY, "note": f"my key {FAKE_KEY}"}).encode()
    scrubbed = json.loads(scrub_request(RecordedRequest("POST", URL, [], body), ScrubRules()).body)
    assert scrubbed == {"api_key": "REDACTED", "note": "my key sk-REDACTED"}


def test_the_values_of_extra_redacted_headers_are_learnt() -> None:
    scrubber = Scrubber(ScrubRules(headers=["X-Tenant"]), environment={})
    recorded = scrubber.request(RecordedRequest("GET", URL, [("X-Tenant", "tenant-plain-4242")], b""))
    assert recorded.headers == [("X-Tenant", "REDACTED")]
    response = RecordedResponse(200, "OK", [], b'{"tenant": "tenant-plain-4242"}')
    scrubber.response(response)
    assert json.loads(response.body) == {"tenant": "REDACTED"}


def _growing_last_frame() -> tuple[list[bytes], ScrubRules]:
    frames = [b'event: a\ndata: {"n": 1}\n\n', b'event: b\ndata: {"email": "a@b.c"}\n\n']
    return frames, ScrubRules(json_paths=["email"])


def test_an_empty_last_chunk_stays_empty_when_the_last_frame_grows() -> None:
    frames, rules = _growing_last_frame()
    scrubbed = scrub_stream(_stream(frames, [len(frames[0]), len(frames[1]), 0]), rules)
    assert b'"email":"REDACTED"' in scrubbed.body
    assert scrubbed.chunk_sizes == [len(frames[0]), len(scrubbed.body) - len(frames[0]), 0]


def test_a_chunk_table_short_of_the_body_gives_the_rest_to_the_last_chunk() -> None:
    frames, rules = _growing_last_frame()
    scrubbed = scrub_stream(_stream(frames, [10, 5]), rules)
    assert scrubbed.chunk_sizes == [10, len(scrubbed.body) - 10]


def test_a_chunk_boundary_at_the_end_of_a_frame_that_grows_stays_at_its_end() -> None:
    frames = [b'event: b\ndata: {"email": "a@b.c"}\n\n', b'event: a\ndata: {"n": 1}\n\n']
    scrubbed = scrub_stream(_stream(frames, [len(f) for f in frames]), ScrubRules(json_paths=["email"]))
    assert scrubbed.chunk_sizes == [len(scrubbed.frames[0]), len(frames[1])]
    assert len(scrubbed.frames[0]) > len(frames[0])


def test_slashes_and_colons_in_query_values_are_kept_as_they_were() -> None:
    url = f"{URL}?since=2024-01-01T00:00:00&folder=a/b&key=plainvalue123"
    scrubbed = scrub_request(RecordedRequest("GET", url, [], b""), ScrubRules()).url
    assert scrubbed == f"{URL}?since=2024-01-01T00:00:00&folder=a/b&key=REDACTED"


def test_extra_patterns_scrub_the_metadata_and_decoded_event_strings() -> None:
    cassette = Cassette([], metadata={"note": "ticket ABC-1234 by alice", "n": 1})
    rules = ScrubRules(patterns=[r"ABC-\d+", r"café-\d+"])
    assert scrubbed_cassette(cassette, rules).metadata == {"note": "ticket REDACTED by alice", "n": 1}
    # the server escaped the é: only the decoded string matches the pattern
    frames = [b'event: m\ndata: {"text": "caf\\u00e9-4242 ok"}\n\n']
    scrubbed = scrub_stream(_stream(frames, [len(frames[0])]), rules)
    assert json.loads(scrubbed.body.decode().removeprefix("event: m\ndata: ")) == {
        "text": "*" * len("café-4242") + " ok"
    }


def test_a_stream_longer_than_a_batch_keeps_every_event_around_the_one_scrubbed() -> None:
    frames = [b'data: {"n": %d}\n\n' % number for number in range(5000)]
    frames[4500] = b'data: {"note":"sk-test-fake-batch-secret-0123456789"}\n\n'
    scrubbed = scrub_stream(_stream(frames, [sum(map(len, frames))]), ScrubRules())
    expected = list(frames)
    expected[4500] = b'data: {"note":"' + b"*" * len("sk-test-fake-batch-secret-0123456789") + b'"}\n\n'
    assert list(scrubbed.frames) == expected
    assert scrubbed.body == b"".join(expected)


def test_a_frame_that_is_not_utf8_is_kept_byte_for_byte_beside_a_scrubbed_one() -> None:
    key = "sk-test-FAKEFAKEFAKEFAKEFAKE0123"
    frames = [b"data: \xff\xfe not text\n\n", f"data: key {key}\n\n".encode()]
    scrubbed = scrub_stream(_stream(frames, [len(frame) for frame in frames]), ScrubRules())
    assert scrubbed.body.startswith(frames[0])
    assert key.encode() not in scrubbed.body
