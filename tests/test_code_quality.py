"""The code stays ruff-clean and mypy-clean (strict), as the project promises (`py.typed`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )


def test_ruff_check_and_format() -> None:
    lint = _run("ruff", "check", ".")
    assert lint.returncode == 0, lint.stdout[-3000:]
    formatting = _run("ruff", "format", "--check", ".")
    assert formatting.returncode == 0, formatting.stdout[-3000:]


def test_mypy_strict_on_the_package_and_the_tests() -> None:
    result = _run("mypy", "harness", "tests")
    assert result.returncode == 0, result.stdout[-3000:]
    assert (ROOT / "harness" / "py.typed").exists()
