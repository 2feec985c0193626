"""Running a user's check command on a candidate cassette.

The candidate is written (harness format) to one file in a private
directory; ``{}`` in the command becomes its path and ``HARNESS_CASSETTE``
names it too. The command runs through the shell in its own process group,
so that a time limit can stop everything it started. The first run, on the
original, tells the exit code that means "still fails"; a later candidate
"still fails" only with that same code, so that a check that breaks in
another way (a collection error instead of a failed assertion) does not
count.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import time
from pathlib import Path

from harness.cassette.formats import native
from harness.cassette.model import Cassette
from harness.errors import HarnessError
from harness.shrink.budget import BudgetSpent

CANDIDATE_NAME = "candidate.json"
_CANNOT_RUN = (126, 127)  # the shell's "not executable" and "not found"
_SHOWN_OUTPUT = 300


class CheckCommandError(HarnessError):
    """The check command cannot be run at all."""


class CheckCommand:
    def __init__(self, command: str, workdir: Path, *, deadline: float | None = None) -> None:
        self.command = command
        self.path = workdir / CANDIDATE_NAME
        self.deadline = deadline  # a time.monotonic() value: a check still running then is stopped
        self.failing_code: int | None = None
        self.last_output = ""

    def __call__(self, cassette: Cassette) -> bool:
        code = self.run(cassette)
        if self.failing_code is None:
            if code in _CANNOT_RUN:
                raise CheckCommandError(f"the check command could not run (exit {code}): {self.last_output}")
            if code != 0:
                self.failing_code = code
            return code != 0
        return code == self.failing_code

    def run(self, cassette: Cassette) -> int:
        """The exit code of the command on ``cassette``."""
        self.path.write_text(native.dumps(cassette), encoding="utf-8")
        command = self.command.replace("{}", shlex.quote(str(self.path)))
        process = subprocess.Popen(
            command,
            shell=True,
            env={**os.environ, "HARNESS_CASSETTE": str(self.path)},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        timeout = None if self.deadline is None else max(self.deadline - time.monotonic(), 0.001)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise BudgetSpent("reached the time limit") from None
        self.last_output = _tail(output)
        return process.returncode


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _tail(output: bytes) -> str:
    text = output.decode("utf-8", "replace").strip()
    last = text.splitlines()[-1] if text else "(no output)"
    return last if len(last) <= _SHOWN_OUTPUT else last[:_SHOWN_OUTPUT] + "..."
