"""Running a user's check command on a candidate cassette.

The candidate is written (harness format) to one file in a private
directory; ``{}`` in the command becomes its path and ``HARNESS_CASSETTE``
names it too. The command runs through the shell in its own process group,
so that a time limit can stop everything it started. The first run, on the
original, tells what "still fails" means: a later candidate counts only when it
fails the same way (:mod:`harness.shrink.failure`: the same exit status and the
same failing test and kind of error), or, with ``expect``, with the same exit
status and output that the pattern matches. A check that breaks in another way
(a request missing from the cassette instead of the failed assertion) does not
count.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from harness.cassette.formats import native
from harness.cassette.model import Cassette
from harness.errors import HarnessError
from harness.shrink.budget import BudgetSpent
from harness.shrink.failure import Failure, read_failure

CANDIDATE_NAME = "candidate.json"
_CANNOT_RUN = (126, 127)  # the shell's "not executable" and "not found"
_SHOWN_OUTPUT = 300


class CheckCommandError(HarnessError):
    """The check command cannot be run at all."""


class CheckCommand:
    def __init__(
        self,
        command: str,
        workdir: Path,
        *,
        deadline: float | None = None,
        expect: re.Pattern[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.command = command
        self.path = workdir / CANDIDATE_NAME
        self.deadline = deadline  # a clock() value: a check still running then is stopped
        self.expect = expect
        self.clock = clock
        self.original: Failure | None = None
        self.latest: Failure | None = None  # of the last candidate that counted: the result's failure
        self.failed_otherwise = 0
        self.first_other: Failure | None = None
        self.last_output = ""

    def __call__(self, cassette: Cassette) -> bool:
        code, output = self.run(cassette)
        failure = read_failure(code, output)
        if self.original is None:
            return self._judge_original(failure, output)
        if self._counts(failure, output):
            self.latest = failure
            return True
        if code != 0:
            self.failed_otherwise += 1
            self.first_other = self.first_other or failure
        return False

    def _judge_original(self, failure: Failure, output: str) -> bool:
        if failure.code in _CANNOT_RUN:
            raise CheckCommandError(
                f"the check command could not run (exit {failure.code}): {self.last_output}"
            )
        if failure.code == 0:
            return False
        if self.expect is not None and self.expect.search(output) is None:
            raise CheckCommandError(
                f"--expect {self.expect.pattern!r} does not match what the check printed on the original "
                f"cassette (exit {failure.code}; last line: {self.last_output})"
            )
        self.original = self.latest = failure
        return True

    def _counts(self, failure: Failure, output: str) -> bool:
        assert self.original is not None
        if self.expect is not None:
            return failure.code == self.original.code and self.expect.search(output) is not None
        return failure.same_as(self.original)

    def run(self, cassette: Cassette) -> tuple[int, str]:
        """The exit code and the output (stdout and stderr) of the command on ``cassette``."""
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
        timeout = None if self.deadline is None else max(self.deadline - self.clock(), 0.001)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise BudgetSpent("reached the time limit") from None
        text = output.decode("utf-8", "replace")
        self.last_output = _last_line(text)
        return process.returncode, text


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _last_line(text: str) -> str:
    text = text.strip()
    last = text.splitlines()[-1] if text else "(no output)"
    return last if len(last) <= _SHOWN_OUTPUT else last[:_SHOWN_OUTPUT] + "..."
