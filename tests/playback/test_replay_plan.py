"""Replay plans: every chunking serves exactly the recorded bytes, deterministically."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.cassette.model import RecordedStream
from harness.replay.chunking import Chunking
from harness.replay.faults import CutAfter, DelayBefore
from harness.replay.plan import plan_stream
from harness.sse import ServerSentEvent, encode_events, split_frames

events = st.lists(
    st.builds(
        ServerSentEvent,
        st.sampled_from(["thread.message.delta", "done"]),
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=30),
    ),
    min_size=1,
    max_size=12,
)
chunkings = st.sampled_from(["recorded", "event", "byte", "whole", "random:1", "random:99"])


@settings(max_examples=60, deadline=None)
@given(events, chunkings, st.lists(st.integers(1, 40), min_size=1, max_size=20))
def test_reads_concatenate_to_the_body(
    stream_events: list[ServerSentEvent], chunking: str, sizes: list[int]
) -> None:
    body = encode_events(stream_events)
    chunks, start = [], 0
    for size in sizes:
        chunks.append(body[start : start + size])
        start += size
    if start < len(body):
        chunks.append(body[start:])
    stream = RecordedStream.from_chunks([c for c in chunks if c], [0.01 * n for n in range(len(chunks))])
    plan = plan_stream(stream, Chunking.parse(chunking))
    reads = [data for _, data in plan.reads()]
    assert b"".join(reads) == body
    assert all(reads)
    assert [data for _, data in plan_stream(stream, Chunking.parse(chunking)).reads()] == reads
    if chunking == "event":
        assert reads == split_frames(body)
    if chunking == "recorded":
        assert reads == [c for c in chunks if c]


def test_speed_scales_recorded_gaps_and_delays_add_up() -> None:
    body = encode_events([ServerSentEvent("e", str(n)) for n in range(4)])
    frames = split_frames(body)
    stream = RecordedStream.from_chunks(frames, [0.0, 0.1, 0.2, 0.3])
    plan = plan_stream(stream, Chunking(), speed=2.0, faults=[DelayBefore(event=2, seconds=1.0)])
    assert [round(w, 6) for w in plan.waits] == [0.0, 0.2, 1.2, 0.2]
    cut = plan_stream(stream, Chunking("byte"), faults=[CutAfter(event=1)])
    assert b"".join(data for _, data in cut.reads()) == frames[0] + frames[1]
