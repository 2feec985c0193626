"""``harness export PATH --format sse|har|jsonl [-o FILE]``: a cassette in a format other tools read.

Writes to stdout unless ``-o`` is given. Refuses a cassette that still
holds a secret (run ``harness scrub`` on it first).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from harness.cassette.atomic import write_atomically
from harness.cassette.export import ExportError, export
from harness.cli.cassettes import open_cassette
from harness.cli.errors import CommandError
from harness.scrub import find_secrets

FORMATS = ("sse", "har", "jsonl")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("path", metavar="PATH", help="a cassette in any format the harness reads")
    parser.add_argument(
        "--format",
        required=True,
        choices=FORMATS,
        help="sse: the stream bodies one after the other; har: HTTP Archive 1.2; "
        "jsonl: one JSON object per line",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    cassette = open_cassette(args.path)
    findings = find_secrets(cassette.exchanges)
    if findings:
        raise CommandError(
            f"{args.path} still holds {len(findings)} secret(s) (first: {findings[0]}); "
            f"run `harness scrub {args.path}` first"
        )
    if args.format == "sse" and not cassette.streams:
        raise CommandError(f"{args.path} holds no event stream to export as .sse")
    try:
        data = export(cassette, args.format)
    except ExportError as error:
        raise CommandError(str(error)) from None
    if args.output:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise CommandError(f"{args.path}: the exported body is not UTF-8 text") from None
        write_atomically(Path(args.output), text)
        print(f"wrote {args.output} ({args.format}, {len(cassette.exchanges)} exchanges)", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0
