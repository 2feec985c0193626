"""The committed example cassettes, one per legacy format, replay the corpus stream they hold."""

from __future__ import annotations

import pytest

from harness.cassette.load import load_cassette
from harness.sse.framing import split_frames
from tests.cassette_formats.support import DATA, corpus_body

EXAMPLES = [
    ("vcrpy-function-requires-action.yaml", "vcrpy", "010"),
    ("ruby-vcr-function-requires-action.yml", "ruby-vcr", "012"),
    ("browser-thread-and-run.har", "har", "018"),
    ("cassetter-submit-tool-outputs.yaml", "cassetter", "020"),
]


@pytest.mark.parametrize(("file_name", "source_format", "corpus_number"), EXAMPLES)
def test_example_gives_the_frames_of_the_raw_sse(
    file_name: str, source_format: str, corpus_number: str
) -> None:
    cassette = load_cassette(DATA / file_name)
    assert cassette.source_format == source_format
    assert [stream.frames for stream in cassette.streams] == [split_frames(corpus_body(corpus_number))]
    assert cassette.exchanges[0].request.method == "POST"
    assert cassette.exchanges[0].request.url.startswith("https://api.openai.com/v1/threads/")


def test_browser_har_drops_the_encoding_the_browser_already_undid() -> None:
    cassette = load_cassette(DATA / "browser-thread-and-run.har")
    names = [name.lower() for name, _ in cassette.exchanges[0].response.headers]
    assert "content-encoding" not in names
    assert "content-encoding 'br'" in cassette.metadata["import_notes"][0]


def test_cassetter_json_request_body_is_sent_as_compact_json() -> None:
    cassette = load_cassette(DATA / "cassetter-submit-tool-outputs.yaml")
    assert cassette.exchanges[0].request.body == (
        b'{"stream":true,"tool_outputs":[{"tool_call_id":"call_fake","output":"22 degrees"}]}'
    )
    assert cassette.exchanges[0].response.reason == "OK"
