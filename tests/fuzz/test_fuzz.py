"""Bounded fuzzing in the suite: the decoder, the cassette loader and reconstruction on hostile bytes."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.targets import SUFFIXES, decode_target, load_target, reconstruct_target

CORPUS = sorted((Path(__file__).resolve().parents[2] / "cassettes" / "real").glob("*.sse"))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EVENT_NAMES = [
    "thread.run.created",
    "thread.run.completed",
    "thread.message.delta",
    "thread.run.step.delta",
    "thread.message.completed",
    "error",
    "done",
    "thread.unknown",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "delta",
                    "content",
                    "index",
                    "type",
                    "text",
                    "value",
                    "status",
                    "step_details",
                    "tool_calls",
                    "function",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@FUZZ
@given(st.binary(max_size=400))
def test_decoder_on_arbitrary_bytes(data: bytes) -> None:
    decode_target(data)


@FUZZ
@given(st.sampled_from(CORPUS), st.data())
def test_decoder_and_reconstruction_on_mutated_real_streams(path: Path, data: st.DataObject) -> None:
    body = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(body) - 1))
        body[position] = data.draw(st.integers(0, 255))
    decode_target(bytes(body))
    reconstruct_target(bytes(body))


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(EVENT_NAMES), json_values), max_size=15))
def test_reconstruction_of_structurally_wrong_events(events: list[tuple[str, object]]) -> None:
    body = "".join(f"event: {name}\ndata: {json.dumps(value)}\n\n" for name, value in events)
    reconstruct_target(body.encode())


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(SUFFIXES))
def test_loader_on_arbitrary_bytes(data: bytes, suffix: str) -> None:
    load_target(data, suffix)


@FUZZ
@given(
    st.sampled_from(
        [
            '{"harness_cassette": 1, "exchanges": [',
            "interactions:\n- request:\n",
            "http_interactions:\n- ",
            '{"log": {"entries": [',
            "version: 1\ninteractions:\n",
        ]
    ),
    st.text(max_size=200),
    st.sampled_from(SUFFIXES),
)
def test_loader_on_plausible_prefixes(prefix: str, rest: str, suffix: str) -> None:
    load_target((prefix + rest).encode("utf-8", "surrogatepass"), suffix)


def test_pathological_sizes_stay_bounded() -> None:
    decode_target(b"data: " + b"x" * 5_000_000 + b"\n\n")  # one 5 MB line
    decode_target(b"data: x\n\n" * 200_000)  # many tiny events
    nested = "[" * 50_000 + "]" * 50_000
    reconstruct_target(f"event: thread.run.created\ndata: {nested}\n\n".encode())  # deep JSON nesting
    load_target(b'{"harness_cassette": 1, "exchanges": ' + nested.encode() + b"}")
    deep = '{"x":' * 900 + "1" + "}" * 900  # valid JSON, deeper than any real payload
    reconstruct_target(
        f'event: thread.message.created\ndata: {{"id": "msg_1", "content": [], "deep": {deep}}}\n\n'
        f'event: thread.message.delta\ndata: {{"id": "msg_1", "delta": {deep}}}\n\n'.encode()
    )
