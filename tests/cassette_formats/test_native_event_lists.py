"""The harness format's ``events`` lists, read straight from the file's bytes: the same cassette
(and the same errors) as the file read as one JSON document, whatever the lists hold."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from harness.cassette.formats import event_lists, native
from harness.cassette.formats.event_lists import BATCH, LONG_BATCH, LONG_SHARE
from harness.cassette.frames import Frames
from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.errors import CassetteError

TINY = b"event: thread.message.delta\ndata: {}\n\n"
SSE = [("content-type", "text/event-stream")]


@pytest.fixture(autouse=True)
def _lists_read_from_the_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """These files are small: read as large ones are, their lists cut out of the bytes."""
    monkeypatch.setattr(native, "SMALL_FILE_BYTES", 0)


def _cassette(*bodies: bytes, metadata: dict[str, object] | None = None, request: bytes = b"{}") -> Cassette:
    exchanges = [
        Exchange(
            RecordedRequest("POST", "https://api.openai.com/v1/threads/runs", body=request),
            RecordedResponse(200, "OK", SSE, stream=RecordedStream.from_body(body)),
        )
        for body in bodies
    ]
    return Cassette(exchanges, metadata=metadata or {})


def _both(text: str, tmp_path: Path) -> tuple[Cassette, Cassette]:
    """The file read by the harness, and its text read as one JSON document."""
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    return load_cassette(path), native.loads(text, path)


@pytest.mark.parametrize(
    "cassette",
    [
        _cassette(TINY * (2 * BATCH + 3), TINY),  # batches, a last partial one, two streams
        _cassette(b"", TINY),  # an empty list
        _cassette('event: d\ndata: {"t": "h\u00e9llo \u2603 \U0001f600"}\n\n'.encode() * 300),  # not ASCII
        _cassette(TINY + b'data: \\"quoted\\" back\\\\slash\t\n\n' + b": trailing comment"),
        _cassette(TINY * 3, request=b'{"events": ["not", "a", "stream"]}'),  # the key inside a string
    ],
    ids=["batches", "empty", "unicode", "escapes", "key-in-a-string"],
)
def test_a_saved_cassette_reads_back_as_the_plain_json_reading_of_it(
    cassette: Cassette, tmp_path: Path
) -> None:
    read, plain = _both(native.dumps(cassette), tmp_path)
    assert read.exchanges == plain.exchanges == cassette.exchanges
    assert all(isinstance(stream.frames, Frames) for stream in read.streams)
    assert [stream.body for stream in read.streams] == [stream.body for stream in cassette.streams]


def test_hand_written_layouts_read_as_json_does(tmp_path: Path) -> None:
    frames = [TINY.decode(), "event: done\ndata: [DONE]\n\n"]
    text = (
        '{"harness_cassette":1,"exchanges":[{"request":{"method":"POST","url":"https://x.test/v1"},'
        '"response":{"status":200,"headers":[["content-type","text/event-stream"]],"stream":'
        f'{{"chunk_sizes":[],"chunk_ms":[],"events"  :\t[ {json.dumps(frames[0])} ,\n'
        f"{json.dumps(frames[1])}]}}}}}}]}}"
    )
    read, plain = _both(text, tmp_path)
    assert read.exchanges == plain.exchanges
    assert list(read.streams[0].frames) == [frame.encode() for frame in frames]
    assert read.streams[0].chunk_sizes == [len(frame) for frame in frames]  # no table: one chunk an event


@pytest.mark.parametrize(
    "cassette",
    [
        _cassette(TINY * 4, b"event: x\ndata: \xff\xfe\n\n"),  # a frame kept as base64
        _cassette(TINY * 4, metadata={"events": ["from", "metadata"]}),  # a list not of a stream
        _cassette(b"data: " + b"x" * LONG_BATCH + b"\n\n"),  # a long line
        _cassette(TINY * 4, request=b"x" * 4096),  # most of the file is not events
    ],
    ids=["base64", "metadata-events", "long-line", "mostly-not-events"],
)
def test_lists_this_reader_leaves_to_the_plain_reader_read_the_same(
    cassette: Cassette, tmp_path: Path
) -> None:
    read, plain = _both(native.dumps(cassette), tmp_path)
    assert read.exchanges == plain.exchanges == cassette.exchanges
    assert read.metadata == plain.metadata == cassette.metadata


@pytest.mark.parametrize(
    ("final_bytes", "tiny_bytes"),
    [(LONG_BATCH + 1, LONG_SHARE * (LONG_BATCH + 1)), (LONG_BATCH // 4, 2 * LONG_BATCH)],
    ids=["over-a-batch-a-small-part-of-the-file", "a-large-part-of-the-file-under-a-batch"],
)
def test_a_long_event_in_a_long_stream_is_cut_out_with_the_rest(
    final_bytes: int, tiny_bytes: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last event of a long stream often holds the whole message: long, or a large part of the
    file, but not both, it is cut out with the rest, the file not read a second time plainly."""
    final = b"event: thread.message.completed\ndata: " + b"x" * final_bytes + b"\n\n"
    cassette = _cassette(TINY * (tiny_bytes // len(TINY) + 1) + final)
    text = native.dumps(cassette)
    assert (len(final) < len(text) // LONG_SHARE) != (len(final) < LONG_BATCH)
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(native, "_read_document", lambda data, path: pytest.fail("read plainly"))

    read = load_cassette(path)

    assert read.exchanges == cassette.exchanges
    assert list(read.streams[0].frames)[-1] == final


def test_lists_written_an_event_a_line_are_cut_by_lines_not_by_the_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cassette = _cassette(TINY * (3 * BATCH + 5))
    path = tmp_path / "c.json"
    path.write_text(native.dumps(cassette), encoding="utf-8")
    scans: list[int] = []

    class _CountedRun:
        def match(self, data: bytes, position: int) -> object:
            scans.append(position)
            return event_lists_run.match(data, position)

    event_lists_run = event_lists._RUN
    monkeypatch.setattr(event_lists, "_RUN", _CountedRun())

    assert load_cassette(path).exchanges == cassette.exchanges
    assert len(scans) == 1  # the list's last, short run: the three full ones are found by lines


def test_streams_of_many_tiny_events_are_cut_out_not_read_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two streams past LONG_BATCH bytes in all: every run is cut where it is, none sent back."""
    many = TINY * (LONG_BATCH // len(TINY) + 1)
    cassette = _cassette(many, many)
    path = tmp_path / "c.json"
    path.write_text(native.dumps(cassette), encoding="utf-8")
    monkeypatch.setattr(native, "_read_document", lambda data, path: pytest.fail("read plainly"))

    assert load_cassette(path).exchanges == cassette.exchanges


def test_lines_that_run_past_the_end_of_a_list_read_as_json_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line of a batch ends in ``",`` but the list ends inside it: the pattern reads the run
    (the file is not left to the plain reader for it)."""
    events = [json.dumps(f"data: {number}\n\n") for number in range(BATCH - 10)]
    metadata = ",\n".join(f'"note{number}": "v"' for number in range(20))
    text = (
        '{"harness_cassette": 1, "exchanges": [{"request": {"method": "POST", "url": "https://x.test/v1"},\n'
        '"response": {"status": 200, "headers": [["content-type", "text/event-stream"]], "stream": '
        '{"chunk_sizes": [], "chunk_ms": [], "events": [\n'
        + ",\n".join(events)
        + ',\n"data: last\\n\\n"]}}}], "metadata": {'  # the list ends inside a line ending in ",
        + metadata
        + "}}"
    )
    plain = native.loads(text, None)
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(native, "_read_document", lambda data, path: pytest.fail("read plainly"))
    read = load_cassette(path)
    assert read.exchanges == plain.exchanges
    assert read.metadata == plain.metadata and len(read.metadata) == 20
    assert list(read.streams[0].frames)[-1] == b"data: last\n\n"


def _read_error_as_plain_readers(text: str, tmp_path: Path) -> tuple[str, Path]:
    """The error loading ``text`` from a file raises, checked to be the plain reader's: with its path."""
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CassetteError) as plain:
        native.loads(text, path)
    with pytest.raises(CassetteError) as read:
        load_cassette(path)
    assert str(read.value) == str(plain.value)
    return str(read.value), path


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ('"data: \\ud800\\n\\n"', "exchanges[0].response.stream.events[1]"),  # a lone surrogate
        ('"data: \\x\\n\\n"', "invalid JSON: Invalid \\escape"),
        ('"data: a\\n\\n",]', "invalid JSON"),  # a trailing comma
        ('"tab\there"', "invalid JSON: Invalid control character"),
        ("7", "exchanges[0].response.stream.events[1]"),  # not a string
    ],
)
def test_a_broken_list_is_the_same_one_line_error_as_from_the_plain_reader(
    broken: str, message: str, tmp_path: Path
) -> None:
    text = (
        native.dumps(_cassette(TINY * 50))  # the lists the most of the file, as the cutter reads them
        .replace(json.dumps(TINY.decode()), broken, 2)
        .replace(broken, json.dumps(TINY.decode()), 1)
    )
    error, path = _read_error_as_plain_readers(text, tmp_path)
    assert message in error and str(path) in error


def test_a_refit_chunk_table_warns_naming_the_stream_as_the_plain_reader_does(tmp_path: Path) -> None:
    text = native.dumps(_cassette(TINY * 50)).replace(  # the lists the most of the file
        f'"chunk_sizes": [{50 * len(TINY)}]', '"chunk_sizes": [5]'
    )
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read = load_cassette(path)
    assert [str(w.message).split(": ")[:2] for w in caught] == [[str(path), "exchanges[0].response.stream"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = native.loads(text, path)
    assert read.streams[0].chunk_sizes == plain.streams[0].chunk_sizes == [len(TINY)] * 50


@pytest.mark.parametrize(
    "cassette",
    [_cassette(TINY * (2 * BATCH + 3), TINY), _cassette(TINY * 4, b"event: x\ndata: \xff\xfe\n\n")],
    ids=["batches", "base64"],
)
def test_a_small_file_parsed_whole_reads_as_its_lists_cut_out_do(
    cassette: Cassette, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.json"
    path.write_text(native.dumps(cassette), encoding="utf-8")
    cut = load_cassette(path)
    monkeypatch.setattr(native, "SMALL_FILE_BYTES", path.stat().st_size)
    whole = load_cassette(path)
    assert whole.exchanges == cut.exchanges == cassette.exchanges
    assert all(isinstance(stream.frames, Frames) for stream in whole.streams)


def test_a_small_file_with_a_byte_order_mark_reads_as_its_text_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(native, "SMALL_FILE_BYTES", 1 << 20)
    text = native.dumps(_cassette(TINY * 3))
    read = native.read(b"\xef\xbb\xbf" + text.encode(), tmp_path / "c.json")
    assert read.exchanges == native.loads(text).exchanges == _cassette(TINY * 3).exchanges


@pytest.mark.parametrize("value", ['"not a list"', "7", "null"])
def test_events_that_are_no_list_beside_a_list_cut_out_are_the_plain_readers_error(
    value: str, tmp_path: Path
) -> None:
    text = native.dumps(_cassette(TINY * 600, TINY))
    last = text.rindex('"events": [')
    text = text[:last] + f'"events": {value}, "was": [' + text[last + len('"events": [') :]
    error, _ = _read_error_as_plain_readers(text, tmp_path)
    assert "exchanges[1].response.stream.events" in error and "expected a list" in error


def test_a_small_file_of_more_events_than_a_batch_reads_every_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(native, "SMALL_FILE_BYTES", 1 << 20)
    frames = [b"data: %d\n\n" % number for number in range(5000)]
    cassette = _cassette(b"".join(frames))
    path = tmp_path / "c.json"
    path.write_text(native.dumps(cassette), encoding="utf-8")
    read = load_cassette(path)
    assert list(read.streams[0].frames) == frames
    assert read.exchanges == cassette.exchanges
