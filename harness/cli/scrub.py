"""``harness scrub PATH... [--check]``: remove secrets from cassettes in place.

Applies the default scrubbing rules (secret headers, cookies, key-shaped
strings, bearer tokens, key query parameters) and rewrites each file
atomically in the format it is in. Says what it replaced, never the secret.
Running it twice changes nothing the second time. With ``--check`` nothing
is written and the exit code is 1 when a file would change.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from harness.cassette.model import Exchange
from harness.cassette.save import WriteBackError, write_back
from harness.cli.cassettes import open_cassette
from harness.cli.errors import CommandError
from harness.scrub import cassette_secrets, scrubbed_cassette


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "scrub",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="cassettes to scrub")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a file holds something to scrub"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Scrub each file in turn; a file that fails is reported and the others still get done."""
    changed = failed = 0
    for name in args.paths:
        try:
            changed += scrub_file(Path(name), check=args.check)
        except CommandError as error:
            print(f"harness scrub: error: {error}", file=sys.stderr)
            failed += 1
    return 1 if failed or (args.check and changed) else 0


def scrub_file(path: Path, *, check: bool) -> bool:
    """Scrub one file (or, with ``check``, only say what would change); true when it had secrets."""
    cassette = open_cassette(path)
    clean = scrubbed_cassette(cassette)
    scrubbed = clean.exchanges
    replaced = replacements(cassette.exchanges, scrubbed)
    replaced["metadata"] += clean.metadata != cassette.metadata
    replaced = +replaced
    if not replaced:
        print(f"{path}: clean, nothing to replace")
        return False
    summary = ", ".join(f"{where} x{count}" for where, count in sorted(replaced.items()))
    total = sum(replaced.values())
    if check:
        print(f"{path}: would replace {total} value(s): {summary}")
        return True
    left = cassette_secrets(clean)
    if left:
        raise CommandError(
            f"{path}: {len(left)} secret(s) survive scrubbing (first: {left[0]}); left unchanged"
        )
    cassette.exchanges, cassette.metadata = scrubbed, clean.metadata
    try:
        write_back(cassette, path)
    except WriteBackError as error:
        raise CommandError(str(error)) from None
    print(f"{path}: replaced {total} value(s): {summary}")
    return True


def replacements(before: list[Exchange], after: list[Exchange]) -> Counter[str]:
    """Where scrubbing changed something, counted by kind of place (header names, not values)."""
    changed: Counter[str] = Counter()
    for old, new in zip(before, after, strict=True):
        for side, old_headers, new_headers in (
            ("request", old.request.headers, new.request.headers),
            ("response", old.response.headers, new.response.headers),
        ):
            for (name, old_value), (_, new_value) in zip(old_headers, new_headers, strict=True):
                if old_value != new_value:
                    changed[f"{side} header {name.lower()}"] += 1
        changed["request url"] += old.request.url != new.request.url
        changed["request body"] += old.request.body != new.request.body
        changed["response body"] += old.response.body != new.response.body
        if old.response.stream is not None and new.response.stream is not None:
            changed["stream event"] += sum(
                1
                for a, b in zip(old.response.stream.frames, new.response.stream.frames, strict=False)
                if a != b
            )
    return +changed
