"""``harness record``: drive a run conversation through the openai SDK and record it to a cassette.

By default the conversation runs against the built-in emulator, started on
127.0.0.1 for the duration (no API key, no network). With ``--base-url`` it
goes to that server instead (the SDK reads ``OPENAI_API_KEY`` itself when it is
set; the harness never reads or prints it). For the real API pass
``--base-url https://api.openai.com/v1``.

``--script FILE.py`` replaces the built-in conversation: the file defines
``run(client)``, which gets an ``openai.OpenAI`` client pointed at the server
and drives whatever conversation it likes; everything it sends is recorded.
"""

from __future__ import annotations

import argparse
from typing import Any

from harness.cli.options import SCENARIO_OPTION, ScenarioHelpFormatter
from harness.cli.sdk import require_openai


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "record",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=ScenarioHelpFormatter,
    )
    driver = parser.add_mutually_exclusive_group()
    driver.add_argument(
        SCENARIO_OPTION,
        default="tool-call",
        metavar="NAME",
        help="the emulator scenario the built-in conversation plays (default: tool-call)",
    )
    driver.add_argument(
        "--script",
        metavar="FILE.py",
        help="a Python file defining run(client) that drives the conversation instead",
    )
    parser.add_argument(
        "--api",
        choices=("assistants", "responses", "chat"),
        default="assistants",
        help="the API the built-in conversation uses: Assistants runs, Responses or Chat Completions "
        "(default: assistants)",
    )
    parser.add_argument("--cassette", required=True, metavar="PATH", help="where to write the cassette")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="record from this Assistants-compatible server instead of the emulator",
    )
    parser.add_argument("--seed", type=int, default=0, help="emulator seed: ids and timings (default: 0)")
    parser.add_argument("--deltas", metavar="N", help="number of text deltas of the reply (emulator)")
    parser.add_argument("--model", default="gpt-4o", help="model of the assistant created (default: gpt-4o)")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    require_openai()
    from harness.cli.record_run import run

    return run(args)
