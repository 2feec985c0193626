"""Properties: chunk boundaries never matter, and no input makes reconstruction raise."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness import reconstruct
from harness.reconstruct import codes
from harness.sse import ServerSentEvent, SSEDecoder, parse_sse

from .corpus import CORPUS_FILES

BODIES = [path.read_bytes() for path in CORPUS_FILES]
EXPECTED = [(parse_sse(body), reconstruct(parse_sse(body)).to_dict()) for body in BODIES]
BOUNDED = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EVENT_NAMES = [
    "thread.created",
    "thread.run.created",
    "thread.run.queued",
    "thread.run.in_progress",
    "thread.run.requires_action",
    "thread.run.completed",
    "thread.run.failed",
    "thread.run.step.created",
    "thread.run.step.delta",
    "thread.run.step.completed",
    "thread.message.created",
    "thread.message.delta",
    "thread.message.completed",
    "error",
    "done",
    "thread.bogus",
    "message",
]


def feed_in_pieces(body: bytes, cuts: list[int]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    start = 0
    for cut in sorted(set(cuts)):
        events.extend(decoder.feed(body[start:cut]))
        start = cut
    events.extend(decoder.feed(body[start:]))
    events.extend(decoder.close())
    return events


@BOUNDED
@given(data=st.data())
def test_any_rechunking_of_a_corpus_stream_gives_the_same_events_and_reconstruction(
    data: st.DataObject,
) -> None:
    which = data.draw(st.integers(0, len(BODIES) - 1), label="stream")
    body = BODIES[which]
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=60), label="cuts")
    events = feed_in_pieces(body, cuts)
    expected_events, expected_transcript = EXPECTED[which]
    assert events == expected_events
    assert reconstruct(events).to_dict() == expected_transcript


def test_one_byte_at_a_time_gives_the_same_reconstruction() -> None:
    body = BODIES[0]
    assert reconstruct(feed_in_pieces(body, list(range(len(body))))).to_dict() == EXPECTED[0][1]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "index",
                    "type",
                    "text",
                    "value",
                    "content",
                    "delta",
                    "status",
                    "step_details",
                    "tool_calls",
                    "function",
                    "arguments",
                    "annotations",
                    "error",
                    "message",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@st.composite
def garbage_events(draw: st.DrawFn) -> ServerSentEvent:
    name = draw(st.sampled_from(EVENT_NAMES) | st.text(max_size=8))
    payload = draw(
        st.one_of(
            json_values.map(json.dumps),
            st.sampled_from(
                ["[DONE]", "", "{", "null", '{"id": "msg_x", "delta": {"content": [{"index": 0}]}}']
            ),
            st.builds(
                lambda i, d: json.dumps({"id": i, "delta": d}),
                st.sampled_from(["msg_x", "step_x", "run_x"]),
                json_values,
            ),
            st.builds(
                lambda i, s: json.dumps({"id": i, "status": s, "content": [], "step_details": {}}),
                st.sampled_from(["msg_x", "step_x", "run_x"]),
                st.sampled_from(["queued", "in_progress", "requires_action", "completed", "x"]),
            ),
        )
    )
    return ServerSentEvent(name, payload)


@BOUNDED
@given(streams=st.lists(st.lists(garbage_events(), max_size=25), min_size=1, max_size=3))
def test_garbage_never_raises_and_never_trips_the_safety_net(streams: list[list[ServerSentEvent]]) -> None:
    transcript = reconstruct(streams)
    json.dumps(transcript.to_dict())
    assert codes.INTERNAL_ERROR not in transcript.diagnostic_codes()


@BOUNDED
@given(data=st.data())
def test_mutated_corpus_events_never_raise(data: st.DataObject) -> None:
    events = list(EXPECTED[data.draw(st.integers(0, len(BODIES) - 1), label="stream")][0])
    for _ in range(data.draw(st.integers(1, 6), label="mutations")):
        position = data.draw(st.integers(0, len(events) - 1))
        victim = events[position]
        mutation = data.draw(st.sampled_from(["truncate", "rename", "drop", "duplicate", "swap"]))
        if mutation == "truncate":
            events[position] = ServerSentEvent(victim.event, victim.data[: data.draw(st.integers(0, 80))])
        elif mutation == "rename":
            events[position] = ServerSentEvent(data.draw(st.sampled_from(EVENT_NAMES)), victim.data)
        elif mutation == "drop":
            del events[position]
        elif mutation == "duplicate":
            events.insert(position, victim)
        else:
            other = data.draw(st.integers(0, len(events) - 1))
            events[position], events[other] = events[other], events[position]
        if not events:
            break
    transcript = reconstruct(events)
    json.dumps(transcript.to_dict())
    assert codes.INTERNAL_ERROR not in transcript.diagnostic_codes()


def test_bytes_that_are_not_utf8_or_not_sse_do_not_raise() -> None:
    for body in [
        b"\xff\xfe\x00garbage",
        b"data: \xff\xff\n\n",
        b"event: thread.message.delta\ndata: {}\n\n",
        BODIES[0][:1234],
    ]:
        reconstruct(parse_sse(body))
