"""``python -m tools.mutation [--module PATH ...] [--sample N] [--jobs N]``: mutation-test guard modules."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from tools.mutation.guards import GUARDS
from tools.mutation.mutants import mutants
from tools.mutation.run import read_equivalents, run_module, write_report

HERE = Path(__file__).resolve().parent


def _commit(root: Path) -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.mutation", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project root (default: here)")
    parser.add_argument("--module", action="append", help="a module path; default: every guard module")
    parser.add_argument("--tests", nargs="+", help="test paths, instead of the guard table's")
    parser.add_argument("--sample", type=int, default=0, help="mutants per module, picked at random (0: all)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--survivors", action="store_true", help="judge again only the survivors of the module's last run"
    )
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument("--report", type=Path, default=HERE / "report.json")
    parser.add_argument("--equivalents", type=Path, default=HERE / "equivalents.txt")
    args = parser.parse_args(argv)

    root = args.root.resolve()
    equivalents = read_equivalents(args.equivalents)
    last = json.loads(args.report.read_text())["modules"] if args.report.exists() else {}
    reports = []
    for module in args.module or list(GUARDS):
        if not (root / module).exists():
            print(f"{module}: not in this tree, skipped", file=sys.stderr)
            continue
        candidates = args.tests or GUARDS.get(module, [])
        tests = [test for test in candidates if (root / test).exists()]
        if not tests:
            print(f"{module}: no tests to run it against, skipped", file=sys.stderr)
            continue
        print(f"{module}: against {' '.join(tests)}", file=sys.stderr, flush=True)
        report = run_module(
            root,
            module,
            tests,
            sample=args.sample,
            seed=args.seed,
            jobs=args.jobs,
            equivalents=equivalents,
            commit=_commit(root),
            previous=last.get(module) if args.survivors else None,
        )
        reports.append(report)
        summary = report.summary()
        print(
            f"{module}: {summary['killed']} killed, {summary['survived']} survived, "
            f"{summary['equivalent']} equivalent, {summary['errors']} errors of {report.sampled} "
            f"sampled ({report.mutants} mutants): {summary['score']}%",
            flush=True,
        )
    write_report(args.report, reports, args.seed)
    known = {m.key for r in reports for m in mutants((root / r.module).read_text(), r.module)}
    if args.module is None:
        for stale in sorted(set(equivalents) - known):
            print(f"equivalents file: no such mutant any more: {stale}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
