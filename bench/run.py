"""One entry point for every benchmark: ``python bench/run.py [--quick] [--only NAME ...]``.

Each benchmark measures the harness side by side with what a user would pick
instead, in this one run, and prints ratios; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import machine

BENCHMARKS = [
    "inspect_process",
    "reconstruct",
    "new_protocols",
    "cassette_load",
    "replay_overhead",
    "first_event",
    "memory",
    "suite",
    "startup",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="smaller inputs; the whole run takes under a minute"
    )
    parser.add_argument("--only", nargs="*", choices=BENCHMARKS, help="run only these benchmarks")
    options = parser.parse_args(argv)
    print(f"# pytest-run-harness benchmarks, {datetime.date.today().isoformat()}")
    print(f"\nMachine: {machine()}. Command: python bench/run.py{' --quick' if options.quick else ''}\n")
    for name in options.only or BENCHMARKS:
        module = importlib.import_module(name)
        started = time.perf_counter()
        rows = module.run(options.quick)
        print(module.render(rows))
        print(f"\n({name}: {time.perf_counter() - started:.1f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
