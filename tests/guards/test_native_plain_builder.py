"""A test's cassette (a small file) is built straight from its parsed document; whatever that
builder does not take, the walk that names places reads: what loads, what warns and every error
message stay what the walk alone gives."""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness import CassetteError, load_cassette
from harness.cassette.formats import native
from tests.guards.memory import peak_of

URL = "https://api.openai.com/v1/threads/runs"
EVENTS = ["event: thread.run.created\ndata: {}\n\n", "event: done\ndata: [DONE]\n\n"]
TOTAL = sum(map(len, EVENTS))


def _document() -> dict[str, Any]:
    return {
        "harness_cassette": 1,
        "metadata": {"recorded_with": "test"},
        "exchanges": [
            {
                "request": {"method": "POST", "url": URL, "headers": [["x-a", "1"]], "body": '{"a": 1}'},
                "response": {"status": 200, "reason": "OK", "headers": [["x-b", "2"]], "body": "{}"},
            },
            {
                "request": {"method": "POST", "url": URL, "headers": [], "body": ""},
                "response": {
                    "status": 200,
                    "reason": "OK",
                    "headers": [["content-type", "text/event-stream"]],
                    "stream": {
                        "cut": None,
                        "chunk_sizes": [5, TOTAL - 5],
                        "chunk_ms": [0, 1.5],
                        "events": list(EVENTS),
                    },
                },
            },
        ],
    }


def _set(*keys: str | int, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        node: Any = document
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return change


def _drop(*keys: str | int) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        node: Any = document
        for key in keys[:-1]:
            node = node[key]
        del node[keys[-1]]

    return change


def _all(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        for each in changes:
            each(document)

    return change


def _event(value: Any, size: int) -> Callable[[dict[str, Any]], None]:
    """The last event replaced by ``value`` of ``size`` bytes, the chunk table following it."""

    def change(document: dict[str, Any]) -> None:
        stream = document["exchanges"][1]["response"]["stream"]
        stream["events"][1] = value
        stream["chunk_sizes"] = [5, len(EVENTS[0]) + size - 5]

    return change


REQUEST, RESPONSE = (0, "request"), (0, "response")
STREAM = (1, "response", "stream")
CHANGES: dict[str, Callable[[dict[str, Any]], None]] = {
    "version 2": _set("harness_cassette", value=2),
    "version true": _set("harness_cassette", value=True),
    "metadata a list": _set("metadata", value=[1]),
    "metadata null": _set("metadata", value=None),
    "no metadata": _drop("metadata"),
    "no exchanges": _drop("exchanges"),
    "exchanges a mapping": _set("exchanges", value={}),
    "exchanges null": _set("exchanges", value=None),
    "an exchange a list": _set("exchanges", 0, value=[]),
    "no request": _drop("exchanges", 0, "request"),
    "request a string": _set("exchanges", 0, "request", value="GET"),
    "no response": _drop("exchanges", 0, "response"),
    "response a list": _set("exchanges", 0, "response", value=[]),
    "method a number": _set("exchanges", *REQUEST, "method", value=1),
    "method null": _set("exchanges", *REQUEST, "method", value=None),
    "no method": _drop("exchanges", *REQUEST, "method"),
    "no url": _drop("exchanges", *REQUEST, "url"),
    "url a list": _set("exchanges", *REQUEST, "url", value=[URL]),
    "request headers null": _set("exchanges", *REQUEST, "headers", value=None),
    "no request headers": _drop("exchanges", *REQUEST, "headers"),
    "request headers a mapping": _set("exchanges", *REQUEST, "headers", value={"x-a": "1"}),
    "a header of three": _set("exchanges", *REQUEST, "headers", value=[["x", "1", "2"]]),
    "a header value a number": _set("exchanges", *REQUEST, "headers", value=[["x", 1]]),
    "a header name a number": _set("exchanges", *REQUEST, "headers", value=[[1, "x"]]),
    "a header a string": _set("exchanges", *REQUEST, "headers", value=["x: 1"]),
    "request body null": _set("exchanges", *REQUEST, "body", value=None),
    "no request body": _drop("exchanges", *REQUEST, "body"),
    "request body base64": _set("exchanges", *REQUEST, "body", value={"base64": "AP8="}),
    "request body bad base64": _set("exchanges", *REQUEST, "body", value={"base64": "!!"}),
    "request body a number": _set("exchanges", *REQUEST, "body", value=3),
    "no status": _drop("exchanges", *RESPONSE, "status"),
    "status a string": _set("exchanges", *RESPONSE, "status", value="200"),
    "status true": _set("exchanges", *RESPONSE, "status", value=True),
    "status a float": _set("exchanges", *RESPONSE, "status", value=200.0),
    "status 99": _set("exchanges", *RESPONSE, "status", value=99),
    "status 100": _set("exchanges", *RESPONSE, "status", value=100),
    "status 599": _set("exchanges", *RESPONSE, "status", value=599),
    "status 600": _set("exchanges", *RESPONSE, "status", value=600),
    "reason null": _set("exchanges", *RESPONSE, "reason", value=None),
    "no reason": _drop("exchanges", *RESPONSE, "reason"),
    "reason a number": _set("exchanges", *RESPONSE, "reason", value=404),
    "response headers a string": _set("exchanges", *RESPONSE, "headers", value="x-b: 2"),
    "no response headers": _drop("exchanges", *RESPONSE, "headers"),
    "response body base64": _set("exchanges", *RESPONSE, "body", value={"base64": "iVBO"}),
    "response body a list": _set("exchanges", *RESPONSE, "body", value=["{}"]),
    "no response body": _drop("exchanges", *RESPONSE, "body"),
    "stream null": _set("exchanges", 1, "response", "stream", value=None),
    "stream a list": _set("exchanges", 1, "response", "stream", value=EVENTS),
    "no events": _drop("exchanges", *STREAM, "events"),
    "events null": _set("exchanges", *STREAM, "events", value=None),
    "events a string": _set("exchanges", *STREAM, "events", value="".join(EVENTS)),
    "no events at all": _set("exchanges", *STREAM, "events", value=[]),
    "an event not ascii": _event("data: café\n\n", len("data: café\n\n".encode())),
    "an event in base64": _event({"base64": "ZGF0YTogeAoK"}, len(b"data: x\n\n")),
    "an event a number": _set("exchanges", *STREAM, "events", 1, value=7),
    "an event bad base64": _set("exchanges", *STREAM, "events", 1, value={"base64": "??"}),
    "cut a reason": _set("exchanges", *STREAM, "cut", value="client-closed"),
    "no cut": _drop("exchanges", *STREAM, "cut"),
    "cut a number": _set("exchanges", *STREAM, "cut", value=1),
    "no chunk table": _all(
        _drop("exchanges", *STREAM, "chunk_sizes"), _drop("exchanges", *STREAM, "chunk_ms")
    ),
    "chunk table null": _all(
        _set("exchanges", *STREAM, "chunk_sizes", value=None),
        _set("exchanges", *STREAM, "chunk_ms", value=None),
    ),
    "only sizes": _drop("exchanges", *STREAM, "chunk_ms"),
    "only times": _drop("exchanges", *STREAM, "chunk_sizes"),
    "a size negative": _set("exchanges", *STREAM, "chunk_sizes", value=[-5, TOTAL + 5]),
    "a size a float": _set("exchanges", *STREAM, "chunk_sizes", value=[5.0, TOTAL - 5]),
    "a size true": _set("exchanges", *STREAM, "chunk_sizes", value=[True, TOTAL - 1]),
    "sizes a mapping": _set("exchanges", *STREAM, "chunk_sizes", value={"a": 1}),
    "a time negative": _set("exchanges", *STREAM, "chunk_ms", value=[0, -1]),
    "a time a string": _set("exchanges", *STREAM, "chunk_ms", value=[0, "1"]),
    "a time an hour on": _set("exchanges", *STREAM, "chunk_ms", value=[0, 3_600_001]),
    "times an integer": _set("exchanges", *STREAM, "chunk_ms", value=5),
    "sizes short of the events": _set("exchanges", *STREAM, "chunk_sizes", value=[5, TOTAL - 6]),
    "sizes past the events": _set("exchanges", *STREAM, "chunk_sizes", value=[5, TOTAL]),
    "one time too many": _set("exchanges", *STREAM, "chunk_ms", value=[0, 1, 2]),
    "a size of nothing": _all(
        _set("exchanges", *STREAM, "chunk_sizes", value=[0, 5, TOTAL - 5]),
        _set("exchanges", *STREAM, "chunk_ms", value=[0, 0, 1.5]),
    ),
    "no events nor chunks": _all(
        _set("exchanges", *STREAM, "events", value=[]),
        _set("exchanges", *STREAM, "chunk_sizes", value=[]),
        _set("exchanges", *STREAM, "chunk_ms", value=[]),
    ),
}


def _outcome(path: Path) -> tuple[str, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            loaded: str = repr(load_cassette(path))
        except CassetteError as error:
            loaded = f"{type(error).__name__}: {error}"
    return loaded, [f"{item.category.__name__}: {item.message}" for item in caught]


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_what_loads_warns_or_fails_is_what_the_walk_alone_gives(
    change: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _document()
    CHANGES[change](document)
    path = tmp_path / "cassette.json"
    path.write_text(json.dumps(document))
    built = _outcome(path)
    monkeypatch.setattr(native, "_plain_cassette", lambda _: None)
    assert built == _outcome(path)


TAKEN = ["no metadata", "no reason", "request body base64", "an event not ascii", "an event in base64"]
TAKEN += ["no chunk table", "cut a reason", "status 100", "status 599", "no request headers"]
TAKEN += ["chunk table null", "metadata null", "no events nor chunks", "a size of nothing"]


@pytest.mark.parametrize("change", [None, *TAKEN], ids=["as written", *TAKEN])
def test_a_cassette_of_the_usual_shape_is_built_without_the_walk(
    change: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _document()
    if change is not None:
        CHANGES[change](document)
    path = tmp_path / "cassette.json"
    path.write_text(json.dumps(document))
    expected = _outcome(path)
    assert expected[1] == []

    def no_walk(*_: object) -> None:
        raise AssertionError("walked")

    monkeypatch.setattr(native, "from_tree", no_walk)
    assert _outcome(path) == expected
    assert copy.deepcopy(document) == json.loads(path.read_text())  # the file is left alone


def test_a_large_cassette_left_to_the_walk_lets_its_event_texts_go_as_they_are_encoded(
    tmp_path: Path,
) -> None:
    """A file past the small-file size whose events the byte-level reader leaves to the plain
    reader (one of them in base64): each batch of the parsed texts is let go once encoded, so the
    texts and the frames are never all held together (2.4 times the file; 3.3 when they were)."""
    import base64

    from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
    from harness.cassette.save import save_cassette

    tiny = b'event: thread.message.delta\ndata: {"delta":{"content":[{"text":{"value":"x"}}]}}\n\n'
    stream = RecordedStream.from_body(tiny * 40_000)
    response = RecordedResponse(200, "OK", [("content-type", "text/event-stream")], stream=stream)
    path = tmp_path / "large.json"
    save_cassette(Cassette([Exchange(RecordedRequest("POST", URL), response)]), path)
    text = path.read_text()
    last = json.dumps(tiny.decode())
    at = text.rindex(last)
    encoded = json.dumps({"base64": base64.b64encode(tiny).decode()})
    path.write_text(text[:at] + encoded + text[at + len(last) :])
    size = path.stat().st_size
    assert size > native.SMALL_FILE_BYTES
    assert load_cassette(path).streams[0].body == tiny * 40_000  # what loading imports is not the file's
    body, peak = peak_of(lambda: load_cassette(path).streams[0].body)
    assert body == tiny * 40_000
    assert peak <= 2.8 * size, f"{peak / size:.2f} times the file"


def test_a_saved_cassette_reads_well_in_a_diff_one_field_and_one_event_a_line(tmp_path: Path) -> None:
    """What a pull request shows of a re-recorded cassette: a line per field and per event, the
    lists' closing brackets on lines of their own (and what is so written loads back without the walk)."""
    from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
    from harness.cassette.save import save_cassette

    stream = RecordedStream([b"data: 1\n\n", b"data: 2\n\n"], [9, 9], [0.0, 0.001])
    streamed = RecordedResponse(200, "OK", [("content-type", "text/event-stream")], stream=stream)
    cassette = Cassette(
        [
            Exchange(
                RecordedRequest("GET", "http://x/a", [("a", "b")]), RecordedResponse(200, "OK", [], b"{}")
            ),
            Exchange(RecordedRequest("POST", "http://x/b"), streamed),
        ]
    )
    path = tmp_path / "diffable.json"
    save_cassette(cassette, path)
    request = ["{", '"request": {', '  "method": "{method}",', '  "url": "{url}",']
    first = [*request, '  "headers": [["a", "b"]],', '  "body": ""', "},", '"response": {']
    first += ['  "status": 200,', '  "reason": "OK",', '  "headers": [],', '  "body": "{}"', "}", "},"]
    second = [*request, '  "headers": [],', '  "body": ""', "},", '"response": {', '  "status": 200,']
    second += ['  "reason": "OK",', '  "headers": [["content-type", "text/event-stream"]],', '  "stream": {']
    second += [
        '    "cut": null,',
        '    "chunk_sizes": [9, 9],',
        '    "chunk_ms": [0.0, 1.0],',
        '    "events": [',
    ]
    second += ['"data: 1\\n\\n",', '"data: 2\\n\\n"', "    ]", "  }", "}", "}"]
    expected = ["{", '"harness_cassette": 1,', '"exchanges": [']
    expected += [line.replace("{method}", "GET").replace("{url}", "http://x/a") for line in first]
    expected += [line.replace("{method}", "POST").replace("{url}", "http://x/b") for line in second]
    expected += ["]", "}"]
    assert path.read_text().split("\n") == [*expected, ""]
    assert load_cassette(path) == cassette
