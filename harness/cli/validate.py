"""``harness validate PATH... [--strict]``: structure, protocol and secrets of each cassette.

Prints one status line per file, then its findings: errors, warnings, then notes.
Exits 0 when no file has an error (with ``--strict``: no error and no warning;
notes, the field-level differences real servers send, never fail), 1 otherwise.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.cli.checks import Finding, check_file

SHOWN_WARNINGS = 10  # warnings, then notes, shown per file; the rest are counted


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="cassettes or raw .sse bodies")
    parser.add_argument("--strict", action="store_true", help="warnings fail too (notes never do)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    failed = 0
    for name in args.paths:
        findings = check_file(Path(name))
        errors = [f for f in findings if f.level == "error"]
        warnings = [f for f in findings if f.level == "warning"]
        notes = [f for f in findings if f.level == "info"]
        problems = errors + warnings if args.strict else errors
        failed += bool(problems)
        print(f"{name}: {_status(errors, warnings, notes, args.strict)}")
        for finding in errors:
            print(f"  error: {finding.text}")
        listed = [("warning", f) for f in warnings] + [("note", f) for f in notes]
        for label, finding in listed[:SHOWN_WARNINGS]:
            print(f"  {label}: {finding.text}")
        if len(listed) > SHOWN_WARNINGS:
            kinds = "warnings and notes" if notes and warnings else "notes" if notes else "warnings"
            print(f"  ... and {_total([f for _, f in listed[SHOWN_WARNINGS:]])} more {kinds}")
    if len(args.paths) > 1:
        print(f"{len(args.paths) - failed} of {len(args.paths)} files passed")
    return 1 if failed else 0


def _total(findings: list[Finding]) -> int:
    return sum(finding.count for finding in findings)


def _status(errors: list[Finding], warnings: list[Finding], notes: list[Finding], strict: bool) -> str:
    verdict = "FAILED" if errors or (strict and warnings) else "OK"
    counts = ", ".join(
        part for part in (_count(_total(errors), "error"), _count(_total(warnings), "warning")) if part
    )
    shown = f"{verdict} ({counts})" if counts else verdict
    return f"{shown}, {_count(_total(notes), 'note')}" if notes else shown


def _count(number: int, noun: str) -> str:
    return "" if number == 0 else f"{number} {noun}{'' if number == 1 else 's'}"
