"""``harness export PATH --format FORMAT [-o FILE]``: a cassette in a format other tools read.

Writes to stdout unless ``-o`` is given. Refuses a cassette that still
holds a secret (run ``harness scrub`` on it first). ``harness import``
reads every one of these formats back.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from harness.cassette.atomic import OutputPathError, check_output_path, write_atomically
from harness.cassette.registry import ExportError, export, format_named, writable_formats
from harness.cassette.secrets import cassette_secrets
from harness.cli.cassettes import open_cassette
from harness.cli.errors import CommandError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("path", metavar="PATH", help="a cassette in any format the harness reads")
    parser.add_argument(
        "--format",
        required=True,
        choices=writable_formats(),
        help="; ".join(f"{name}: {format_named(name).description}" for name in writable_formats()),
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    cassette = open_cassette(args.path)
    findings = cassette_secrets(cassette)
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
        output = Path(args.output)
        try:
            check_output_path(output, original=Path(args.path))
        except OutputPathError as error:
            raise CommandError(str(error)) from None
        write_atomically(output, data)
        print(f"wrote {args.output} ({args.format}, {len(cassette.exchanges)} exchanges)", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0
