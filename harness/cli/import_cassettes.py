"""``harness import FILE_OR_DIR... (--cassette OUT | --out-dir DIR)``: import other tools' cassettes.

Reads every file named and every file under the folders named (vcrpy,
pytest-recording, Ruby VCR, HAR, cassetter, Azure test-proxy session
records, jsonl, raw .sse), keeps those holding an Assistants run stream and
scrubs them. With ``--out-dir`` each input file becomes a harness cassette
of its own, at the same place below DIR as below the folder named (the
migration of a ``tests/cassettes/`` tree). With ``--cassette`` they are all
merged, in path order, into one cassette. Prints what was converted and what
was skipped, and why. A file that exists is replaced only with ``--force``,
and nothing is written when the import fails.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from harness.cassette.convert import (
    ConvertedFile,
    ImportedFile,
    SkippedFile,
    import_each,
    import_files,
    nothing_to_import,
)
from harness.cassette.model import Exchange, RecordedStream
from harness.cassette.spool import CassetteSpool
from harness.cli.errors import CommandError
from harness.errors import SecretLeakError
from harness.recording.encoding import decoded_content, decoded_stream
from harness.scrub import ScrubRules, scrub_exchange, scrub_metadata

BAR_WIDTH = 30


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="files and folders to read")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--cassette",
        metavar="OUT",
        help="merge the run streams of every file into this one harness cassette",
    )
    target.add_argument(
        "--out-dir",
        metavar="DIR",
        help="write one harness cassette per input file under DIR, mirroring the input tree",
    )
    parser.add_argument("--force", action="store_true", help="replace output files that exist")
    parser.set_defaults(handler=run)


class ProgressBar:
    """``[#####-----] 12/40 name`` on stderr: redrawn in place on a terminal, drawn once at the end
    otherwise (so logs get one line, not one per file)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._last = ""

    def __call__(self, done: int, total: int, path: Path) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        self._last = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total} files"
        if self._live:
            self._stream.write(f"\r{self._last} {path.name[:40]:<40}")
            self._stream.flush()

    def finish(self) -> None:
        if self._last:
            padding = " " * 41 if self._live else ""
            self._stream.write(("\r" if self._live else "") + f"{self._last}{padding}\n")
            self._stream.flush()


def run(args: argparse.Namespace) -> int:
    missing = [name for name in args.paths if not Path(name).exists()]
    if missing:
        raise CommandError(f"{missing[0]}: no such file or folder")
    if args.out_dir is not None:
        return _run_per_file(args)
    out = Path(args.cassette)
    if out.exists() and not args.force:
        raise CommandError(f"{out} exists; pass --force to replace it")
    bar = ProgressBar(sys.stderr)
    with CassetteSpool() as spool:
        try:
            report = import_files(args.paths, progress=bar, keep=is_run_stream, sink=_Scrubbed(spool))
        finally:
            bar.finish()
        print_report(report.converted, report.skipped)
        if not report.converted:
            raise CommandError(nothing_to_import(report.skipped))
        _save(spool, report.cassette.metadata, out)
    streams = sum(item.run_streams for item in report.converted)
    print(f"wrote {out}: {spool.count} exchanges, {streams} run streams from {len(report.converted)} file(s)")
    return 0


def _run_per_file(args: argparse.Namespace) -> int:
    """Each file converted is written before the next is read; what was done is said at the end,
    in the order of a run converting every file first (the progress bar is drawn meanwhile)."""
    out_dir = Path(args.out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise CommandError(f"--out-dir {out_dir} is a file, not a folder")
    bar = ProgressBar(sys.stderr)
    converted: list[ImportedFile] = []
    skipped: list[SkippedFile] = []
    said: list[tuple[str, TextIO]] = []  # each file's "wrote" line or error, to print after the report
    written: dict[Path, Path] = {}
    with CassetteSpool() as spool:
        try:
            for item in import_each(args.paths, progress=bar, keep=is_run_stream, sink=_Scrubbed(spool)):
                if isinstance(item, SkippedFile):
                    skipped.append(item)
                    continue
                converted.append(item.imported)
                try:
                    said.append((_write_one(item, spool, out_dir, written, force=args.force), sys.stdout))
                except CommandError as error:
                    said.append((f"harness import: error: {error}", sys.stderr))
                spool.clear()
        finally:
            bar.finish()
    print_report(converted, skipped)
    if not converted:
        raise CommandError(nothing_to_import(skipped))
    for line, stream in said:
        print(line, file=stream)
    print(f"wrote {len(written)} cassette(s) under {out_dir}")
    return 1 if any(stream is sys.stderr for _, stream in said) else 0


def _write_one(
    item: ConvertedFile, spool: CassetteSpool, out_dir: Path, written: dict[Path, Path], *, force: bool
) -> str:
    out = out_dir / item.relative
    source = item.imported.path
    if out in written:
        raise CommandError(f"{source}: not written: {out} already holds {written[out]}")
    if out.exists() and not force:
        raise CommandError(f"{source}: not written: {out} exists; pass --force to replace it")
    _save(spool, item.cassette.metadata, out)
    written[out] = source
    return f"wrote {out} ({item.imported.run_streams} run streams from {source})"


def is_run_stream(stream: RecordedStream) -> bool:
    """Whether a protocol the harness knows (Assistants, Responses, Chat) claims the stream's events."""
    from harness.protocols import claimed_by

    return claimed_by(event.event for event in stream.iter_events()) is not None


class _Scrubbed:
    """A sink scrubbing the exchanges read (their bodies decoded first, so that the scrubber sees
    the text) before the spool writes them out: the exchanges read are not needed as they were.

    They are taken in batches of at most ``BATCH`` exchanges or ``BATCH_BYTES`` of bodies, each
    step run over a batch before the next: a third less CPU than an exchange at a time."""

    BATCH = 512
    BATCH_BYTES = 1 << 20

    def __init__(self, spool: CassetteSpool) -> None:
        self._spool = spool
        self._rules = ScrubRules()
        self._batch: list[Exchange] = []
        self._bytes = 0

    def add(self, exchange: Exchange) -> None:
        self._batch.append(exchange)
        self._bytes += len(exchange.request.body) + len(exchange.response.content)
        if len(self._batch) >= self.BATCH or self._bytes >= self.BATCH_BYTES:
            self._flush()

    def _flush(self) -> None:
        batch, self._batch, self._bytes = self._batch, [], 0
        for exchange in batch:
            response = exchange.response
            if response.stream is not None:
                response.headers, response.stream = decoded_stream(response.headers, response.stream)
            else:
                response.headers, response.body = decoded_content(response.headers, response.body)
        scrubbed = [scrub_exchange(exchange, self._rules) for exchange in batch]
        del batch
        self._spool.add_all([exchange for exchange in scrubbed if exchange is not None])

    def checkpoint(self) -> None:
        self._flush()
        self._spool.checkpoint()

    def rollback(self) -> None:
        self._batch, self._bytes = [], 0
        self._spool.rollback()


def _save(spool: CassetteSpool, metadata: dict[str, Any], out: Path) -> None:
    scrub_metadata(metadata, ScrubRules())
    try:
        spool.save(out, metadata)
    except SecretLeakError as error:
        raise CommandError(str(error)) from None


def print_report(converted: list[ImportedFile], skipped: list[SkippedFile]) -> None:
    for item in converted:
        print(
            f"converted {item.path} ({item.source_format}: {item.exchanges} exchanges, "
            f"{item.run_streams} run streams)"
        )
    for entry in skipped:
        print(f"skipped   {entry.path}: {entry.reason}")
    kinds = Counter(entry.kind for entry in skipped)
    detail = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    print(f"{len(converted)} converted, {len(skipped)} skipped" + (f" ({detail})" if detail else ""))
