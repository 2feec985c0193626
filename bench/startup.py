"""What installing the harness costs people who do not use it, as whole processes, A B A B:

- a pytest session using no cassette, with the harness plugin vs with pytest-recording's
  (each with the other disabled; syrupy's and anyio's plugins load in both);
- a session of 2,000 tests without the marker, plugin enabled vs disabled (the per-test cost);
- ``harness --help`` vs ``python -c 'import argparse'``.

CPU time (user + system of the child) is compared; wall time is printed beside it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PAIRED_HEADER, paired, paired_cells, process_cost, table

THREE_TESTS = """
def test_one():
    assert 1 + 1 == 2

def test_two():
    assert "a" * 2 == "aa"

def test_three():
    assert [1, 2][::-1] == [2, 1]
"""

MANY_TESTS = """
import pytest

@pytest.mark.parametrize("number", range({count}))
def test_plain(number):
    assert number >= 0
"""


def _pytest(folder: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options, str(folder)]


def _environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key not in ("CI", "PYTEST_ADDOPTS")}


def run(quick: bool) -> list[dict[str, Any]]:
    pairs = 3 if quick else 7
    env = _environment()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        (folder / "small").mkdir()
        (folder / "small" / "test_small.py").write_text(THREE_TESTS)
        (folder / "many").mkdir()
        (folder / "many" / "test_many.py").write_text(MANY_TESTS.format(count=500 if quick else 2000))
        small, many = folder / "small", folder / "many"
        rows = [
            {
                "what": "pytest session, 3 tests, no cassette",
                "a": "harness plugin",
                "b": "pytest-recording",
                **paired(
                    lambda: process_cost(_pytest(small, "-p", "no:recording"), env=env),
                    lambda: process_cost(_pytest(small, "-p", "no:run_harness"), env=env),
                    pairs,
                ),
                "target": "<= 1.0",
            },
            {
                "what": f"{500 if quick else 2000} tests without the marker",
                "a": "plugin on",
                "b": "plugin off",
                **paired(
                    lambda: process_cost(_pytest(many, "-p", "no:recording"), env=env),
                    lambda: process_cost(
                        _pytest(many, "-p", "no:recording", "-p", "no:run_harness"), env=env
                    ),
                    pairs,
                ),
                "target": "about 1.0",
            },
            {
                "what": "harness --help",
                "a": "harness --help",
                "b": "python -c 'import argparse'",
                **paired(
                    lambda: process_cost([sys.executable, "-m", "harness.cli", "--help"], env=env),
                    lambda: process_cost([sys.executable, "-c", "import argparse"], env=env),
                    pairs,
                ),
                "target": "<= 3",
            },
        ]
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    return table(
        "Start-up cost for people who do not use the harness (CPU ratio A/B, median [min-max] of pairs)",
        ["what", *PAIRED_HEADER, "target"],
        [[r["what"], *paired_cells(r, r["a"], r["b"]), r["target"]] for r in rows],
    )


if __name__ == "__main__":
    print(render(run("--quick" in sys.argv)))
