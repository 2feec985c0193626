"""Cassettes from strangers: each bad file gives one CassetteError naming the file and the place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from harness.cassette.chunk_table import ChunkTableRefit
from harness.cassette.load import load_cassette
from harness.errors import CassetteError
from tests.cassette_formats.support import HOSTILE

CASES = [
    ("python-object-apply.yaml", "interactions[0].request (line 2, column 12)", "is not allowed"),
    ("ruby-object-tag.yml", "http_interactions[0].response (line 6", "!ruby/object"),
    ("billion-laughs.yaml", "line 2, column 8", "aliases"),
    ("deep-nesting.yaml", "line 1", "nested more than"),
    ("duplicate-keys.yaml", "interactions[0].request (line 5, column 5)", "duplicate key 'uri'"),
    ("truncated.yaml", "line 6, column 1", "invalid YAML"),
    ("truncated.json", "line 1, column 71", "invalid JSON"),
    (
        "wrong-type-status.yaml",
        "interactions[1].response.status.code (line 20, column 13)",
        "expected an integer, got a string",
    ),
    ("wrong-type-headers.json", "interactions[0].response.headers", "expected a mapping, got a list"),
    ("invalid-utf8.yaml", "line 5 (byte 104)", "not valid UTF-8"),
    ("empty.yaml", None, "the file is empty"),
    ("har-bad-base64.har", "log.entries[0].response.content.text", "invalid base64"),
    ("ruby-bad-base64.yml", "http_interactions[0].response.body.base64_string (line 19", "invalid base64"),
    ("cassetter-bad-hex.yaml", "interactions[0].response.body.content (line 16", "not valid hex"),
    ("harness-wrong-version.json", "harness_cassette", "unsupported cassette version 99"),
    ("harness-wrong-type-status.json", "exchanges[0].response.status", "expected an integer, got a string"),
    ("harness-bad-base64-event.json", "exchanges[0].response.stream.events[0]", "invalid base64"),
    ("harness-truncated.json", "line ", "invalid JSON"),
    ("harness-invalid-utf8.json", "line 6 (byte 79)", "not valid UTF-8"),
]


def test_a_chunk_table_that_does_not_add_up_is_refit_with_a_warning_naming_file_and_stream() -> None:
    path = HOSTILE / "harness-chunk-table-mismatch.json"
    with pytest.warns(ChunkTableRefit) as caught:
        cassette = load_cassette(path)
    (warning,) = caught
    assert str(warning.message).startswith(f"{path}: exchanges[0].response.stream: the chunk table")
    (stream,) = cassette.streams
    assert stream.chunk_sizes == [len(stream.body)] and stream.chunk_times == [0.001]


@pytest.mark.parametrize(("file_name", "place", "message"), CASES, ids=[case[0] for case in CASES])
def test_bad_cassette_gives_one_clear_error(file_name: str, place: str | None, message: str) -> None:
    path = HOSTILE / file_name
    with pytest.raises(CassetteError) as caught:
        load_cassette(path)
    text = str(caught.value)
    assert text.startswith(str(path))
    assert message in text
    if place is not None:
        assert caught.value.location is not None and caught.value.location.startswith(place)


def test_python_tag_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cassette = tmp_path / "evil.yaml"
    shutil.copy(HOSTILE / "python-object-apply.yaml", cassette)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CassetteError):
        load_cassette(cassette)
    assert not (tmp_path / "pwned-marker").exists()
    # The fixture is live: an unsafe loader really would run the command.
    yaml.unsafe_load(cassette.read_text())
    assert (tmp_path / "pwned-marker").exists()


def test_a_directory_is_not_a_cassette() -> None:
    with pytest.raises(CassetteError, match="is a directory"):
        load_cassette(HOSTILE)


def test_compressed_stream_that_inflates_too_far_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip

    from harness.cassette.formats import http_parts

    monkeypatch.setattr(http_parts, "MAX_DECOMPRESSED_BYTES", 1000)
    packed = gzip.compress(b"data: " + b"0" * 5000 + b"\n\n")
    path = tmp_path / "bomb.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "interactions": [
                    {
                        "request": {
                            "method": "GET",
                            "uri": "https://example.test/",
                            "body": None,
                            "headers": {},
                        },
                        "response": {
                            "status": {"code": 200, "message": "OK"},
                            "body": {"string": packed},
                            "headers": {"content-type": ["text/event-stream"], "content-encoding": ["gzip"]},
                        },
                    }
                ],
                "version": 1,
            }
        )
    )
    with pytest.raises(CassetteError, match="decompresses to more than 1000 bytes") as caught:
        load_cassette(path)
    assert caught.value.location is not None and caught.value.location.startswith("interactions[0].response")


def test_jsonl_event_line_edited_without_its_raw_frame_is_refused(tmp_path: Path) -> None:
    from harness.cassette.registry import export
    from tests.cassette_formats.support import tool_call_cassette

    lines = export(tool_call_cassette(), "jsonl").decode().splitlines()
    lines[3] = lines[3].replace('"event":"thread.created"', '"event":"thread.deleted"')
    path = tmp_path / "edited.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CassetteError, match="edit raw") as caught:
        load_cassette(path)
    assert caught.value.location == "line 4"
