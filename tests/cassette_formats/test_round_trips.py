"""Writing a cassette in a format and reading it back gives the same exchanges."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from vcr.request import Request
from vcr.serialize import deserialize, serialize
from vcr.serializers import jsonserializer, yamlserializer

from harness.cassette.formats.raw_sse import read_sse
from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.cassette.registry import export, format_named, writable_formats
from harness.sse.framing import split_frames
from tests.cassette_formats.support import (
    CORPUS,
    JSON_HEADERS,
    SSE_HEADERS,
    chunked,
    corpus_body,
    tool_call_cassette,
    with_standard_reasons,
    without_timing,
)

# What each format can hold beyond method, url, headers and bodies.
KEEPS_TIMING = {"harness", "har", "jsonl"}
LOSES_REASON = {"cassetter"}


def written_and_read(cassette: Cassette, format_name: str, tmp_path: Path) -> Cassette:
    path = tmp_path / f"cassette{format_named(format_name).suffix}"
    path.write_bytes(export(cassette, format_name))
    return load_cassette(path)


def expected_back(cassette: Cassette, format_name: str) -> Cassette:
    if format_name not in KEEPS_TIMING:
        cassette = without_timing(cassette)
    if format_name in LOSES_REASON:
        cassette = with_standard_reasons(cassette)
    return cassette


@pytest.mark.parametrize("format_name", sorted(set(writable_formats()) - {"sse"}))
def test_every_format_gives_back_the_same_exchanges(format_name: str, tmp_path: Path) -> None:
    original = tool_call_cassette()
    back = written_and_read(original, format_name, tmp_path)
    assert back.exchanges == expected_back(original, format_name).exchanges
    assert back.source_format == format_name


@pytest.mark.parametrize("format_name", ["har", "jsonl"])
def test_formats_with_room_for_it_keep_metadata_and_cuts(format_name: str, tmp_path: Path) -> None:
    original = tool_call_cassette()
    stream = original.exchanges[0].response.stream
    assert stream is not None
    stream.cut = "connection-error: reset by peer"
    back = written_and_read(original, format_name, tmp_path)
    assert back.metadata == original.metadata
    assert back.exchanges[0].response.stream == stream


@pytest.mark.parametrize("format_name", sorted(set(writable_formats()) - {"sse", "vcrpy-json"}))
def test_binary_bodies_survive(format_name: str, tmp_path: Path) -> None:
    binary = bytes(range(256))
    original = Cassette(
        [
            Exchange(
                RecordedRequest(
                    "POST",
                    "https://example.test/upload",
                    [("content-type", "application/octet-stream")],
                    binary,
                ),
                RecordedResponse(
                    201, "Created", [("content-type", "application/octet-stream")], binary[::-1]
                ),
            )
        ]
    )
    assert written_and_read(original, format_name, tmp_path).exchanges == original.exchanges


@pytest.mark.parametrize("sse_file", sorted(CORPUS.glob("*.sse")), ids=lambda path: path.name[:3])
@pytest.mark.parametrize("format_name", sorted(set(writable_formats()) - {"sse"}))
def test_every_corpus_stream_keeps_its_frames_in_every_format(
    format_name: str, sse_file: Path, tmp_path: Path
) -> None:
    body = sse_file.read_bytes()
    original = read_sse(body)
    back = written_and_read(original, format_name, tmp_path)
    assert [stream.frames for stream in back.streams] == [split_frames(body)]


def test_sse_export_writes_the_streams_back_to_back_and_reads_them_as_streams(tmp_path: Path) -> None:
    original = tool_call_cassette()
    back = written_and_read(original, "sse", tmp_path)
    assert [stream.frames for stream in back.streams] == [
        split_frames(corpus_body("010")),
        split_frames(corpus_body("011")),
    ]


def test_vcrpy_reads_what_we_write_and_we_read_what_vcrpy_writes(tmp_path: Path) -> None:
    original = tool_call_cassette()
    requests, responses = deserialize(export(original, "vcrpy").decode(), yamlserializer)[:2]
    assert [request.uri for request in requests] == [e.request.url for e in original.exchanges]
    assert responses[2]["body"]["string"] == corpus_body("011")
    assert deserialize(export(original, "vcrpy-json").decode(), jsonserializer)[1][0]["body"][
        "string"
    ] == corpus_body("010")

    vcr_written = serialize(
        {
            "requests": [
                Request(
                    "POST",
                    "https://api.openai.com/v1/threads/runs",
                    b'{"stream":true}',
                    {"content-type": "application/json"},
                )
            ],
            "responses": [
                {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {"Content-Type": ["text/event-stream"]},
                    "body": {"string": corpus_body("017")},
                }
            ],
        },
        yamlserializer,
    )
    path = tmp_path / "vcr_written.yaml"
    path.write_text(vcr_written)
    loaded = load_cassette(path)
    assert loaded.source_format == "vcrpy"
    assert loaded.exchanges[0].request.body == b'{"stream":true}'
    assert loaded.streams[0].frames == split_frames(corpus_body("017"))


def test_gzip_compressed_stream_is_decoded_and_its_encoding_headers_dropped(tmp_path: Path) -> None:
    body = corpus_body("009")
    requests = [
        Request("POST", "https://api.openai.com/v1/threads/runs", None, {}),
        Request("GET", "https://api.openai.com/v1/threads/thread_fake/runs/run_fake", None, {}),
    ]
    responses = [
        {
            "status": {"code": 200, "message": "OK"},
            "headers": {
                "Content-Type": ["text/event-stream"],
                "Content-Encoding": ["gzip"],
                "Content-Length": ["1234"],
            },
            "body": {"string": gzip.compress(body)},
        },
        {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Content-Type": ["application/json"], "Content-Encoding": ["gzip"]},
            "body": {"string": gzip.compress(b'{"id":"run_fake"}')},
        },
    ]
    path = tmp_path / "gzipped.yaml"
    path.write_text(serialize({"requests": requests, "responses": responses}, yamlserializer))
    loaded = load_cassette(path)
    stream_response, json_response = (exchange.response for exchange in loaded.exchanges)
    assert stream_response.stream is not None
    assert stream_response.stream.frames == split_frames(body)
    assert stream_response.headers == [("Content-Type", "text/event-stream")]
    assert "gzip-compressed event stream decoded" in loaded.metadata["import_notes"][0]
    assert json_response.stream is None
    assert gzip.decompress(json_response.body) == b'{"id":"run_fake"}'
    assert ("Content-Encoding", "gzip") in json_response.headers


def test_ruby_vcr_base64_body_split_over_lines(tmp_path: Path) -> None:
    body = corpus_body("020")
    import base64

    packed = base64.encodebytes(body).decode().replace("\n", "\n        ")
    path = tmp_path / "ruby.yml"
    path.write_text(f"""---
http_interactions:
- request:
    method: post
    uri: https://api.openai.com/v1/threads/thread_fake/runs/run_fake/submit_tool_outputs
    body: {{encoding: UTF-8, string: '{{"stream":true}}'}}
    headers: {{}}
  response:
    status: {{code: 200, message: OK}}
    headers:
      Content-Type: [text/event-stream]
    body:
      encoding: ASCII-8BIT
      base64_string: |
        {packed}
  recorded_at: Tue, 30 Sep 2025 10:00:00 GMT
recorded_with: VCR 6.2.0
""")
    loaded = load_cassette(path)
    assert loaded.exchanges[0].request.method == "POST"
    assert loaded.streams[0].frames == split_frames(body)


def test_cassetter_toml_layout(tmp_path: Path) -> None:
    body = corpus_body("018").decode()
    path = tmp_path / "run.toml"
    path.write_text(f"""version = 1

[[interactions]]
recorded_at = "2026-02-01T00:00:00Z"

[interactions.request]
method = "POST"
uri = "https://api.openai.com/v1/threads/runs"
body_type = "json"
body_content = '{{"assistant_id":"asst_fake","stream":true}}'

[interactions.request.headers]
content-type = ["application/json"]

[interactions.response]
status = 200
body_type = "text"
body_content = '''
{body}'''

[interactions.response.headers]
content-type = ["text/event-stream"]
""")
    loaded = load_cassette(path)
    assert loaded.source_format == "cassetter-toml"
    assert loaded.exchanges[0].request.body == b'{"assistant_id":"asst_fake","stream":true}'
    assert loaded.exchanges[0].response.reason == "OK"
    assert loaded.streams[0].frames == split_frames(body.encode())


def test_stream_without_content_type_is_recognised_by_its_body(tmp_path: Path) -> None:
    original = Cassette(
        [
            Exchange(
                RecordedRequest("POST", "https://api.openai.com/v1/threads/runs"),
                RecordedResponse(200, "OK", [], stream=chunked(corpus_body("012"), 5000)),
            )
        ]
    )
    back = written_and_read(original, "ruby-vcr", tmp_path)
    assert back.streams == [RecordedStream.from_body(corpus_body("012"))]


def test_har_export_is_a_valid_har_1_2_log() -> None:
    import json

    document = json.loads(export(tool_call_cassette(), "har"))
    log = document["log"]
    assert log["version"] == "1.2" and log["creator"]["name"]
    for entry in log["entries"]:
        assert {"startedDateTime", "time", "request", "response", "cache", "timings"} <= set(entry)
        assert {
            "method",
            "url",
            "httpVersion",
            "cookies",
            "headers",
            "queryString",
            "headersSize",
            "bodySize",
        } <= set(entry["request"])
        assert {
            "status",
            "statusText",
            "httpVersion",
            "cookies",
            "headers",
            "content",
            "redirectURL",
            "headersSize",
            "bodySize",
        } <= set(entry["response"])
        assert {"size", "mimeType"} <= set(entry["response"]["content"])
        assert all(value >= 0 for value in (entry["timings"][key] for key in ("send", "wait", "receive")))
    assert log["entries"][0]["response"]["content"]["text"] == corpus_body("010").decode()
    assert SSE_HEADERS[0][1] == log["entries"][0]["response"]["content"]["mimeType"]


@pytest.mark.parametrize("format_name", sorted(set(writable_formats()) - {"sse"}))
def test_unicode_line_breaks_are_not_folded_into_spaces(format_name: str, tmp_path: Path) -> None:
    text = "next line\x85line separator\u2028paragraph\u2029end".encode()
    stream = RecordedStream.from_body(b"event: thread.message.delta\ndata: " + text + b"\n\n")
    original = Cassette(
        [
            Exchange(
                RecordedRequest("POST", "https://api.openai.com/v1/threads/runs", JSON_HEADERS, text),
                RecordedResponse(200, "OK", SSE_HEADERS, stream=stream),
            )
        ]
    )
    assert written_and_read(original, format_name, tmp_path).exchanges == original.exchanges
