"""The README's promises: its two set-up commands, CI running the same test command, its figures."""

from __future__ import annotations

import re
from pathlib import Path

from tests.what_we_test import table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _setup_commands() -> list[str]:
    match = re.match(r"# [^\n]+\n\n```bash\n(.*?)\n```", README, re.S)
    assert match, "the README must open with its set-up commands"
    return match.group(1).splitlines()


VENV = "python3 -m venv .venv && . .venv/bin/activate && "


def test_readme_opens_with_exactly_two_setup_commands() -> None:
    main_job, tests = _setup_commands()
    assert main_job.startswith(VENV + "pip install") and main_job.endswith("harness demo")
    assert tests.startswith(VENV + "pip install") and "pytest" in tests


def test_ci_runs_the_readme_test_command() -> None:
    install, _, command = _setup_commands()[1].removeprefix(VENV).partition(" && ")
    ci = (ROOT / ".ci" / "run").read_text()
    assert install.split()[-1].strip("'") in ci
    assert f"\n{command}\n" in ci


def test_what_we_test_table_matches_the_command_output() -> None:
    assert table() in README
