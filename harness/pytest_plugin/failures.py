"""A test that fails on the harness's own error shows the harness's message, not a traceback.

The message (what was requested, which cassette, the closest recording, what to run) is the
useful part; the frames of the harness, the SDK and httpx between the test and the error are
not. As with ``pytest.fail(..., pytrace=False)`` the failure becomes the message itself (then where
the test's own code was), and its first line is what the short summary shows. ``--full-trace``
keeps pytest's usual traceback.

The report is built from pytest's own report pieces (they have no public constructor): a plain
string would lose the summary line before pytest 9, and xdist ships these pieces between
processes as they are.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest._code.code import ExceptionChainRepr, ReprFileLocation, ReprTracebackNative

from harness.errors import HarnessError

_HARNESS_DIR = Path(__file__).resolve().parents[1]


def harness_error_in(error: BaseException | None) -> HarnessError | None:
    """The harness error ``error`` is, or that a client library turned into ``error`` (its cause or
    context); None for anything else, and for an assertion of the test's own."""
    if isinstance(error, AssertionError):
        return None
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, HarnessError):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def _is_library(path: Path) -> bool:
    return "site-packages" in path.parts or path.is_relative_to(_HARNESS_DIR)


def _test_code_frame(excinfo: pytest.ExceptionInfo[BaseException]) -> tuple[Path, int, str] | None:
    """(path, line, function) of the innermost frame that is neither the harness nor a library."""
    for entry in reversed(excinfo.traceback):
        path = Path(entry.path)
        if not _is_library(path) and path.name != "contextlib.py":
            return path, entry.lineno + 1, entry.name
    return None


def failure_text(error: HarnessError, excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    lines = [f"{type(error).__name__}: {error}"]
    raised = excinfo.value
    if raised is not error:
        lines.append(f"(the client raised {type(raised).__module__}.{type(raised).__qualname__} from it)")
    frame = _test_code_frame(excinfo)
    if frame is not None:
        lines.append(f"at {frame[0]}:{frame[1]} in {frame[2]}")
    return "\n".join(lines)


def failure_report(
    item: pytest.Item, error: HarnessError, excinfo: pytest.ExceptionInfo[BaseException]
) -> ExceptionChainRepr:
    text = failure_text(error, excinfo)
    frame = _test_code_frame(excinfo)
    path, line = (str(frame[0]), frame[1]) if frame is not None else (str(item.path), 0)
    crash = ReprFileLocation(path, line, text.partition("\n")[0])
    return ExceptionChainRepr([(ReprTracebackNative([text + "\n"]), crash, None)])


def shorten_harness_failure(
    item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport
) -> None:
    """Replace the report's traceback by the harness's message when the harness's error failed it."""
    excinfo = call.excinfo
    if excinfo is None or not report.failed or item.config.getoption("fulltrace", False):
        return
    error = harness_error_in(excinfo.value)
    if error is not None:
        report.longrepr = failure_report(item, error, excinfo)
