"""A HAR held whole (replay must: matching needs every exchange) costs little more than its text.

Each exchange of a file of many small entries keeps its request, response and stream objects and
its body, and nothing it can share or make again when asked: no header list (the entries carrying
the same headers share one tuple, made a list when ``headers`` is asked for) and no frames view of a
body of one event. ``tracemalloc`` counts what the loaded cassette holds.
"""

from __future__ import annotations

import copy
import pickle
import sys
import tracemalloc
from pathlib import Path

from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from tests.guards.test_bounded_memory import TINY, _many_entries_har

ENTRIES = 5_000
URL = "https://api.openai.com/v1/threads/runs"


def test_a_har_of_many_small_entries_is_held_in_little_more_than_its_text(tmp_path: Path) -> None:
    """About 1.1 times each entry's text (1.7 when each exchange kept two header lists and a frames
    view of its own)."""
    path = tmp_path / "many.har"
    _many_entries_har(path, ENTRIES)
    entry = path.stat().st_size / ENTRIES
    # the event's name held, so that the interpreter's table of interned strings stays as it is
    name = sys.intern("thread.message.delta")
    load_cassette(path)  # the modules a load imports are not the file's cost
    tracemalloc.start()
    try:
        cassette = load_cassette(path)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert name and len(cassette.exchanges) == ENTRIES
    assert held / ENTRIES <= 1.25 * entry, f"{held / ENTRIES / entry:.2f} times an entry's text"


def _expected() -> Exchange:
    stream = RecordedStream.from_chunks([TINY], [0.0])
    response = RecordedResponse(200, "", [("content-type", "text/event-stream")], stream=stream)
    return Exchange(RecordedRequest("POST", URL, [], b""), response)


def test_an_exchange_held_compactly_is_equal_printed_copied_and_pickled_as_one_built_from_lists(
    tmp_path: Path,
) -> None:
    path = tmp_path / "two.har"
    _many_entries_har(path, 2)
    loaded = load_cassette(path).exchanges
    expected = _expected()
    assert loaded == [expected, expected]
    assert repr(loaded[0]) == repr(expected)
    assert copy.deepcopy(loaded[0]) == expected == pickle.loads(pickle.dumps(loaded[0]))
    assert copy.copy(loaded[0].response.stream) == expected.response.stream
    stream = loaded[0].response.stream
    assert stream is not None and list(stream.frames) == [TINY] and loaded[0].response.content == TINY


def test_the_headers_of_an_exchange_held_compactly_are_its_own_list_to_edit(tmp_path: Path) -> None:
    path = tmp_path / "two.har"
    _many_entries_har(path, 2)
    first, second = load_cassette(path).exchanges
    first.response.headers.append(("x-edited", "1"))
    first.request.headers += [("authorization", "Bearer sk-fake-1")]
    assert first.response.headers == [("content-type", "text/event-stream"), ("x-edited", "1")]
    assert first.request.headers == [("authorization", "Bearer sk-fake-1")]
    assert second == _expected() and first != second
    assert Cassette([second]).streams[0].body == TINY
