"""What a check command's failure looks like, so a smaller cassette counts only if it fails the same way.

A shrink that accepts any non-zero exit loses the bug: a cassette cut too far
fails on a request it no longer holds, with the same exit status as the
assertion it was meant to keep. So the failure is read from the output: pytest's
short summary line (``FAILED test_x.py::test_y - AssertionError: ...``: which test,
and which kind of error), else the ``E  ...`` line of its report, else the last
exception line of a Python traceback. What varies with the cassette (the values
in an assertion, ids, paths) is left out of the comparison; it still shows in the
summary when the text changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PYTEST_SUMMARY = re.compile(r"^(?:FAILED|ERROR) (\S+)(?: - (.*))?$", re.M)
_PYTEST_ERROR_LINE = re.compile(r"^E {3,}(\S.*)$", re.M)
_EXCEPTION_LINE = re.compile(
    r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Failure|Failed))(?::.*)?$", re.M
)
_LEADING_NAME = re.compile(r"([A-Za-z_][\w.]*)(?::|$)")


@dataclass(frozen=True)
class Failure:
    """A check's outcome: its exit status, the kind of failure (None when the output shows none
    the harness can read), and the failure line as printed."""

    code: int
    kind: str | None
    line: str

    def same_as(self, other: Failure) -> bool:
        return self.code == other.code and self.kind == other.kind


def _error_kind(message: str) -> str:
    """``AssertionError`` for pytest's rewritten ``assert ...``; else the leading exception name,
    without its module (``harness.errors.UnmatchedRequestError`` and ``UnmatchedRequestError`` agree)."""
    if message == "assert" or message.startswith("assert "):
        return "AssertionError"
    leading = _LEADING_NAME.match(message)
    if leading is None:
        return message.split(maxsplit=1)[0] if message.strip() else ""
    return leading.group(1).rsplit(".", 1)[-1]


def read_failure(code: int, output: str) -> Failure:
    summary = _PYTEST_SUMMARY.search(output)
    if summary is not None:
        test, message = summary.group(1), summary.group(2) or ""
        if not message:
            reported = _PYTEST_ERROR_LINE.search(output)
            message = reported.group(1) if reported is not None else ""
        return Failure(code, f"{test} {_error_kind(message)}".rstrip(), summary.group(0))
    reported = _PYTEST_ERROR_LINE.search(output)
    if reported is not None:
        return Failure(code, _error_kind(reported.group(1)), reported.group(0))
    exceptions = _EXCEPTION_LINE.findall(output)
    if exceptions:
        last = [line for line in output.splitlines() if _EXCEPTION_LINE.fullmatch(line)][-1]
        return Failure(code, exceptions[-1].rsplit(".", 1)[-1], last)
    return Failure(code, None, f"exit status {code}")
