"""``harness demo``: record a tool-calling run from the built-in emulator, replay it offline, show it.

Needs no API key and no network: the emulator runs on 127.0.0.1 while
recording and is stopped before the replay, which runs with record mode
``none`` so that any request reaching for the network would fail.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.cli.sdk import require_openai

SCENARIO = "tool-call"
DEFAULT_CASSETTE = Path("harness-demo") / f"{SCENARIO}.json"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument(
        "--cassette",
        default=str(DEFAULT_CASSETTE),
        metavar="PATH",
        help=f"where to write the cassette (default: {DEFAULT_CASSETTE})",
    )
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    require_openai()
    from harness.cli.demo_run import run

    return run(args)
