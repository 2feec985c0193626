"""``harness import FILE_OR_DIR... --cassette OUT``: gather run streams from other tools' cassettes.

Reads every file named and every file under the folders named (vcrpy,
pytest-recording, Ruby VCR, HAR, cassetter, jsonl, raw .sse), keeps those
holding an Assistants run stream, scrubs them, and writes one harness
cassette. Prints what was converted and what was skipped, and why.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from harness.cassette.convert import ImportReport, import_files
from harness.cassette.save import save_cassette
from harness.cli.errors import CommandError
from harness.errors import SecretLeakError
from harness.recording.encoding import decoded_content, decoded_stream
from harness.scrub import scrubbed_cassette

BAR_WIDTH = 30


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="convert vcrpy / Ruby VCR / HAR / cassetter / jsonl / .sse files into one harness cassette",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="files and folders to read")
    parser.add_argument("--cassette", required=True, metavar="OUT", help="the harness cassette to write")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
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
    out = Path(args.cassette)
    if out.exists() and not args.force:
        raise CommandError(f"{out} exists; pass --force to replace it")
    missing = [name for name in args.paths if not Path(name).exists()]
    if missing:
        raise CommandError(f"{missing[0]}: no such file or folder")
    bar = ProgressBar(sys.stderr)
    try:
        report = import_files(args.paths, progress=bar)
    finally:
        bar.finish()
    print_report(report)
    if not report.converted:
        raise CommandError("nothing to import: no file held an Assistants run stream")
    cassette = report.cassette
    for exchange in cassette.exchanges:  # decoded first, so that the scrubber sees the text
        response = exchange.response
        if response.stream is not None:
            response.headers, response.stream = decoded_stream(response.headers, response.stream)
        else:
            response.headers, response.body = decoded_content(response.headers, response.body)
    cassette = scrubbed_cassette(cassette)
    try:
        save_cassette(cassette, out)
    except SecretLeakError as error:
        raise CommandError(str(error)) from None
    streams = sum(item.run_streams for item in report.converted)
    print(
        f"wrote {out}: {len(cassette.exchanges)} exchanges, {streams} run streams "
        f"from {len(report.converted)} file(s)"
    )
    return 0


def print_report(report: ImportReport) -> None:
    for item in report.converted:
        print(
            f"converted {item.path} ({item.source_format}: {item.exchanges} exchanges, "
            f"{item.run_streams} run streams)"
        )
    for skipped in report.skipped:
        print(f"skipped   {skipped.path}: {skipped.reason}")
    kinds = Counter(skipped.kind for skipped in report.skipped)
    detail = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    print(
        f"{len(report.converted)} converted, {len(report.skipped)} skipped"
        + (f" ({detail})" if detail else "")
    )
