"""Run the mutants of one module against the tests that cover each mutated line, and report.

Steps per module: one coverage run of the module's tests records which test executed each line
(``contexts.py``); then every (sampled) mutant is compiled to a code object, served in place of the
module by ``hook/sitecustomize.py`` and checked against the covering tests only, stopping at the first
failure, under a timeout. A mutant no test covers survives without a run.
"""

from __future__ import annotations

import json
import marshal
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tools.mutation.mutants import Mutant, mutants, mutated_tree

HOOK = Path(__file__).resolve().parent / "hook"
# the tool's own smoke test runs the tool: never part of a mutant's run
SKIPPED = ["--ignore=tests/guards/test_mutation_tool.py"]
# a test that times out on a loaded machine would fail the coverage run and stop the module's run
SKIPPED += [
    "--deselect=tests/serve/test_replay_server.py::test_serve_command_prints_the_base_url_and_stops_on_ctrl_c"
]
# tests failed, collection broke, pytest internal error, a conftest that no longer imports: all saw the mutant
KILLING = {1, 2, 3, 4}


@dataclass
class Outcome:
    key: str
    line: int
    operator: str
    description: str
    status: str  # killed, timeout, survived, uncovered, equivalent, error
    tests: int


@dataclass
class ModuleReport:
    module: str
    commit: str
    mutants: int
    sampled: int
    outcomes: list[Outcome] = field(default_factory=list)
    # a re-run of the last run's survivors carries the rest of that run over
    carried: dict[str, int] = field(default_factory=dict)

    def count(self, *statuses: str) -> int:
        carried = sum(self.carried.get(status, 0) for status in statuses)
        return carried + sum(1 for outcome in self.outcomes if outcome.status in statuses)

    @property
    def score(self) -> float:
        judged = self.count("killed", "timeout", "survived", "uncovered")
        return 100.0 * self.count("killed", "timeout") / judged if judged else 100.0

    def summary(self) -> dict[str, object]:
        return {
            "commit": self.commit,
            "mutants": self.mutants,
            "sampled": self.sampled,
            "killed": self.count("killed", "timeout"),
            "survived": self.count("survived", "uncovered"),
            "equivalent": self.count("equivalent"),
            "errors": self.count("error"),
            "score": round(self.score, 1),
            "survivors": [asdict(o) for o in self.outcomes if o.status in ("survived", "uncovered")],
            "errored": [asdict(o) for o in self.outcomes if o.status == "error"],
        }


def read_equivalents(path: Path) -> dict[str, str]:
    """The reviewed equivalents: ``mutant: KEY`` then ``why: ONE LINE``, entries separated by blank lines."""
    if not path.exists():
        return {}
    reviewed: dict[str, str] = {}
    key = ""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if line.startswith("mutant: "):
            key = line.removeprefix("mutant: ")
        elif line.startswith("why: ") and key:
            reviewed[key] = line.removeprefix("why: ")
            key = ""
        elif line.strip() and not line.startswith("#"):
            raise SystemExit(f"{path}:{number}: expected 'mutant: KEY' or 'why: REASON'")
    return reviewed


def module_name(root: Path, path: str) -> str:
    parts = list(Path(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _environment(root: Path, extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HOOK), str(root), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def _pytest(root: Path, args: Sequence[str], env: dict[str, str], timeout: float) -> tuple[int, float]:
    """Run pytest in its own process group (killed whole on timeout); exit code -1 means timed out."""
    # --assert=plain: pytest's assertion rewriter would otherwise load the plugin's package (the
    # whole ``harness`` distribution) ahead of the hook, from the unmutated source
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--assert=plain"]
    command += [*SKIPPED, *args]
    started = time.monotonic()
    with subprocess.Popen(
        command,
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    ) as process:
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            code = -1
    return code, time.monotonic() - started


def coverage_map(
    root: Path, path: str, tests: Sequence[str], scratch: Path
) -> tuple[dict[int, set[str]], float]:
    """Line -> node ids of the tests that ran it ("" for import time), and the run's duration."""
    import coverage

    data_file = scratch / "coverage"
    target = str((root / path).resolve())
    command = ["-m", "coverage", "run", f"--data-file={data_file}", f"--include={target}"]
    command += ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tools.mutation.contexts"]
    command += [*SKIPPED, *tests]
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, *command], cwd=root, env=_environment(root, {}), capture_output=True, text=True
    )
    duration = time.monotonic() - started
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-2000:]
        raise SystemExit(f"{path}: the tests fail before any mutation (exit {result.returncode}):\n{tail}")
    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    by_line = data.contexts_by_lineno(target)
    return {line: set(contexts) for line, contexts in by_line.items()}, duration


def _covering(mutant: Mutant, lines: dict[int, set[str]]) -> set[str] | None:
    """The tests to run, an empty set meaning every test of the module, None meaning none covers it."""
    contexts = lines.get(mutant.line, set()) | lines.get(mutant.statement_line, set())
    if not contexts:
        return None
    return {context for context in contexts if context}


def run_module(
    root: Path,
    path: str,
    tests: Sequence[str],
    *,
    sample: int,
    seed: int,
    jobs: int,
    equivalents: dict[str, str],
    commit: str,
    previous: dict[str, Any] | None = None,
    log: bool = True,
) -> ModuleReport:
    """Judge a sample of the module's mutants; with ``previous`` (the module's last report entry),
    judge again only that run's survivors and carry its other figures over."""
    source = (root / path).read_text()
    every = mutants(source, path)
    if previous is not None:
        again = {outcome["key"] for outcome in [*previous["survivors"], *previous.get("errored", [])]}
        chosen = [mutant for mutant in every if mutant.key in again]
        carried = {"killed": previous["killed"], "equivalent": previous["equivalent"]}
        # survivors whose line changed are no longer found: they count as they last did
        carried["survived"] = len(again) - len(chosen)
        report = ModuleReport(path, commit, len(every), previous["sampled"], carried=carried)
    else:
        chosen = every if not sample or sample >= len(every) else random.Random(seed).sample(every, sample)
        report = ModuleReport(path, commit, len(every), len(chosen))
    chosen.sort(key=lambda mutant: mutant.index)
    name = module_name(root, path)
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch_name:
        scratch = Path(scratch_name)
        lines: dict[int, set[str]] = {}
        baseline = 0.0
        if not all(mutant.key in equivalents for mutant in chosen):  # else nothing to run
            lines, baseline = coverage_map(root, path, tests, scratch)
        # a mutant runs a subset of the tests the coverage run ran: twice that run is ample
        timeout = min(max(60.0, 2 * baseline), 180.0)

        def judge(mutant: Mutant) -> Outcome:
            def outcome(status: str, count: int = 0) -> Outcome:
                return Outcome(mutant.key, mutant.line, mutant.operator, mutant.description, status, count)

            if mutant.key in equivalents:
                return outcome("equivalent")
            covering = _covering(mutant, lines)
            if covering is None:
                return outcome("uncovered")
            code_file = scratch / f"mutant-{mutant.index}.code"
            code_file.write_bytes(
                marshal.dumps(compile(mutated_tree(source, mutant), str(root / path), "exec"))
            )
            env = _environment(root, {"MUTATION_MODULE": name, "MUTATION_CODE": str(code_file)})
            selected = sorted(covering) or list(tests)
            code, _ = _pytest(root, ["-x", *selected], env, timeout)
            status = {0: "survived", -1: "timeout"}.get(code, "killed" if code in KILLING else "error")
            if log:
                print(f"  {status:9} {mutant.key}", file=sys.stderr, flush=True)
            return outcome(status, len(selected))

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            report.outcomes = list(pool.map(judge, chosen))
    return report


def write_report(path: Path, reports: Sequence[ModuleReport], seed: int) -> dict[str, object]:
    """Merge these modules' results into the report file (modules run at other times keep theirs)."""
    existing: dict[str, object] = json.loads(path.read_text()) if path.exists() else {}
    modules = dict(existing.get("modules", {}))  # type: ignore[call-overload]
    for report in reports:
        modules[report.module] = {**report.summary(), "seed": seed}
    merged: dict[str, object] = {"modules": dict(sorted(modules.items()))}
    path.write_text(json.dumps(merged, indent=2) + "\n")
    return merged
