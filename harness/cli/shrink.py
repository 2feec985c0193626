"""``harness shrink CASSETTE --check "COMMAND"``: the smallest cassette on which COMMAND still fails.

COMMAND runs through the shell with ``{}`` replaced by the path of a
candidate cassette (also in the environment as ``HARNESS_CASSETTE``). It
must fail (exit non-zero) on the cassette as given; a smaller candidate
counts only when it fails the same way: the same exit status and the same
failure (pytest's FAILED line: the same test and the same kind of error; or
the last exception of a Python traceback), or with ``--expect REGEX``, the
same exit status and output matching REGEX. A pytest check, where the test
reads the cassette the harness names:

    # test_bug.py
    @pytest.mark.run_cassette(os.environ.get("HARNESS_CASSETTE", "bug.json"))
    def test_bug(run_cassette): ...

    harness shrink bug.json --check "pytest test_bug.py -x --run-record-mode=none"

The search (delta debugging over exchanges, steps, messages and events,
then joining deltas and shortening text) keeps the run-stream protocol
well-formed unless ``--allow-malformed``. The result is written in the
harness format to ``--output`` (default: NAME.min.EXT beside the original,
which is never changed). Progress goes to stderr; the summary names the
failure kept and warns when it changed or the result is suspiciously small.
With ``--timeout`` the search stops in time and writes the smallest failing
cassette found so far.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from harness.cassette import Cassette, save_cassette
from harness.cassette.atomic import OutputPathError, check_output_path
from harness.cli.cassettes import open_cassette
from harness.cli.errors import CommandError
from harness.errors import SecretLeakError
from harness.scrub import cassette_secrets, scrubbed_cassette
from harness.shrink import (
    DEFAULT_MAX_CHECKS,
    BudgetSpent,
    CheckCommand,
    CheckCommandError,
    NothingToShrinkError,
    ShrinkProgress,
    deadline_after,
    shrink_cassette,
)
from harness.shrink.budget import Clock


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "shrink",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("cassette", metavar="CASSETTE", help="the cassette on which the check fails")
    parser.add_argument(
        "--check",
        required=True,
        metavar="COMMAND",
        help="shell command failing on a bad cassette; {} is its path (also $HARNESS_CASSETTE), e.g. "
        '"pytest test_bug.py -x --run-record-mode=none"',
    )
    parser.add_argument(
        "--expect",
        type=_pattern,
        metavar="REGEX",
        help="count a candidate only if the check's output matches REGEX (instead of the same failure line)",
    )
    parser.add_argument("--output", metavar="PATH", help="where to write the result (default NAME.min.EXT)")
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        metavar="SECONDS",
        help="stop after this many seconds in total and keep the best found so far",
    )
    parser.add_argument(
        "--allow-malformed",
        action="store_true",
        help="let the result break the protocol (drop done, created events...)",
    )
    parser.add_argument(
        "--max-checks",
        type=_positive_int,
        default=DEFAULT_MAX_CHECKS,
        metavar="N",
        help=f"run the check at most N times (default {DEFAULT_MAX_CHECKS})",
    )
    parser.set_defaults(handler=run)


#: A result this small is more often a check failing for another reason than the bug itself.
SUSPICIOUSLY_FEW_EVENTS = 2


def run(args: argparse.Namespace, clock: Clock = time.monotonic) -> int:
    started = clock()
    source = Path(args.cassette)
    cassette = _scrubbed(open_cassette(source), source)
    output = _output_path(source, args.output)
    deadline = deadline_after(args.timeout, clock)
    with tempfile.TemporaryDirectory(prefix="harness-shrink-") as workdir:
        check = CheckCommand(args.check, Path(workdir), deadline=deadline, expect=args.expect, clock=clock)
        try:
            result = shrink_cassette(
                cassette,
                check,
                allow_malformed=args.allow_malformed,
                max_checks=args.max_checks,
                deadline=deadline,
                progress=_show_progress,
                clock=clock,
            )
        except NothingToShrinkError:
            raise CommandError(
                f"{source}: the check passes on it (exit 0), so there is no failure to keep; "
                "the check must fail (exit non-zero) on the original cassette"
            ) from None
        except CheckCommandError as error:
            raise CommandError(str(error)) from None
        except BudgetSpent:
            raise CommandError(
                f"{source}: the check did not finish on the original cassette within "
                f"--timeout {args.timeout:g}s; nothing written"
            ) from None
    try:
        save_cassette(result.cassette, output)
    except SecretLeakError as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(f"cannot write {output}: {error.strerror}") from None
    elapsed = clock() - started
    print(
        f"{source}: {result.events_before} events in {len(cassette.exchanges)} exchanges -> "
        f"{result.events_after} events in {len(result.cassette.exchanges)} exchanges; "
        f"{result.checks} checks in {elapsed:.1f}s"
    )
    if result.stopped is not None:
        print(f"stopped early: {result.stopped}; the smallest failing cassette found so far is kept")
    for line in _doubts(check, result.events_after):
        print(line)
    print(f"wrote {output}")
    return 0


def _doubts(check: CheckCommand, events: int) -> list[str]:
    """What the user should look at before trusting the result."""
    original, latest = check.original, check.latest
    assert original is not None and latest is not None
    lines = [f"failure kept: {latest.line}"]
    if check.failed_otherwise and check.first_other is not None:
        lines.append(
            f"{check.failed_otherwise} smaller candidate(s) failed another way and were not kept "
            f"(first: {check.first_other.line})"
        )
    if latest.line != original.line:
        lines.append(f"warning: the failure text changed: it was {original.line!r}")
    if original.kind is None and check.expect is None:
        lines.append(
            "warning: the check printed no failure the harness can read (a pytest FAILED line or a Python "
            "exception), so only its exit status was compared; --expect REGEX pins the failure"
        )
    if events <= SUSPICIOUSLY_FEW_EVENTS:
        lines.append(
            f"warning: only {events} event(s) left: make sure the result still shows the bug you meant "
            "(--expect REGEX pins the failure to its message)"
        )
    return lines


def _output_path(source: Path, given: str | None) -> Path:
    if given is None:
        suffix = source.suffix or ".json"
        output = source.with_name(f"{source.name[: len(source.name) - len(source.suffix)]}.min{suffix}")
    else:
        output = Path(given)
    try:
        check_output_path(output, original=source)
    except OutputPathError as error:
        raise CommandError(f"--output {error}") from None
    return output


def _scrubbed(cassette: Cassette, source: Path) -> Cassette:
    """The cassette with secrets removed: candidates are written to disk for the check to read."""
    scrubbed = scrubbed_cassette(cassette)
    left = cassette_secrets(scrubbed)
    if left:
        raise CommandError(
            f"{source}: {len(left)} secret(s) survive scrubbing (first: {left[0]}); "
            "refusing to write candidates holding them"
        )
    return scrubbed


def _show_progress(progress: ShrinkProgress) -> None:
    print(
        f"shrink: check {progress.checks}: {progress.events} events ({progress.phase})",
        file=sys.stderr,
        flush=True,
    )


Number = TypeVar("Number", int, float)


def _positive(convert: Callable[[str], Number], kind: str) -> Callable[[str], Number]:
    """An argparse ``type``: ``convert`` the text, refusing what is not a number of that kind or not > 0."""

    def parse(text: str) -> Number:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {kind}: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError("must be more than 0")
        return value

    return parse


def _pattern(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text, re.M)
    except re.error as error:
        raise argparse.ArgumentTypeError(f"not a regular expression: {error}") from None


_positive_float = _positive(float, "a number")
_positive_int = _positive(int, "a whole number")
