"""The benchmarks keep working (they are not timed here: ratios are printed by `bench/run.py`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmarks_run_and_print_their_tables() -> None:
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--only", "cassette_load", "memory", "first_event"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for title in ("## Cassette load", "## Peak memory", "## Time to first event"):
        assert title in result.stdout
    assert "Machine: " in result.stdout
