"""``export`` then ``import`` is the identity on the reconstruction, for every export format, every
emulator scenario and every real stream, and ``validate`` passes on the result."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cassette import load_cassette, save_cassette
from harness.cassette.convert import import_files
from harness.cassette.formats.raw_sse import read_sse
from harness.cassette.model import Cassette
from harness.cassette.registry import export, format_named, writable_formats
from harness.cli.checks import check_file
from harness.emulator import SCENARIO_NAMES
from harness.reconstruct import Transcript, reconstruct
from harness.sse import parse_sse
from tests.cassette_formats.support import CORPUS
from tests.cli.record_support import record

REAL_STREAMS = sorted(CORPUS.glob("*.sse"))
SOURCES = [f"scenario:{name}" for name in SCENARIO_NAMES] + [f"real:{path.name[:3]}" for path in REAL_STREAMS]


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("originals")
    paths = {f"scenario:{name}": record(folder / f"{name}.json", name) for name in SCENARIO_NAMES}
    for sse in REAL_STREAMS:
        path = folder / f"{sse.stem}.json"
        save_cassette(read_sse(sse.read_bytes(), sse), path)
        paths[f"real:{sse.name[:3]}"] = path
    return paths


def reconstruction(cassette: Cassette) -> Transcript:
    return reconstruct([parse_sse(stream.frames) for stream in cassette.streams])


def errors(path: Path) -> list[str]:
    return [finding.text for finding in check_file(path) if finding.level == "error"]


@pytest.fixture(scope="module")
def original_errors(originals: dict[str, Path]) -> dict[str, list[str]]:
    return {source: errors(path) for source, path in originals.items()}


@pytest.mark.parametrize("format_name", writable_formats())
@pytest.mark.parametrize("source", SOURCES)
def test_export_then_import_reconstructs_the_same_conversation(
    source: str,
    format_name: str,
    originals: dict[str, Path],
    original_errors: dict[str, list[str]],
    tmp_path: Path,
) -> None:
    original_path = originals[source]
    original = load_cassette(original_path)
    exported = tmp_path / f"exported{format_named(format_name).suffix}"
    exported.write_bytes(export(original, format_name))

    report = import_files([exported])
    assert report.skipped == [] and len(report.converted) == 1
    imported = tmp_path / "imported.json"
    save_cassette(report.cassette, imported)

    before, after = reconstruction(original), reconstruction(load_cassette(imported))
    assert after.runs == before.runs
    assert after.run_steps == before.run_steps
    assert after.messages == before.messages
    assert after.event_names == before.event_names
    assert len(after.stream_starts) == len(before.stream_starts)
    assert errors(imported) == original_errors[source]


def test_every_original_validates(original_errors: dict[str, list[str]]) -> None:
    failing = {source: found for source, found in original_errors.items() if found}
    # the emulator's `error` scenario ends its stream with an error event on purpose
    assert set(failing) <= {"scenario:error"}, failing
