"""Without the openai SDK (no `[sdk]` extra) every command but record/demo works, and those say why not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "cassettes" / "real"

WITHOUT_OPENAI = """
import sys
sys.modules["openai"] = None  # as if the package were not installed
from harness.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def _harness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_OPENAI, *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_inspect_runs_without_the_sdk() -> None:
    result = _harness("inspect", str(CORPUS / "020-simple-openai-v2-submit-tool-outputs.sse"))
    assert result.returncode == 0, result.stderr
    assert "thread.run.completed" in result.stdout


def test_record_and_demo_explain_the_missing_sdk_in_one_line(tmp_path: Path) -> None:
    for command in (["record", "--cassette", str(tmp_path / "x.json")], ["demo"]):
        result = _harness(*command)
        assert result.returncode == 1
        assert result.stderr.strip().count("\n") == 0
        assert "pip install 'pytest-run-harness[sdk]'" in result.stderr
        assert "Traceback" not in result.stderr
