"""A cassette that claims paths outside its folder: nothing is read or written there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cassette import load_cassette
from harness.cli import main
from tests.playback.conftest import real_body


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_paths_claimed_by_a_cassette_are_neither_followed_nor_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.json").write_text("untouched")
    folder = tmp_path / "bug-report" / "cassettes"
    folder.mkdir(parents=True)
    body = real_body("020").decode()
    claims = "../../outside/victim.json"
    cassette = folder / "report.json"
    cassette.write_text(
        json.dumps(
            {
                "harness_cassette": 1,
                "metadata": {
                    "path": claims,
                    "cassette": str(outside / "victim.json"),
                    "imported_from": [claims],
                },
                "exchanges": [
                    {
                        "request": {
                            "method": "POST",
                            "url": "file:///../../outside/victim.json",
                            "headers": [],
                            "body": "{}",
                        },
                        "response": {
                            "status": 200,
                            "reason": "OK",
                            "headers": [["content-type", "text/event-stream"], ["content-location", claims]],
                            "stream": {
                                "cut": None,
                                "chunk_sizes": [len(body.encode())],
                                "chunk_ms": [0],
                                "events": [body],
                            },
                        },
                    }
                ],
            }
        )
    )
    before = _tree(outside)
    assert load_cassette(cassette).metadata["path"] == claims  # kept as data, never used as a path
    assert main(["inspect", str(cassette)]) == 0
    assert main(["validate", str(cassette)]) == 0
    assert main(["scrub", str(cassette)]) == 0
    assert main(["export", str(cassette), "--format", "har", "-o", str(folder / "report.har")]) == 0
    assert main(["bundle", str(cassette), "--output", str(tmp_path / "bundle")]) == 0
    capsys.readouterr()
    assert _tree(outside) == before
    written = {path.relative_to(tmp_path).parts[0] for path in tmp_path.rglob("*") if path.is_file()}
    assert written == {"outside", "bug-report", "bundle"}
