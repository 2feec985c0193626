"""A HAR is read entry by entry: what loads and every error are those of parsing the whole document.

The reference is the whole-document reader (``json.loads`` with the duplicate-key check, then the
tree walk); the incremental reader must agree with it on every prefix of a file and on every
one-character edit of its punctuation, including where it lets go of the text already read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cassette.formats import json_stream
from harness.cassette.formats.documents import parse_json
from harness.cassette.formats.vcr_family import from_tree, read_json_document
from harness.cassette.load import load_cassette, read_exchanges
from harness.cassette.model import Cassette, collected
from harness.cli import main
from harness.errors import CassetteError

PATH = Path("/cassettes/run.har")
SSE = "event: thread.run.created\ndata: {}\n\nevent: done\ndata: [DONE]\n\n"


def _entry(status: int = 200, *, extension: bool = False) -> dict[str, object]:
    entry: dict[str, object] = {
        "request": {
            "method": "POST",
            "url": "https://api.openai.com/v1/threads/runs",
            "headers": [{"name": "content-type", "value": "application/json"}],
            "postData": {"mimeType": "application/json", "text": "{}"},
        },
        "response": {
            "status": status,
            "statusText": "OK",
            "headers": [{"name": "content-type", "value": "text/event-stream"}],
            "content": {"mimeType": "text/event-stream", "text": SSE},
        },
    }
    if extension:
        entry["_harness"] = {"stream": {"chunk_sizes": [len(SSE)], "chunk_times": [0.5], "cut": None}}
    return entry


HAR = json.dumps(
    {
        "log": {
            "version": "1.2",
            "entries": [_entry(), _entry(0), _entry(extension=True)],
            "_harness": {"metadata": {"recorded_by": "test"}},
        }
    },
    indent=1,
)


def _outcome(read: object) -> tuple[str, object]:
    try:
        cassette = read() if callable(read) else read
    except CassetteError as error:
        return "error", (error.reason, error.location)
    assert isinstance(cassette, Cassette)
    return "cassette", (cassette.exchanges, cassette.metadata, cassette.source_format)


def _whole(text: str) -> tuple[str, object]:
    return _outcome(lambda: from_tree(parse_json(text, PATH), serialization="json"))


def _incremental(text: str) -> tuple[str, object]:
    return _outcome(lambda: read_json_document(text.encode("utf-8"), PATH))


def _agree(text: str) -> None:
    expected, got = _whole(text), _incremental(text)
    if expected[0] == got[0] == "error":
        assert isinstance(expected[1], tuple) and isinstance(got[1], tuple)
        assert got[1][0] == expected[1][0], text
        if expected[1][1] is not None:  # where the whole parse names no place, this one adds one
            assert got[1][1] == expected[1][1], text
        else:
            assert got[1][1], text
    else:
        assert got == expected, text


def _edits(text: str) -> list[str]:
    """Every prefix; each punctuation character deleted, doubled or swapped for another."""
    edited = [text[:end] for end in range(len(text))]
    for index, char in enumerate(text):
        if char in '{}[]:,"':
            edited.append(text[:index] + text[index + 1 :])
            edited.append(text[:index] + char + text[index:])
            edited.extend(text[:index] + other + text[index + 1 :] for other in "}],x" if other != char)
    return edited


@pytest.mark.filterwarnings("ignore::harness.cassette.chunk_table.ChunkTableRefit")
@pytest.mark.parametrize("release_chars", [1 << 20, 1], ids=["kept", "let-go-at-once"])
def test_every_prefix_and_punctuation_edit_reads_as_the_whole_document_does(
    release_chars: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the text let go as soon as possible too, so line and column survive releasing it."""
    monkeypatch.setattr(json_stream, "_RELEASE_CHARS", release_chars)
    assert _whole(HAR)[0] == "cassette"
    for text in _edits(HAR):
        _agree(text)


@pytest.mark.parametrize(
    "text",
    [
        HAR.replace('"version": "1.2",', '"version": "1.2", "version": "1.3",'),  # in the log
        HAR.replace('{\n "log"', '{"other": [1, {"a": 2}], "log"', 1),  # more at the top level
        HAR + ' {"log": 1}',
        '{"log": {"entries": {}}}',
        '{"log": {"version": "1.2"}}',
        '{"log": []}',
        '{"log": {"entries": [], "entries": []}}',
        '{"log": {"entries": []}, "log": {"entries": []}}',
        '{"log": {"entries": [1, ]}}',
        '{"log": {"entries": [{"response": {"status": "x"}}]}}',
        '{"log": {"entries": [{"response": {"status": "x"}}, }}',
        '{"interactions": [], "version": 1}',
        '["log"]',
        '{"log": {"entries": [' + "[" * 100_000 + "]}}",
        '{"log": {"entries": [{"response": {"status": ' + "9" * 5000 + "}}]}}",
        '{"log": {"entries": [{"a": "' + "1" * 700 + '", "b": ' + "9" * 5000 + "}]}}",
    ],
)
def test_odd_documents_read_as_the_whole_document_does(text: str) -> None:
    _agree(text)


def _error_line(text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "hostile.har"
    path.write_text(text)
    assert main(["inspect", str(path)]) != 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert str(path) in lines[0]
    return lines[0].split(f"{path}: ", 1)[1]


ONE_ENTRY = json.dumps(_entry())


@pytest.mark.parametrize(
    ("text", "said"),
    [
        pytest.param(
            '{"log": {"entries": [' + ONE_ENTRY + ",\n" + ONE_ENTRY[:150],
            f"line 2, column {ONE_ENTRY[:150].rfind(chr(34)) + 1}: invalid JSON: Unterminated string",
            id="truncated-mid-entry",
        ),
        pytest.param(
            '{"log": {"entries": []},\n "log": {}}',
            'line 2, column 2: invalid JSON: duplicate key "log" in one object',
            id="duplicate-key-outside-the-entries",
        ),
        pytest.param(
            '{"log": {"entries": [' + ONE_ENTRY + ",\n" + ONE_ENTRY.replace('"POST"', '"POST", "method": ""'),
            'log.entries[1] (line 2, column 1): invalid JSON: duplicate key "method" in one object',
            id="duplicate-key-in-an-entry",
        ),
        pytest.param(
            '{"log": {"entries": {"request": {}}}}',
            "log.entries: expected a list, got a mapping",
            id="entries-not-a-list",
        ),
        pytest.param(
            '{"log": {"entries": []}}\n{"log": {"entries": []}}',
            "line 2, column 1: invalid JSON: Extra data",
            id="junk-after-the-document",
        ),
        pytest.param(
            '{"log": {"entries": [\n' + ONE_ENTRY.replace("200", "9" * 5000) + "]}}",
            f"line 2, column {ONE_ENTRY.index('200') + 1}: invalid JSON: an integer too long to read",
            id="5000-digit-integer",
        ),
        pytest.param(
            '{"log": {"entries": [' + ONE_ENTRY.replace('"status": 200', '"status": "200"') + "]}}",
            "log.entries[0].response.status: expected an integer, got a string",
            id="wrong-type-in-an-entry",
        ),
    ],
)
def test_a_broken_har_is_one_line_naming_the_file_and_the_place(
    text: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _error_line(text, tmp_path, capsys).startswith(said)


def test_a_syntax_error_after_a_bad_entry_is_the_one_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole document is JSON before any entry is looked into, as when it is parsed at once."""
    bad = ONE_ENTRY.replace('"status": 200', '"status": "200"')
    line = _error_line('{"log": {"entries": [' + bad + ",\n" + ONE_ENTRY + ",]}}", tmp_path, capsys)
    assert line.startswith(f"line 2, column {len(ONE_ENTRY) + 2}: invalid JSON: ")


def test_a_har_holding_a_long_body_lets_its_text_go_before_encoding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its entry is most of the file: the rest is copied and the text read so far let go."""
    monkeypatch.setattr(json_stream, "_RELEASE_CHARS", 1)
    body = "data: " + "x" * 10_000 + "\n\n"
    entry = _entry()
    entry["response"]["content"]["text"] = body  # type: ignore[index]
    path = tmp_path / "long.har"
    path.write_text(json.dumps({"log": {"entries": [entry], "version": "1.2"}}) + "\n\n")
    (stream,) = load_cassette(path).streams
    assert stream.body == body.encode()


def _timed_entry(moment: float) -> str:
    entry = _entry(extension=True)
    entry["_harness"] = {"stream": {"chunk_sizes": [len(SSE)], "chunk_times": [moment], "cut": None}}
    return json.dumps(entry)


LATE_BAD_TIME = '{"log": {"entries": [' + ",\n".join([ONE_ENTRY, ONE_ENTRY, _timed_entry(1e9)]) + "]}}"


def test_a_late_error_shows_no_part_of_the_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Read an exchange at a time, the streams before the error were folded: none of it is shown."""
    said = _error_line(LATE_BAD_TIME, tmp_path, capsys)
    assert said.startswith("exchanges[2].response.stream.chunk_times[0]: a chunk arrives at 1000000000.0 s")
    assert main(["inspect", "--format", "json", str(tmp_path / "hostile.har")]) != 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "text",
    [
        LATE_BAD_TIME,
        LATE_BAD_TIME[:-3] + ", ]}}",  # the document's own error, after a bad time, comes first
        LATE_BAD_TIME.replace('"status": 200', '"status": "200"', 1) + " {",  # both after a bad entry
        '{"log": {"entries": [' + ",".join([_timed_entry(-1), ONE_ENTRY.replace("200", '"x"', 1)]) + "]}}",
        '{"log": {"entries": [' + ",".join([_timed_entry(float("nan")), _timed_entry(5e9)]) + "]}}",
        HAR,
    ],
)
def test_read_an_exchange_at_a_time_a_har_loads_or_fails_as_when_loaded_whole(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same exchanges, or the same first error, as ``load_cassette``; and ``validate`` (which
    reads so) says that error."""
    path = tmp_path / "run.har"
    path.write_text(text)
    whole, streamed = _outcome(lambda: load_cassette(path)), _outcome(lambda: collected(read_exchanges(path)))
    assert streamed == whole
    main(["validate", str(path)])
    out = capsys.readouterr().out
    if whole[0] == "error":
        assert isinstance(whole[1], tuple)
        reason, location = whole[1]
        assert f"error: does not load: {location}: {reason}" in out
    else:
        assert "does not load" not in out
