"""Cassettes built from the real corpus bodies, and ways to compare them across formats."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from harness.cassette.formats.http_parts import reason_for
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "cassettes" / "real"
DATA = Path(__file__).parent / "data"
HOSTILE = Path(__file__).parent / "hostile"

SSE_HEADERS = [("Content-Type", "text/event-stream; charset=utf-8"), ("openai-version", "2020-10-01")]
JSON_HEADERS = [("content-type", "application/json")]


def corpus_body(name_start: str) -> bytes:
    return next(CORPUS.glob(f"{name_start}*.sse")).read_bytes()


def chunked(body: bytes, size: int) -> RecordedStream:
    chunks = [body[start : start + size] for start in range(0, len(body), size)]
    return RecordedStream.from_chunks(chunks, [0.125 + 0.0173 * number for number in range(len(chunks))])


def tool_call_cassette() -> Cassette:
    """A two-stream tool-calling run (corpus 010 + 011) around a plain JSON exchange."""
    first, second = corpus_body("010"), corpus_body("011")
    runs = "https://api.openai.com/v1/threads/thread_fake/runs"
    return Cassette(
        [
            Exchange(
                RecordedRequest(
                    "POST",
                    runs,
                    [*JSON_HEADERS, ("openai-beta", "assistants=v2")],
                    b'{"assistant_id":"asst_fake","stream":true}',
                ),
                RecordedResponse(200, "OK", SSE_HEADERS, stream=chunked(first, 700)),
            ),
            Exchange(
                RecordedRequest("GET", runs + "/run_fake", [("accept", "application/json")]),
                RecordedResponse(200, "OK", JSON_HEADERS, b'{"id": "run_fake", "status": "requires_action"}'),
            ),
            Exchange(
                RecordedRequest(
                    "POST",
                    runs + "/run_fake/submit_tool_outputs",
                    JSON_HEADERS,
                    '{"tool_outputs":[{"tool_call_id":"call_fake","output":"22 °C"}],"stream":true}'.encode(),
                ),
                RecordedResponse(200, "OK", SSE_HEADERS, stream=chunked(second, 4096)),
            ),
        ],
        metadata={"note": "fake ids, test data"},
    )


def without_timing(cassette: Cassette) -> Cassette:
    """What a format that keeps only whole bodies can give back: each stream as one chunk at 0 s."""
    return _map_responses(
        cassette,
        lambda response: (
            dataclasses.replace(response, stream=RecordedStream.from_body(response.stream.body))
            if response.stream
            else response
        ),
    )


def with_standard_reasons(cassette: Cassette) -> Cassette:
    return _map_responses(
        cassette, lambda response: dataclasses.replace(response, reason=reason_for(response.status))
    )


def _map_responses(cassette: Cassette, change: object) -> Cassette:
    assert callable(change)
    exchanges = [Exchange(exchange.request, change(exchange.response)) for exchange in cassette.exchanges]
    return Cassette(exchanges, cassette.source_format, cassette.metadata)
