"""The native format as a person writes or reads it: which files are taken for one, fields left out
of a hand-written cassette, text kept readable, and a wrong shape named at its place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import CassetteError, load_cassette, save_cassette
from harness.cassette.formats import native
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse

URL = "https://api.openai.com/v1/threads/runs"
KEY = '"harness_cassette"'


def test_a_file_is_taken_for_a_native_cassette_by_its_key_in_the_first_200_characters() -> None:
    near = "{" + " " * (200 - 1 - len(KEY)) + KEY + ": 1}"
    assert native.looks_native(near)
    assert not native.looks_native("{" + " " * (201 - 1 - len(KEY)) + KEY + ": 1}")
    assert not native.looks_native("[" + KEY + "]") and native.looks_native("  \n {" + KEY + ": 1}")


def test_the_first_256_bytes_decide_even_when_they_end_inside_a_character() -> None:
    head = ("{" + KEY + ': 1, "note": "' + "é" * 200).encode()
    assert native.looks_native_bytes(head, Path("c.json"))
    wide = ('{"xy": "' + "é" * 114 + '", ' + KEY + ": 1}").encode()  # the key ends at byte 257
    assert len(wide[: wide.index(KEY.encode()) + len(KEY)]) == 257 and len(wide.decode()) < 200
    assert not native.looks_native_bytes(wide, Path("c.json"))


def test_a_hand_written_cassette_may_leave_out_reason_headers_bodies_and_cut(tmp_path: Path) -> None:
    events = ["event: done\ndata: [DONE]\n\n"]
    document = {
        "harness_cassette": 1,
        "exchanges": [
            {"request": {"method": "GET", "url": URL}, "response": {"status": 200}},
            {
                "request": {"method": "POST", "url": URL},
                "response": {"status": 200, "stream": {"chunk_sizes": [], "chunk_ms": [], "events": events}},
            },
        ],
    }
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(document))
    plain, streamed = load_cassette(path).exchanges
    assert (plain.response.reason, plain.response.headers, plain.response.body) == ("", [], b"")
    assert (plain.request.headers, plain.request.body) == ([], b"")
    assert streamed.response.stream is not None and streamed.response.stream.cut is None
    assert streamed.response.stream.frames == [events[0].encode()]


def test_text_outside_ascii_is_written_as_it_reads(tmp_path: Path) -> None:
    request = RecordedRequest("POST", URL, [("x-note", "café")], '{"q": "naïve ü"}'.encode())
    cassette = Cassette([Exchange(request, RecordedResponse(200, "OK", [], "réponse".encode()))])
    path = tmp_path / "c.json"
    save_cassette(cassette, path)
    text = path.read_text(encoding="utf-8")
    assert "café" in text and "naïve ü" in text and "réponse" in text and "\\u00e9" not in text


def test_events_that_are_not_a_list_are_named_at_their_place(tmp_path: Path) -> None:
    stream = {"chunk_sizes": [], "chunk_ms": [], "events": "event: done\ndata: x\n\n"}
    exchange = {"request": {"method": "POST", "url": URL}, "response": {"status": 200, "stream": stream}}
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"harness_cassette": 1, "exchanges": [exchange]}))
    with pytest.raises(CassetteError) as caught:
        load_cassette(path)
    assert "expected a list, got a string" in str(caught.value)
    assert (
        caught.value.location is not None and "exchanges[0].response.stream.events" in caught.value.location
    )
