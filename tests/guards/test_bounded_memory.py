"""A long line costs about twice its size to read, not once per copy made on the way.

Memory is Python's own count of what it allocates (``tracemalloc``), so the bounds hold on any
machine and under any load; ``bench/hostile_sizes.py`` measures whole processes at hundreds of MB.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harness.cassette.formats import har, jsonl
from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.cassette.save import save_cassette
from harness.cli.checks import MAX_LISTED_PER_CODE, Finding, check_file
from harness.sse import ServerSentEvent, iter_sse
from harness.validation import fold_conversation
from tests.guards.memory import peak_memory

LINE = 4 << 20  # bytes of data in the one long event
HEAD = b"event: thread.message.delta\ndata: "


def _chunks() -> Iterator[bytes]:
    yield HEAD
    for _ in range(LINE // 65536):
        yield b"x" * 65536  # a fresh chunk each time, as a file read gives them
    yield b"\n\n"


def test_a_long_line_fed_in_chunks_is_held_about_twice_at_most() -> None:
    """The pieces of the line, then the line and its decoded text: not also a copy of the line for
    the block of whole lines, one for the data field and one for the data's bytes (6x before)."""
    events: list[ServerSentEvent] = []
    peak = peak_memory(lambda: events.extend(iter_sse(_chunks())))
    assert [(event.event, len(event.data)) for event in events] == [("thread.message.delta", LINE)]
    assert peak <= 2.1 * LINE, f"{peak / LINE:.2f} times the line"


def _long_cassette() -> Cassette:
    stream = RecordedStream.from_body(HEAD + b"x" * LINE + b"\n\n")
    response = RecordedResponse(200, "OK", [("content-type", "text/event-stream")], stream=stream)
    return Cassette([Exchange(RecordedRequest("POST", "https://api.openai.com/v1/threads/runs"), response)])


def _write_native(path: Path) -> None:
    save_cassette(_long_cassette(), path)


def _write_har(path: Path) -> None:
    path.write_bytes(har.write(_long_cassette()))


def _write_jsonl(path: Path) -> None:
    path.write_bytes(jsonl.write(_long_cassette()))


@pytest.mark.parametrize(
    ("name", "write", "bound"),
    [
        # the bytes and their text, then the text and the document, then the document and the frames
        ("long.json", _write_native, 2.4),
        # the same, and the stream decoded as it is read: the body's text goes once encoded
        ("long.har", _write_har, 2.4),
        # every event is in the file twice (its data and its raw frame), so the file is 2 lines long
        ("long.jsonl", _write_jsonl, 3.3),
    ],
)
def test_loading_a_cassette_of_one_long_line_holds_about_twice_the_file(
    name: str, write: Callable[[Path], None], bound: float, tmp_path: Path
) -> None:
    path = tmp_path / name
    write(path)
    size = path.stat().st_size
    load_cassette(path)  # the modules reading a format imports at first use are not the file's cost
    loaded: list[Cassette] = []
    peak = peak_memory(lambda: loaded.append(load_cassette(path)))
    assert [len(stream.body) for stream in loaded[0].streams] == [len(HEAD) + LINE + 2]
    assert peak <= bound * size, f"{peak / size:.2f} times the file"


TINY = b"event: thread.message.delta\ndata: {}\n\n"


def test_a_cassette_of_many_tiny_events_is_folded_holding_its_frames_not_every_decoded_event(
    tmp_path: Path,
) -> None:
    """Each event costs Python objects larger than its 38 bytes (a frame, then its decoded event),
    so the bound is the frames plus the parse (3.3 times the file here), not twice: the document's
    texts go as the frames are made, and the fold decodes the events as it reads them instead of
    keeping them all."""

    path = tmp_path / "tiny.json"
    stream = RecordedStream.from_body(TINY * 20_000)
    response = RecordedResponse(200, "OK", [("content-type", "text/event-stream")], stream=stream)
    save_cassette(
        Cassette([Exchange(RecordedRequest("POST", "https://api.openai.com/v1/threads/runs"), response)]),
        path,
    )
    del stream, response
    size = path.stat().st_size
    fold_conversation(load_cassette(path))  # the modules a fold imports are not the file's cost
    folded: list[int] = []
    peak = peak_memory(lambda: folded.append(len(fold_conversation(load_cassette(path)).to_dict()["events"])))
    assert folded == [20_000]
    assert peak <= 3.6 * size  # 5.4 when every event was kept, f"{peak / size:.2f} times the file"


def _tiny_native(tmp_path: Path, count: int = 40_000) -> Path:
    path = tmp_path / "tiny-events.json"
    stream = RecordedStream.from_body(TINY * count)
    response = RecordedResponse(200, "OK", [("content-type", "text/event-stream")], stream=stream)
    save_cassette(
        Cassette([Exchange(RecordedRequest("POST", "https://api.openai.com/v1/threads/runs"), response)]),
        path,
    )
    return path


def _replayed(path: Path) -> int:
    from harness.replay.plan import plan_stream

    stream = load_cassette(path).streams[0]
    return sum(len(data) for _, data in plan_stream(stream).reads())


def _imported(path: Path) -> int:
    import contextlib
    import io

    from harness.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(["import", str(path), "--cassette", str(path.with_name("imported.json")), "--force"])


@pytest.mark.parametrize(
    ("work", "expected"),
    [
        # the file's bytes and the body cut out of them in batches (was 3.1: a string per event)
        (lambda path: len(load_cassette(path).streams[0].body), len(TINY) * 40_000),
        # the same, and each read a slice of the body (was 3.1)
        (_replayed, len(TINY) * 40_000),
        # the same, the stream scrubbed one event at a time and written in pieces (was 10.6)
        (_imported, 0),
    ],
    ids=["load", "replay", "import"],
)
def test_a_harness_cassette_of_many_tiny_events_is_held_about_twice_to_load_replay_and_import(
    work: Callable[[Path], int], expected: int, tmp_path: Path
) -> None:
    """No Python object per event: not a string of the document, nor a bytes object per frame,
    nor a decoded event or payload while scrubbing, nor the whole text of the cassette written."""
    path = _tiny_native(tmp_path)
    size = path.stat().st_size
    assert work(path) == expected  # the modules the work imports are not the file's cost
    results: list[int] = []
    peak = peak_memory(lambda: results.append(work(path)))
    assert results == [expected]
    assert peak <= 2.3 * size, f"{peak / size:.2f} times the file"


def _many_entries_har(path: Path, count: int) -> None:
    """A HAR as a browser writes it (no ``_harness`` field) of ``count`` entries of one tiny stream."""
    entry = (
        '{"request": {"method": "POST", "url": "https://api.openai.com/v1/threads/runs", "headers": []}, '
        '"response": {"status": 200, "headers": [{"name": "content-type", "value": "text/event-stream"}], '
        '"content": {"mimeType": "text/event-stream", "text": ' + json.dumps(TINY.decode()) + "}}}"
    )
    path.write_text('{"log": {"version": "1.2", "entries": [\n' + ",\n".join([entry] * count) + "\n]}}\n")


def test_a_har_of_many_entries_is_read_an_entry_at_a_time(tmp_path: Path) -> None:
    """Parsed whole, the document's tree is five times its text beside the exchanges made of it
    (6.1 times the file at the peak); read an entry at a time, the peak is the exchanges and the text
    not yet read (3.2 times; 2.6 since the exchanges were made compacter): each exchange's Python
    objects (request, response, stream, its frames view, header lists) cost about twice its entry's
    text, while the strings entries repeat are kept once and a stream's decoded events are not kept."""
    path = tmp_path / "many.har"
    _many_entries_har(path, 5_000)
    size = path.stat().st_size
    load_cassette(path)  # the modules a load imports are not the file's cost
    loaded: list[Cassette] = []
    peak = peak_memory(lambda: loaded.append(load_cassette(path)))
    assert len(loaded[0].exchanges) == 5_000
    assert peak <= 3.5 * size, f"{peak / size:.2f} times the file"


def test_validating_a_stream_broken_in_every_event_holds_about_three_times_the_file(
    tmp_path: Path,
) -> None:
    """Each of the 20,000 events breaks one rule for the fold and three for the reference checks:
    the findings past the first hundred of each rule are counted as they are raised, not kept (26
    times the file when all 80,000 were made, then capped), and the secret scan decodes each frame
    as it reads it."""
    path = _tiny_native(tmp_path, 20_000)
    size = path.stat().st_size
    check_file(path)  # the modules validation imports are not the file's cost
    found: list[list[Finding]] = []
    peak = peak_memory(lambda: found.append(check_file(path)))
    (findings,) = found
    assert sum(finding.count for finding in findings if finding.level == "error") == 20_001
    assert sum(finding.count for finding in findings if finding.level == "info") == 60_000
    assert len(findings) <= 4 * MAX_LISTED_PER_CODE + 4
    assert peak <= 4 * size, f"{peak / size:.2f} times the file"


def test_validating_reads_each_stream_decoded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Which protocol a stream speaks, whether it stopped early (an error event: its missing end is
    then a note) and its checks come from one decoding of its events, not one each (three times
    the decoding of a 200 MB line before)."""
    error = b'event: error\ndata: {"error": {"code": "server_error", "message": "boom"}}\n\n'
    stream = RecordedStream.from_body(TINY * 3 + error)
    response = RecordedResponse(200, "OK", [("content-type", "text/event-stream")], stream=stream)
    request = RecordedRequest("POST", "https://api.openai.com/v1/threads/runs")
    path = tmp_path / "error.json"
    save_cassette(Cassette([Exchange(request, response), Exchange(request, response)]), path)
    decoded: list[int] = []
    iter_events = RecordedStream.iter_events

    def counted(self: RecordedStream) -> Iterator[ServerSentEvent]:
        decoded.append(1)
        return iter_events(self)

    monkeypatch.setattr(RecordedStream, "iter_events", counted)
    findings = check_file(path)
    assert len(decoded) == 2  # one per stream
    assert any(f.level == "info" and "missing-done" in f.text for f in findings), findings


def _inspected(path: Path) -> int:
    """What ``harness inspect`` folds, read as it reads it."""
    from harness.cli.cassettes import open_exchanges

    return len(fold_conversation(open_exchanges(path)).to_dict()["events"])


def _validated(path: Path) -> int:
    return len(check_file(path))


@pytest.mark.parametrize(
    ("work", "count"),
    [
        # the file's bytes and text, while it is decoded; then the text and an entry: 2.0 (4.4 when
        # the whole cassette was loaded first)
        (_inspected, 2_000),
        # the same, each exchange scanned for secrets and checked as read: 2.0 (3.5 loaded whole)
        (_validated, 1_000),
    ],
    ids=["inspect", "validate"],
)
def test_inspecting_or_validating_a_har_of_many_entries_holds_the_file_not_its_exchanges(
    work: Callable[[Path], int], count: int, tmp_path: Path
) -> None:
    """Each exchange is folded (and checked) as its entry is read, then let go: the cassette is
    never held whole."""
    path = tmp_path / "many.har"
    _many_entries_har(path, count)
    size = path.stat().st_size
    expected = work(path)  # the modules the work imports are not the file's cost
    assert expected > 0
    results: list[int] = []
    peak = peak_memory(lambda: results.append(work(path)))
    assert results == [expected]
    assert peak <= 2.2 * size, f"{peak / size:.2f} times the file"


def test_a_har_of_many_small_streams_loads_as_compact_exchanges(tmp_path: Path) -> None:
    """Held whole (replay must), an exchange of a one-chunk, one-event stream keeps no list of chunk
    sizes or times, no array of event ends and no header pair of its own: 2.8 times the file at
    the peak, 3.7 before."""
    path = tmp_path / "many.har"
    _many_entries_har(path, 2_500)
    size = path.stat().st_size
    load_cassette(path)
    loaded: list[Cassette] = []
    peak = peak_memory(lambda: loaded.append(load_cassette(path)))
    streams = loaded[0].streams
    assert len(streams) == 2_500
    assert (streams[0].chunk_sizes, streams[0].chunk_times, list(streams[0].frames)) == (
        [len(TINY)],
        [0.0],
        [TINY],
    )
    assert peak <= 3.1 * size, f"{peak / size:.2f} times the file"


def _imported_per_file(path: Path) -> int:
    import contextlib
    import io

    from harness.cli import main

    out = path.with_name("imported")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(["import", str(path), "--out-dir", str(out), "--force"])


def test_importing_a_har_of_many_entries_scrubs_its_exchanges_without_a_copy(tmp_path: Path) -> None:
    """What 2,000 more entries add to the peak: their exchanges (about 2.5 times their text),
    scrubbed where they are and written in pieces, not a deep copy of every exchange beside them
    (14 times their text when it was). The difference of two sizes, so fixed costs do not count."""
    peaks, sizes = [], []
    for count in (2_000, 4_000):
        path = tmp_path / f"many-{count}.har"
        _many_entries_har(path, count)
        sizes.append(path.stat().st_size)
        assert _imported_per_file(path) == 0  # the modules an import needs are not the file's cost
        peaks.append(peak_memory(functools.partial(_imported_per_file, path)))
        written = load_cassette(tmp_path / "imported" / f"many-{count}.json")
        assert len(written.exchanges) == count
        assert written.metadata["imported_from"] == [{"path": str(path), "format": "har"}]
    added = sizes[1] - sizes[0]
    assert peaks[1] - peaks[0] <= 3.5 * added, f"{(peaks[1] - peaks[0]) / added:.2f} times the added entries"
