"""The mutation tool (``python -m tools.mutation``) on a tiny module: killed, equivalent and uncovered."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TINY = '''
def clamp(value: int, limit: int) -> int:
    """Clamp to [0, limit]."""
    if value > limit:
        return limit
    return max(value, 0)


def unused() -> int:
    return 1
'''

TEST = """
from pkg.tiny import clamp


def test_clamp() -> None:
    assert clamp(5, 3) == 3
    assert clamp(-1, 3) == 0
"""

EQUIVALENT = "pkg/tiny.py | clamp | if value > limit: | `>` -> `>=`"


def test_the_tool_kills_flags_equivalents_and_lists_survivors(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "tiny.py").write_text(TINY)
    (tmp_path / "test_tiny.py").write_text(TEST)
    equivalents = tmp_path / "equivalents.txt"
    equivalents.write_text(f"mutant: {EQUIVALENT}\nwhy: at value == limit both branches return limit\n")
    report = tmp_path / "report.json"
    command = [
        sys.executable,
        "-m",
        "tools.mutation",
        "--root",
        str(tmp_path),
        "--module",
        "pkg/tiny.py",
        "--jobs",
        "2",
    ]
    command += ["--tests", "test_tiny.py", "--report", str(report), "--equivalents", str(equivalents)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr

    tiny = json.loads(report.read_text())["modules"]["pkg/tiny.py"]
    assert (tiny["mutants"], tiny["killed"], tiny["equivalent"], tiny["survived"]) == (8, 5, 1, 2)
    assert {survivor["status"] for survivor in tiny["survivors"]} == {"uncovered"}
    assert {survivor["line"] for survivor in tiny["survivors"]} == {10}
    assert tiny["score"] == round(100 * 5 / 7, 1)
    assert "pkg/tiny.py: 5 killed, 2 survived, 1 equivalent" in result.stdout

    # a test for the survivors, then a run of the survivors only: the rest is carried over
    (tmp_path / "test_tiny.py").write_text(
        TEST + "\n\ndef test_unused() -> None:\n    assert unused() == 1\n"
    )
    (tmp_path / "test_tiny.py").write_text(
        (tmp_path / "test_tiny.py").read_text().replace("import clamp", "import clamp, unused")
    )
    again = subprocess.run(
        [*command, "--survivors"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert again.returncode == 0, again.stderr
    tiny = json.loads(report.read_text())["modules"]["pkg/tiny.py"]
    assert (tiny["sampled"], tiny["killed"], tiny["equivalent"], tiny["survived"], tiny["score"]) == (
        8,
        7,
        1,
        0,
        100,
    )
    assert again.stderr.count("  killed ") == 2


def test_a_malformed_equivalents_file_is_one_line_naming_the_line(tmp_path: Path) -> None:
    equivalents = tmp_path / "equivalents.txt"
    equivalents.write_text("mutant: something\nbecause: no reason given\n")
    command = [sys.executable, "-m", "tools.mutation", "--equivalents", str(equivalents), "--module", "x.py"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    assert result.stderr.strip() == f"{equivalents}:2: expected 'mutant: KEY' or 'why: REASON'"
