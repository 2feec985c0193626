"""Importing many cassettes at once: walk files and folders, keep those holding a run stream.

The result is one merged :class:`Cassette` plus, for every file looked at,
either what was taken from it or why it was skipped, for the CLI to print.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from harness.cassette.load import UnrecognisedFormatError, load_cassette
from harness.cassette.model import Cassette, RecordedStream
from harness.errors import CassetteError
from harness.protocols import claimed_by

Progress = Callable[[int, int, Path], None]
SkipKind = Literal["not-a-cassette", "no-run-stream", "unreadable"]

_SKIPPED_DIRECTORIES = {"__pycache__", "node_modules"}


@dataclass(frozen=True, slots=True)
class ImportedFile:
    path: Path
    source_format: str
    exchanges: int
    run_streams: int


@dataclass(frozen=True, slots=True)
class SkippedFile:
    path: Path
    kind: SkipKind
    reason: str


@dataclass(slots=True)
class ImportReport:
    cassette: Cassette
    converted: list[ImportedFile] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

    @property
    def source_format(self) -> str:
        """The registry key of the format every converted file was in, or ``mixed``."""
        formats = {item.source_format for item in self.converted}
        return formats.pop() if len(formats) == 1 else "mixed"


def is_run_stream(stream: RecordedStream) -> bool:
    """Whether a protocol the harness knows recognises the stream's events."""
    return claimed_by(event.event for event in stream.events()) is not None


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and those found under the folders named (hidden folders left out)."""
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            files.append(path)
            continue
        for folder, subfolders, names in os.walk(path):
            subfolders[:] = sorted(
                name for name in subfolders if not name.startswith(".") and name not in _SKIPPED_DIRECTORIES
            )
            files.extend(Path(folder, name) for name in sorted(names) if not name.startswith("."))
    return files


def import_files(paths: Iterable[str | Path], *, progress: Progress | None = None) -> ImportReport:
    """Load every cassette under ``paths`` and merge those holding a run stream, in path order."""
    files = collect_files(paths)
    report = ImportReport(Cassette(metadata={"imported_from": []}))
    for number, path in enumerate(files, 1):
        _import_one(path, report)
        if progress is not None:
            progress(number, len(files), path)
    formats = {item.source_format for item in report.converted}
    if len(formats) == 1:
        report.cassette.source_format = formats.pop()
    return report


def _import_one(path: Path, report: ImportReport) -> None:
    try:
        cassette = load_cassette(path)
    except UnrecognisedFormatError:
        report.skipped.append(SkippedFile(path, "not-a-cassette", "not a format the harness reads"))
        return
    except CassetteError as error:
        report.skipped.append(SkippedFile(path, "unreadable", str(error)))
        return
    except OSError as error:
        report.skipped.append(SkippedFile(path, "unreadable", f"{path}: cannot read: {error.strerror}"))
        return
    run_streams = sum(1 for stream in cassette.streams if is_run_stream(stream))
    if not run_streams:
        report.skipped.append(
            SkippedFile(
                path,
                "no-run-stream",
                f"{cassette.source_format} cassette with {len(cassette.exchanges)} "
                f"exchange(s), {len(cassette.streams)} event stream(s), none an "
                "Assistants run stream",
            )
        )
        return
    report.cassette.exchanges.extend(cassette.exchanges)
    report.cassette.metadata["imported_from"].append(
        {"path": str(path), "format": cassette.source_format, "exchanges": len(cassette.exchanges)}
    )
    notes = cassette.metadata.get("import_notes")
    if notes:
        report.cassette.metadata.setdefault("import_notes", []).extend(f"{path}: {note}" for note in notes)
    report.converted.append(ImportedFile(path, cassette.source_format, len(cassette.exchanges), run_streams))
