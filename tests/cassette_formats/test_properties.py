"""Any cassette survives a trip through any format that can hold it."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.cassette.registry import export, format_named, writable_formats
from tests.cassette_formats.test_round_trips import expected_back

TEXT_ONLY = {"vcrpy-json"}
header_names = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)
header_values = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30)
events = st.lists(
    st.tuples(
        st.sampled_from(["thread.run.created", "thread.message.delta", "done"]),
        st.text(max_size=40).filter(lambda text: "\n" not in text and "\r" not in text),
    ),
    max_size=6,
)


@st.composite
def bodies(draw: st.DrawFn, binary: bool) -> bytes:
    text = draw(st.text(max_size=60)).encode("utf-8")
    return draw(st.sampled_from([text, draw(st.binary(max_size=40))])) if binary else text


@st.composite
def streams(draw: st.DrawFn, binary: bool) -> RecordedStream:
    body = "".join(f"event: {name}\ndata: {data}\n\n" for name, data in draw(events)).encode("utf-8")
    body += draw(bodies(binary)) if draw(st.booleans()) else b""
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(body) - 1)), max_size=4))) if len(body) > 1 else []
    edges = [0, *cuts, len(body)] if body else [0]
    chunks = [body[start:end] for start, end in itertools.pairwise(edges)]
    times = sorted(
        draw(st.lists(st.floats(0, 30, allow_nan=False), min_size=len(chunks), max_size=len(chunks)))
    )
    return RecordedStream.from_chunks(chunks, times, cut=draw(st.sampled_from([None, "client-closed"])))


@st.composite
def cassettes(draw: st.DrawFn, binary: bool) -> Cassette:
    exchanges = []
    for _ in range(draw(st.integers(1, 3))):
        request_headers = [(name, draw(header_values)) for name in draw(st.sets(header_names, max_size=3))]
        response_headers = [
            (name, draw(header_values))
            for name in draw(st.sets(header_names, max_size=3))
            if name != "content-type"
        ]
        url = "https://api.test/v1/" + draw(st.from_regex(r"[a-z0-9_/]{0,20}", fullmatch=True))
        request = RecordedRequest(
            draw(st.sampled_from(["GET", "POST", "DELETE"])), url, request_headers, draw(bodies(binary))
        )
        status = draw(st.sampled_from([200, 201, 400, 404, 500]))
        if draw(st.booleans()):
            response = RecordedResponse(
                status,
                "x",
                [("content-type", "text/event-stream"), *response_headers],
                stream=draw(streams(binary)),
            )
        else:
            response = RecordedResponse(
                status, "y", [("content-type", "application/json"), *response_headers], draw(bodies(binary))
            )
        exchanges.append(Exchange(request, response))
    return Cassette(exchanges)


@pytest.mark.parametrize("format_name", sorted(set(writable_formats()) - {"sse", "harness"}))
def test_round_trip(format_name: str) -> None:
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(cassettes(binary=format_name not in TEXT_ONLY))
    def check(original: Cassette) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"cassette{format_named(format_name).suffix}"
            path.write_bytes(export(original, format_name))
            back = load_cassette(path)
        expected = expected_back(original, format_name)
        if format_name not in {"har", "jsonl"}:
            for exchange in expected.exchanges:
                if exchange.response.stream is not None:
                    exchange.response.stream.cut = None
        assert back.exchanges == expected.exchanges

    check()
