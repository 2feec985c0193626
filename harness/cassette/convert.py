"""Importing many cassettes at once: walk files and folders, keep those holding a run stream.

:func:`import_files` merges them into one :class:`Cassette`; :func:`import_each`
keeps one cassette per input file. Either way, for every file looked at, the
report says what was taken from it or why it was skipped, for the CLI to print.

Files are read an exchange at a time (:func:`~harness.cassette.load.read_exchanges`), each
exchange handed to a :class:`Sink` as it is read: by default a list (the cassettes returned hold
their exchanges), for ``harness import`` a spool writing them out
(:class:`~harness.cassette.spool.CassetteSpool`), so a large file is never held whole. A file then
skipped (no run stream, or an error found past its first exchanges) has its exchanges taken back.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from harness.cassette.load import EMPTY_FILE, UnrecognisedFormatError, read_exchanges
from harness.cassette.model import Cassette, Exchange, ExchangeReading, RecordedStream
from harness.errors import CassetteError

Progress = Callable[[int, int, Path], None]
Keep = Callable[[RecordedStream], bool]  # which streams make a file worth importing
SkipKind = Literal["not-a-cassette", "no-run-stream", "unreadable"]

_SKIPPED_DIRECTORIES = {"__pycache__", "node_modules"}


class Sink(Protocol):
    """Where the exchanges of the files read go, one at a time, as they are read."""

    def add(self, exchange: Exchange) -> None: ...

    def checkpoint(self) -> None:
        """Keep the exchanges added so far (the file just read is imported)."""

    def rollback(self) -> None:
        """Take back the exchanges added since the last checkpoint (the file just read is skipped)."""


class _Collected:
    """The default sink: the exchanges in a list."""

    def __init__(self) -> None:
        self.exchanges: list[Exchange] = []
        self._kept = 0

    def add(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)

    def checkpoint(self) -> None:
        self._kept = len(self.exchanges)

    def rollback(self) -> None:
        del self.exchanges[self._kept :]


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


def holds_events(stream: RecordedStream) -> bool:
    """The default of ``keep``: a stream with at least one event. The CLI asks for more (a stream
    a protocol of :mod:`harness.protocols` claims); this layer does not know the protocols."""
    return any(True for _ in stream.events())


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


def import_files(
    paths: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    keep: Keep = holds_events,
    sink: Sink | None = None,
) -> ImportReport:
    """Load every cassette under ``paths`` and merge those holding a run stream, in path order.

    The exchanges go to ``sink`` as read; without one, they are the report's cassette's."""
    report = ImportReport(Cassette(metadata={"imported_from": []}))
    collected = _Collected()
    target = collected if sink is None else sink
    for cassette, outcome in _each_file(paths, progress, keep, target):
        if isinstance(outcome, SkippedFile):
            report.skipped.append(outcome)
            continue
        assert cassette is not None
        report.cassette.metadata["imported_from"].append(
            {"path": str(outcome.path), "format": outcome.source_format, "exchanges": outcome.exchanges}
        )
        notes = cassette.metadata.get("import_notes")
        if notes:
            report.cassette.metadata.setdefault("import_notes", []).extend(
                f"{outcome.path}: {note}" for note in notes
            )
        report.converted.append(outcome)
    if sink is None:
        report.cassette.exchanges = collected.exchanges
    if report.source_format != "mixed":
        report.cassette.source_format = report.source_format
    return report


@dataclass(frozen=True, slots=True)
class ConvertedFile:
    """One input file's run streams, as a cassette of its own, and where it goes in a mirrored tree."""

    cassette: Cassette
    imported: ImportedFile
    relative: Path


def import_each(
    paths: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    keep: Keep = holds_events,
    sink: Sink | None = None,
) -> Iterator[ConvertedFile | SkippedFile]:
    """Load every cassette under ``paths``, one cassette per file holding a run stream, a file at
    a time: each file's outcome is yielded before the next file is read.

    ``relative`` is the file's path below the folder named (its name alone for a file named
    directly), with the harness suffix, so that the outputs mirror the input tree. The exchanges
    go to ``sink`` as read (a consumer writes those of a converted file, and clears it, before
    asking for the next); without one, each converted cassette holds its own.
    """
    target = sink if sink is not None else _Collected()
    for cassette, outcome in _each_file(paths, progress, keep, target):
        if isinstance(outcome, SkippedFile):
            yield outcome
            continue
        assert cassette is not None
        cassette.metadata = {
            **{key: value for key, value in cassette.metadata.items() if key != "import_notes"},
            "imported_from": [{"path": str(outcome.path), "format": outcome.source_format}],
            **(
                {"import_notes": cassette.metadata["import_notes"]}
                if "import_notes" in cassette.metadata
                else {}
            ),
        }
        cassette.source_format = "harness"
        if sink is None:
            assert isinstance(target, _Collected)
            cassette.exchanges, target.exchanges = target.exchanges, []
            target.checkpoint()
        yield ConvertedFile(cassette, outcome, _relative(outcome.path, paths))


def _relative(path: Path, roots: Iterable[str | Path]) -> Path:
    for root in map(Path, roots):
        if root.is_dir() and path.is_relative_to(root):
            return path.relative_to(root).with_suffix(".json")
    return Path(path.name).with_suffix(".json")


def nothing_to_import(skipped: list[SkippedFile]) -> str:
    """Why an import found no run stream, telling unrecognised formats from files without one."""
    kinds = Counter(item.kind for item in skipped)
    if not skipped:
        return "nothing to import: no files found"
    parts = []
    if kinds["not-a-cassette"]:
        parts.append(f"{kinds['not-a-cassette']} file(s) in a format the harness does not recognise")
    if kinds["no-run-stream"]:
        parts.append(f"{kinds['no-run-stream']} cassette(s) read that hold no Assistants run stream")
    if kinds["unreadable"]:
        parts.append(f"{kinds['unreadable']} file(s) that could not be read")
    return "nothing to import: " + "; ".join(parts)


def _each_file(
    paths: Iterable[str | Path], progress: Progress | None, keep: Keep, sink: Sink
) -> Iterator[tuple[Cassette | None, ImportedFile | SkippedFile]]:
    files = collect_files(paths)
    for number, path in enumerate(files, 1):
        cassette, outcome = _read_one(path, keep, sink)
        if isinstance(outcome, SkippedFile):
            sink.rollback()
        else:
            sink.checkpoint()
        yield cassette, outcome
        if progress is not None:
            progress(number, len(files), path)


def _read_one(path: Path, keep: Keep, sink: Sink) -> tuple[Cassette | None, ImportedFile | SkippedFile]:
    """Read ``path`` an exchange at a time into ``sink``: the cassette without its exchanges, and
    what was taken from it, or why it is skipped."""
    reading = read_exchanges(path)
    exchanges = streams = run_streams = 0
    while isinstance(item := _next_exchange(reading, path), Exchange):
        exchanges += 1
        stream = item.response.stream
        if stream is not None:
            streams += 1
            run_streams += keep(stream)
        sink.add(item)  # out of the reading's try: what the sink raises is not the file's fault
        del item
    if isinstance(item, SkippedFile):
        return None, item
    if not run_streams:
        return None, SkippedFile(
            path,
            "no-run-stream",
            f"{item.source_format} cassette with {exchanges} "
            f"exchange(s), {streams} event stream(s), none an "
            "Assistants run stream",
        )
    return item, ImportedFile(path, item.source_format, exchanges, run_streams)


def _next_exchange(reading: ExchangeReading, path: Path) -> Exchange | Cassette | SkippedFile:
    """The next exchange of ``reading``; at its end, the cassette it returns; or why ``path`` is skipped."""
    try:
        return next(reading)
    except StopIteration as stop:
        cassette: Cassette = stop.value
        return cassette
    except UnrecognisedFormatError as error:
        reason = error.reason if error.reason == EMPTY_FILE else "not a format the harness reads"
        return SkippedFile(path, "not-a-cassette", reason)
    except CassetteError as error:
        return SkippedFile(path, "unreadable", str(error))
    except OSError as error:
        return SkippedFile(path, "unreadable", f"{path}: cannot read: {error.strerror}")
