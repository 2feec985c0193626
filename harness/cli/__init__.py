"""The ``harness`` command line: one module per subcommand, each exposing ``register(subparsers)``.

The parser is built without importing the commands: every command is listed with its help line
from :data:`COMMANDS`, and only the command being run (if any) is imported to add its own
arguments. ``harness --help`` therefore imports no command at all.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from harness.cli.errors import CommandError

TYPE_CHECKING = False  # not typing's: `harness --help` should import as little as possible
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

#: ``(name, module, help)`` of every subcommand, in help order. A new command is a module with
#: ``register(subparsers)`` that adds its parser (the help line comes from here) and sets
#: ``handler=`` (a function ``(args) -> int``) on it; add it here.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "inspect",
        "harness.cli.inspect",
        "show a stream's events, reconstructed run, steps, messages and diagnostics",
    ),
    (
        "record",
        "harness.cli.record",
        "record a run conversation (built-in emulator by default) to a cassette",
    ),
    (
        "demo",
        "harness.cli.demo",
        "record a tool-calling run from the built-in emulator, replay it offline and show it",
    ),
    (
        "serve",
        "harness.cli.serve",
        "replay cassettes to any HTTP client at the API's paths (base URL http://127.0.0.1:PORT/v1)",
    ),
    (
        "emulator",
        "harness.cli.emulator",
        "serve the built-in Assistants API emulator to any HTTP client (base URL http://127.0.0.1:PORT/v1)",
    ),
    (
        "validate",
        "harness.cli.validate",
        "check cassettes: they load, follow the run-stream protocol and hold no secret",
    ),
    (
        "scrub",
        "harness.cli.scrub",
        "remove API keys, org/project ids, cookies and key-shaped strings from cassettes, in place",
    ),
    (
        "diff",
        "harness.cli.diff",
        "event-level diff of two cassettes or streams, ids and timestamps normalized",
    ),
    (
        "export",
        "harness.cli.export",
        "write a cassette as a raw .sse body, a HAR file, jsonl, vcrpy, Ruby VCR or cassetter",
    ),
    (
        "import",
        "harness.cli.import_cassettes",
        "convert vcrpy / Ruby VCR / HAR / cassetter / test-proxy / jsonl / .sse files into harness "
        "cassettes (one per file with --out-dir, merged into one with --cassette)",
    ),
    (
        "shrink",
        "harness.cli.shrink",
        "reduce a cassette to the few events on which a check command still fails",
    ),
    (
        "bundle",
        "harness.cli.bundle",
        "write a reproducible bug report: scrubbed cassette, replay test, README, versions",
    ),
)
COMMAND_MODULES = tuple(module for _, module, _ in COMMANDS)
_HELP = {name: help_line for name, _, help_line in COMMANDS}


class _Subparsers:
    """What a command's ``register`` gets: ``add_parser`` with the help line filled in."""

    def __init__(self, actions: Any) -> None:
        self._actions = actions

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        kwargs.setdefault("help", _HELP.get(name))
        parser: argparse.ArgumentParser = self._actions.add_parser(name, **kwargs)
        return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line (the first word that is not an option)."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in _HELP else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv`` only the command it names is imported (all of them without)."""
    parser = argparse.ArgumentParser(
        prog="harness", description="Record, replay and inspect OpenAI Assistants run streams."
    )
    subparsers = _Subparsers(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    wanted = _command_in(argv) if argv is not None else None
    for name, module_name, help_line in COMMANDS:
        if argv is None or name == wanted:
            importlib.import_module(module_name).register(subparsers)
        else:
            subparsers.add_parser(name, help=help_line, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words)
    args = parser.parse_args(words)
    try:
        return int(args.handler(args))
    except CommandError as error:
        print(f"harness {args.command}: error: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        return 0


__all__ = ["COMMANDS", "CommandError", "build_parser", "main"]
