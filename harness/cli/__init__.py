"""The ``harness`` command line: one module per subcommand, each exposing ``register(subparsers)``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from harness.cli.errors import CommandError

#: Subcommand modules, in help order. A new command is a module with ``register(subparsers)``
#: that sets ``handler=`` (a function ``(args) -> int``) on its parser; add it here.
COMMAND_MODULES = (
    "harness.cli.inspect",
    "harness.cli.record",
    "harness.cli.demo",
    "harness.cli.serve",
    "harness.cli.emulator",
    "harness.cli.validate",
    "harness.cli.scrub",
    "harness.cli.diff",
    "harness.cli.export",
    "harness.cli.import_cassettes",
    "harness.cli.shrink",
    "harness.cli.bundle",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="harness", description="Record, replay and inspect OpenAI Assistants run streams."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except CommandError as error:
        print(f"harness {args.command}: error: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        return 0


__all__ = ["CommandError", "build_parser", "main"]
