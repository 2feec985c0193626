"""The last line of defence and the places recording does not reach: a save that still finds a secret
anywhere is refused and leaves the old file byte-identical; metadata is scanned, scrubbed and never
copied out; compressed bodies are decoded before they are scrubbed."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from harness.cassette import load_cassette, save_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.cassette.secrets import KnownSecrets, cassette_secrets
from harness.cli import main
from harness.errors import SecretLeakError
from harness.recording.encoding import decoded_content, decoded_stream
from harness.scrub import scrubbed_cassette
from tests.playback.conftest import real_body

KEY = "sk-proj-test-fake-REFUSEDq1w2e3r4t5y6u7i8o9p0"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmYWtlLXVzZXIiLCJub3RlIjoiZmFrZSJ9.ZmFrZS1zaWduYXR1cmU"
AZURE = "fa4ed00d0123456789abcdefa1b2c3d4"
LEARNT = "test-fake-LEARNTz9x8c7v6"
SSE = [("content-type", "text/event-stream")]


def _exchange(
    url: str = "https://api.example.test/v1/threads",
    headers: list[tuple[str, str]] | None = None,
    body: bytes = b"{}",
    response_body: bytes = b"{}",
    stream: bytes | None = None,
) -> Exchange:
    response = RecordedResponse(200, "OK", SSE if stream is not None else [], response_body)
    if stream is not None:
        response.body, response.stream = b"", RecordedStream.from_body(stream)
    return Exchange(RecordedRequest("POST", url, headers or [], body), response)


def _delta(piece: str) -> str:
    payload = {
        "id": "msg_1",
        "object": "thread.message.delta",
        "delta": {"content": [{"index": 0, "type": "text", "text": {"value": piece}}]},
    }
    return f"event: thread.message.delta\ndata: {json.dumps(payload)}\n\n"


PLACES = {
    "url query under any name": _exchange(url=f"https://api.example.test/v1/threads?after={KEY}"),
    "url password": _exchange(url="https://user:test-fake-pw-12345678@api.example.test/v1/threads"),
    "secret header": _exchange(headers=[("Authorization", "Bearer " + KEY)]),
    "header named like a key": _exchange(headers=[("Ocp-Apim-Subscription-Key", AZURE)]),
    "JWT in any header": _exchange(headers=[("x-trace", JWT)]),
    "request body after a newline": _exchange(body=json.dumps({"text": "a\n" + KEY}).encode()),
    "request body field named like a key": _exchange(body=json.dumps({"subscription_key": AZURE}).encode()),
    "response body, \\u-escaped": _exchange(response_body=b'{"note": "\\u0073' + KEY[1:].encode() + b'"}'),
    "stream event": _exchange(stream=_delta("key " + KEY).encode()),
    "stream, split across deltas": _exchange(stream=(_delta("key " + KEY[:24]) + _delta(KEY[24:])).encode()),
}


@pytest.mark.parametrize("place", PLACES)
def test_a_save_still_finding_a_secret_is_refused_and_the_old_file_kept(place: str, tmp_path: Path) -> None:
    path = tmp_path / "kept.json"
    save_cassette(Cassette([_exchange()]), path)
    before = path.read_bytes()
    with pytest.raises(SecretLeakError, match=r"refusing to write .*kept\.json: .*exchange 0"):
        save_cassette(Cassette([PLACES[place]]), path)
    assert path.read_bytes() == before
    assert [entry.name for entry in tmp_path.iterdir()] == ["kept.json"]


@pytest.mark.parametrize("place", PLACES)
def test_scrubbing_removes_what_the_save_would_refuse(place: str, tmp_path: Path) -> None:
    scrubbed = scrubbed_cassette(Cassette([PLACES[place]]))
    save_cassette(scrubbed, tmp_path / "scrubbed.json")
    assert cassette_secrets(scrubbed) == []


def test_a_value_learnt_while_recording_is_refused_wherever_it_is_left() -> None:
    known = KnownSecrets(["plain", LEARNT])  # too short to look for: "plain"
    cassette = Cassette([_exchange(response_body=json.dumps({"echo": LEARNT, "word": "plain"}).encode())])
    findings = [str(finding) for finding in cassette_secrets(cassette, known=known)]
    assert findings and all("exchange 0 response body" in found and LEARNT not in found for found in findings)
    assert cassette_secrets(scrubbed_cassette(cassette, known=known), known=known) == []


def _with_metadata(tmp_path: Path) -> Path:
    path = tmp_path / "meta.json"
    stream = real_body("009").decode()
    document = {
        "harness_cassette": 1,
        "metadata": {"recorded_by": "someone", "note": "key " + KEY},
        "exchanges": [
            {
                "request": {
                    "method": "POST",
                    "url": "https://api.openai.com/v1/threads/t/runs",
                    "headers": [],
                },
                "response": {
                    "status": 200,
                    "headers": [["content-type", "text/event-stream"]],
                    "stream": {"chunk_sizes": [len(stream.encode())], "chunk_ms": [0], "events": [stream]},
                },
            }
        ],
    }
    path.write_text(json.dumps(document))
    return path


def test_a_key_in_the_metadata_is_flagged_scrubbed_and_never_exported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _with_metadata(tmp_path)
    if not load_cassette(path).metadata:
        pytest.skip("this cassette format keeps no metadata")
    assert main(["validate", str(path)]) == 1
    assert main(["export", str(path), "--format", "jsonl", "-o", str(tmp_path / "out.jsonl")]) == 1
    assert main(["scrub", str(path)]) == 0
    assert main(["validate", str(path)]) == 0
    printed = capsys.readouterr()
    assert KEY[:12] not in printed.out + printed.err and KEY[:12] not in path.read_text()
    assert load_cassette(path).metadata["recorded_by"] == "someone"


def test_compressed_bodies_are_decoded_and_the_encoding_header_dropped() -> None:
    body = b'{"note": "' + KEY.encode() + b'"}'
    headers, decoded = decoded_content(
        [("Content-Encoding", "gzip"), ("Content-Length", "9")], gzip.compress(body)
    )
    assert decoded == body and headers == [("content-length", str(len(body)))]
    compressed = gzip.compress(_delta("hello").encode())
    stream = RecordedStream.from_chunks([compressed[:10], compressed[10:]], [0.0, 0.5])
    headers, plain = decoded_stream([*SSE, ("content-encoding", "gzip")], stream)
    assert headers == SSE and plain.body == _delta("hello").encode() and plain.chunk_times[-1] == 0.5


def test_bytes_that_do_not_decompress_are_left_as_they_are() -> None:
    headers = [("content-encoding", "gzip")]
    assert decoded_content(headers, b"not gzip") == (headers, b"not gzip")
    stream = RecordedStream.from_body(b"not gzip either")
    assert decoded_stream(headers, stream) == (headers, stream)
    assert decoded_content([("content-encoding", "br")], b"\x00") == ([("content-encoding", "br")], b"\x00")


def test_inspect_and_diff_of_a_cassette_still_holding_a_key_print_none_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cassette from a bug report may never have been scrubbed: what the commands print is."""
    leaky = tmp_path / "leaky.sse"
    leaky.write_text(_delta("key " + KEY[:20]) + _delta(KEY[20:] + "\n") + _delta("url " + JWT))
    clean = tmp_path / "clean.sse"
    clean.write_text(_delta("nothing here"))
    assert main(["inspect", str(leaky)]) == 0
    assert main(["inspect", str(leaky), "--format", "json"]) == 0
    assert main(["diff", str(clean), str(leaky)]) == 1
    printed = capsys.readouterr().out
    assert "thread.message.delta" in printed
    assert not [start for start in range(len(KEY) - 11) if KEY[start : start + 12] in printed]
    assert JWT[:12] not in printed


@pytest.mark.parametrize(
    "query",
    [
        "after=msg_abc123DEF456ghi789JKL012mno345PQR678",
        "request_id=0123456789abcdef0123456789abcdef",
        "limit=20&order=desc",
        "run_id=run_JfK0BhNia1HnH28fIxropXLn",
    ],
)
def test_ids_and_request_ids_in_a_query_are_not_taken_for_keys(query: str) -> None:
    exchange = _exchange(url="https://api.example.test/v1/threads/t/messages?" + query)
    assert cassette_secrets(Cassette([exchange])) == []
    (scrubbed,) = scrubbed_cassette(Cassette([exchange])).exchanges
    assert scrubbed.request.url == exchange.request.url
