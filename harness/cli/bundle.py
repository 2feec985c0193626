"""``harness bundle CASSETTE [--test FILE] [--output DIR_OR_ZIP]``: a bug report anyone can run.

Writes a directory (or a ``.zip`` when the output ends in ``.zip``) with the
scrubbed cassette, a generated pytest file that replays it offline (through the
openai SDK when it is installed) and checks what the harness reconstructs, for
each protocol the cassette speaks (final status, final object, conversation,
diagnostics), the ``--test``
file if given (wired to the cassette through ``HARNESS_CASSETTE``), a README
with the commands to reproduce, and the versions of the harness, the openai
SDK and Python. A cassette that still holds a secret after scrubbing is
refused and nothing is written.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.bundle import BundleLocationError, BundleTestError, make_bundle
from harness.bundle.templates import summary
from harness.cli.errors import CommandError
from harness.errors import CassetteError, SecretLeakError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bundle",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("cassette", metavar="CASSETTE", help="the cassette to report")
    parser.add_argument("--test", metavar="FILE", help="a pytest file that fails on the cassette")
    parser.add_argument(
        "--output",
        metavar="DIR_OR_ZIP",
        help="a new directory, or a file ending in .zip (default: NAME.bundle beside it)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    source = Path(args.cassette)
    output = Path(args.output) if args.output else source.with_name(f"{source.stem}.bundle")
    try:
        result = make_bundle(source, output, test_file=args.test)
    except (CassetteError, SecretLeakError, BundleTestError, BundleLocationError) as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(f"cannot write {output}: {error.strerror}") from None
    expected = result.expectations
    print(f"{source}: {expected.events} events")
    for outcome in expected.outcomes:
        print(f"  {summary(outcome)}")
    print(f"wrote {result.output} ({', '.join(result.files)})")
    wheels = [name for name in result.files if name.endswith(".whl")]
    install = f"./{wheels[0]}" if wheels else f"pytest-run-harness=={result.versions['pytest-run-harness']}"
    print(f"reproduce: cd {result.output} && pip install {install} && pytest")
    return 0
