"""The JSON text of a cassette reads the same whichever parser reads it: documents the fast parser
refuses (deep nesting, a lone surrogate escape) still load as JSON allows, and a duplicate key is
refused in a file too large for the fast parser too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cassette.formats import json_text
from harness.cassette.load import load_cassette
from harness.errors import CassetteError

EVENT = "event: done\ndata: [DONE]\n\n"


def _native(metadata: str) -> str:
    return (
        '{"harness_cassette": 1, "metadata": ' + metadata + ', "exchanges": [{"request": {"method": "POST", '
        '"url": "https://api.openai.com/v1/threads/runs", "headers": [], "body": "{}"}, '
        '"response": {"status": 200, "reason": "OK", "headers": [], "stream": '
        f'{{"cut": null, "chunk_sizes": [{len(EVENT)}], "chunk_ms": [0.0], '
        f'"events": [{json.dumps(EVENT)}]}}}}}}]}}'
    )


@pytest.mark.parametrize(
    "metadata",
    [
        '{"deep": ' + "[" * 400 + "]" * 400 + "}",
        '{"note": "half a pair: \\ud83d"}',
        '{"n": NaN, "big": 1e400}',
    ],
    ids=["nested-400-deep", "lone-surrogate", "non-finite"],
)
def test_json_the_fast_parser_refuses_loads_as_json_allows(metadata: str, tmp_path: Path) -> None:
    path = tmp_path / "cassette.json"
    path.write_text(_native(metadata), encoding="utf-8")
    assert repr(load_cassette(path).metadata) == repr(json.loads(metadata))


def test_a_duplicate_key_in_a_file_too_large_for_the_fast_parser_is_refused(tmp_path: Path) -> None:
    padding = "x" * (json_text._FAST_TEXT_CHARS + 1)
    path = tmp_path / "large.json"
    path.write_text(_native(f'{{"note": "{padding}", "note": "again"}}'), encoding="utf-8")
    with pytest.raises(CassetteError) as caught:
        load_cassette(path)
    assert 'invalid JSON: duplicate key "note" in one object' in str(caught.value)


def test_without_jiter_json_loads_reads_and_refuses_alike(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(json_text, "jiter", None)
    path = tmp_path / "cassette.json"
    path.write_text(_native('{"n": 1}'), encoding="utf-8")
    assert load_cassette(path).metadata == {"n": 1}
    path.write_text(_native('{"n": 1, "n": 2}'), encoding="utf-8")
    with pytest.raises(CassetteError, match='duplicate key "n"'):
        load_cassette(path)


@pytest.mark.parametrize("padding", [0, 300_000], ids=["small-file", "large-file"])
def test_a_string_cut_off_is_said_without_the_words_that_led_to_its_place(
    padding: int, tmp_path: Path
) -> None:
    text = _native('{"note": "' + "x" * padding + '"}')
    cut = text.index("https://api")  # the file ends inside the URL's string
    path = tmp_path / "cassette.json"
    path.write_text(text[:cut], encoding="utf-8")

    with pytest.raises(CassetteError) as caught:
        load_cassette(path)

    line = str(caught.value)
    assert line.endswith(": invalid JSON: Unterminated string"), line  # json says "... starting at"
    assert f"column {text[:cut].rfind(chr(34)) + 1}:" in line.replace(str(path), "")


def test_each_reason_json_gives_reads_whole_after_the_place() -> None:
    broken = {
        '"cut': "Unterminated string",
        '"tab\there"': "Invalid control character",
        "[1,]": "Expecting value",
    }
    for text, reason in broken.items():
        with pytest.raises(json.JSONDecodeError) as caught:
            json.loads(text)
        assert json_text.json_reason(caught.value) == reason
