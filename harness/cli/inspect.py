"""``harness inspect PATH [--format text|json]``: what a recorded stream contains, and what it folds into."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from harness.cli.cassettes import event_streams, open_cassette
from harness.cli.render_text import render_text
from harness.reconstruct import reconstruct


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "inspect",
        description="Reconstruct the run conversation stored at PATH (a raw .sse body) and show it.",
    )
    parser.add_argument("path", metavar="PATH", help="a raw text/event-stream body (.sse)")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: a readable timeline (default); json: the reconstruction as one object",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    streams = event_streams(open_cassette(args.path))
    transcript = reconstruct(streams)
    if args.format == "json":
        json.dump(transcript.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(streams, transcript))
    return 0
