"""Files as people share them: several bodies pasted into one .sse, a merge conflict left in, a key
planted in a file that does not load, a diff read in a pull request, a chunk table gone wrong."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from harness.cassette import load_cassette
from harness.cassette.chunk_table import ChunkTableRefit, fit_chunk_table, refit_chunk_table
from harness.cassette.formats import native
from harness.cassette.formats.raw_sse import read_sse, split_bodies
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.cli import main
from harness.errors import CassetteError
from tests.cassette_formats.support import CORPUS, SSE_HEADERS

FIRST = (CORPUS / "010-openai-dotnet-function-requires-action-oct2025.sse").read_bytes()
SECOND = (CORPUS / "011-openai-dotnet-submit-tool-outputs-oct2025.sse").read_bytes()
FAKE_KEY = "sk-test-fake-planted-key-0123456789abcdef"


def test_events_after_done_in_a_raw_sse_start_the_next_body(tmp_path: Path) -> None:
    pasted = tmp_path / "conversation.sse"
    pasted.write_bytes(FIRST + b"\n" + SECOND + b": trailing comment\n")
    cassette = load_cassette(pasted)
    assert [stream.body for stream in cassette.streams] == [FIRST, b"\n" + SECOND + b": trailing comment\n"]
    assert split_bodies(FIRST) == [read_sse(FIRST).streams[0].frames]


RESPONSES = CORPUS / "responses"


def test_responses_bodies_pasted_back_to_back_are_two_streams(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Responses stream has no ``[DONE]``: its terminal event, then a ``response.created``, is
    where the next body starts, for the loader and for ``inspect`` alike."""
    first = (RESPONSES / "101-openllmetry-responses-text-unicode.sse").read_bytes()
    second = (RESPONSES / "105-pydantic-ai-responses-function-output-final-answer.sse").read_bytes()
    pasted = tmp_path / "conversation.sse"
    pasted.write_bytes(first + second)
    assert [stream.body for stream in load_cassette(pasted).streams] == [first, second]
    assert main(["inspect", str(pasted), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["responses"]) == 2 and report["final_response"]["status"] == "completed"
    assert not [d for d in report["diagnostics"] if d["severity"] == "error"]


def test_an_event_after_a_terminal_one_that_opens_nothing_stays_in_its_body(tmp_path: Path) -> None:
    first = (RESPONSES / "101-openllmetry-responses-text-unicode.sse").read_bytes()
    stray = b'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"x"}\n\n'
    pasted = tmp_path / "one.sse"
    pasted.write_bytes(first + stray)
    assert [stream.body for stream in load_cassette(pasted).streams] == [first + stray]


def test_the_exported_conversation_inspects_as_two_streams(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pasted = tmp_path / "conversation.sse"
    pasted.write_bytes(FIRST + SECOND)
    assert main(["inspect", str(pasted), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["final_run"]["status"] == "completed"
    assert not [d for d in report["diagnostics"] if "event-after-done" in json.dumps(d)]


def test_in_a_native_cassette_events_after_done_stay_a_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = RecordedStream.from_body(FIRST + SECOND)  # one recorded HTTP body: its boundaries are known
    cassette = Cassette(
        [
            Exchange(
                RecordedRequest("POST", "/v1/threads/runs"),
                RecordedResponse(200, "OK", SSE_HEADERS, stream=stream),
            )
        ]
    )
    path = tmp_path / "one-body.json"
    path.write_text(native.dumps(cassette))
    assert len(load_cassette(path).streams) == 1
    assert main(["inspect", str(path), "--format", "json"]) == 0
    assert "event-after-done" in capsys.readouterr().out


def test_a_git_conflict_marker_is_named_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "conflicted.json"
    lines = native.dumps(read_sse(FIRST)).splitlines()
    lines[5:5] = ["<<<<<<< HEAD", lines[5], "=======", lines[5], ">>>>>>> feature"]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CassetteError) as caught:
        load_cassette(path)
    assert caught.value.location == "line 6" and "git conflict marker" in caught.value.reason
    assert main(["validate", str(path)]) == 1
    assert "does not load: line 6: holds a git conflict marker" in capsys.readouterr().out


def test_validate_names_a_key_planted_in_a_file_that_does_not_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    text = native.dumps(read_sse(FIRST)).replace(
        '"method": "GET"', f'"method": "GET", "note": "{FAKE_KEY}"', 1
    )
    path.write_text(text.replace('"status": 200', '"status": "200"', 1))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "does not load" in out
    line = next(n for n, text_line in enumerate(text.splitlines(), 1) if FAKE_KEY in text_line)
    assert f"secret left in the raw text, line {line}: sk-tes..." in out
    assert FAKE_KEY not in out


def test_diff_lines_stay_short_and_name_the_changed_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = tmp_path / "edited.sse"
    edited.write_bytes(SECOND.replace(b'"status":"completed"', b'"status":"expired"'))
    assert main(["diff", str(CORPUS / "011-openai-dotnet-submit-tool-outputs-oct2025.sse"), str(edited)]) == 1
    out = capsys.readouterr().out
    assert '+  status = "expired"' in out and '-  status = "completed"' in out
    assert max(len(line) for line in out.splitlines()) <= 200


def test_long_strings_are_cut_into_pieces(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a.sse", tmp_path / "b.sse"
    long_text = "word " * 100
    for path, text in ((first, long_text), (second, long_text + "more")):
        payload = {
            "id": "msg_1",
            "object": "thread.message",
            "content": [{"type": "text", "text": {"value": text}}],
        }
        path.write_text(f"event: thread.message.completed\ndata: {json.dumps(payload)}\n\n")
    assert main(["diff", str(first), str(second)]) == 1
    out = capsys.readouterr().out
    assert "content[0].text.value += " in out
    assert max(len(line) for line in out.splitlines()[2:]) <= 140  # after the two file-name lines


FRAMES = [b"a" * 10, b"b" * 20, b"c" * 30, b"d" * 40]


def _aligned() -> tuple[list[int], list[float]]:
    return [len(frame) for frame in FRAMES], [0.1, 0.2, 0.3, 0.4]


def test_refit_keeps_the_chunks_before_and_after_an_edited_event() -> None:
    sizes, times = _aligned()
    edited = [FRAMES[0], b"B" * 25, FRAMES[2], FRAMES[3]]
    table = refit_chunk_table(edited, sizes, times)
    assert table.sizes == [10, 25, 30, 40] and table.times == times
    deleted = [FRAMES[0], FRAMES[2], FRAMES[3]]
    table = refit_chunk_table(deleted, sizes, times)
    assert table.sizes == [10, 30, 40] and table.times == [0.1, 0.3, 0.4]


def test_refit_of_unaligned_chunks_keeps_what_it_can_prove() -> None:
    # chunks cut mid-event: the cuts before the edit that fall on event ends are kept; the rest
    # arrives when the recorded chunk that ended the edited part did
    edited = [FRAMES[0], FRAMES[1], FRAMES[2] + b"!", FRAMES[3]]
    table = refit_chunk_table(edited, [30, 35, 35], [0.1, 0.2, 0.3])
    assert sum(table.sizes) == sum(len(frame) for frame in edited)
    assert table.sizes[0] == 30 and table.times[0] == 0.1
    assert table.times == sorted(table.times)


def test_a_table_whose_lists_differ_in_length_is_refit_to_one_chunk_per_event() -> None:
    with pytest.warns(ChunkTableRefit, match=r"x\.json: exchanges\[0\]\.response\.stream: the chunk table"):
        table = fit_chunk_table(FRAMES, [10, 90], [0.5], path="x.json", where="exchanges[0].response.stream")
    assert table.sizes == [10, 20, 30, 40] and table.times == [0.5] * 4


def test_a_table_that_adds_up_is_taken_as_recorded_and_no_table_is_one_chunk_per_event() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fit_chunk_table(FRAMES, [50, 0, 50], [0.1, 0.1, 0.2], path=None, where="s").sizes == [
            50,
            0,
            50,
        ]
        assert fit_chunk_table(FRAMES, [], [], path=None, where="s").sizes == [10, 20, 30, 40]
