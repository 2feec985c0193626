"""``harness validate PATH... [--strict]``: structure, protocol and secrets of each cassette.

Prints one status line per file, then its findings. Exits 0 when no file has
an error (with ``--strict``: no error and no warning), 1 otherwise.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.cli.checks import Finding, check_file

SHOWN_WARNINGS = 10


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="cassettes or raw .sse bodies")
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    failed = 0
    for name in args.paths:
        findings = check_file(Path(name))
        errors = [f for f in findings if f.level == "error"]
        warnings = [f for f in findings if f.level == "warning"]
        problems = errors + warnings if args.strict else errors
        failed += bool(problems)
        print(f"{name}: {_status(errors, warnings, args.strict)}")
        for finding in errors:
            print(f"  error: {finding.text}")
        for finding in warnings[:SHOWN_WARNINGS]:
            print(f"  warning: {finding.text}")
        if len(warnings) > SHOWN_WARNINGS:
            print(f"  ... and {len(warnings) - SHOWN_WARNINGS} more warnings")
    if len(args.paths) > 1:
        print(f"{len(args.paths) - failed} of {len(args.paths)} files passed")
    return 1 if failed else 0


def _status(errors: list[Finding], warnings: list[Finding], strict: bool) -> str:
    if not errors and not warnings:
        return "OK"
    counts = ", ".join(
        part for part in (_count(len(errors), "error"), _count(len(warnings), "warning")) if part
    )
    return f"FAILED ({counts})" if errors or strict else f"OK ({counts})"


def _count(number: int, noun: str) -> str:
    return "" if number == 0 else f"{number} {noun}{'' if number == 1 else 's'}"
