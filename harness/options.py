"""Every user-facing option value checked in one place: the CLI, the pytest plugin and the
replay options all call these, so one value means the same everywhere and a bad one gets the
same one-line message (a :class:`ValueError`; callers re-raise it in their own error type).

It also holds the CI rule: with a CI variable set, the record mode defaults to ``none``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping

from harness.replay.chunking import Chunking

RECORD_MODES = ("none", "once", "new_episodes", "all")
RECORDING_MODES = frozenset({"once", "new_episodes", "all"})
MAX_SPEED = 1000.0
#: Variables the common CI services set (GitHub Actions, GitLab, Buildkite, Azure Pipelines, Jenkins).
CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "TF_BUILD", "JENKINS_URL")
_FALSE = ("", "0", "false", "no", "off")


def ci_variable(environ: Mapping[str, str] | None = None) -> str | None:
    """The name of the first CI variable set to a true-ish value, or None outside CI."""
    environ = os.environ if environ is None else environ
    for name in CI_VARIABLES:
        if environ.get(name, "").strip().lower() not in _FALSE:
            return name
    return None


def running_in_ci(environ: Mapping[str, str] | None = None) -> bool:
    return ci_variable(environ) is not None


def record_mode(value: object) -> str:
    """One of :data:`RECORD_MODES` (an enum whose ``value`` is one is accepted too)."""
    mode = str(getattr(value, "value", value))
    if mode not in RECORD_MODES:
        raise ValueError(f"unknown record mode {value!r}; choose one of {', '.join(RECORD_MODES)}")
    return mode


def default_record_mode(requested: object | None, *, in_ci: bool | None = None) -> str:
    """``requested`` when given, else ``none`` in CI and ``once`` elsewhere."""
    if requested is not None:
        return record_mode(requested)
    return "none" if (running_in_ci() if in_ci is None else in_ci) else "once"


def chunking(value: str | Chunking) -> Chunking:
    """``recorded | event | byte | whole | random[:SEED]``."""
    return Chunking.parse(value)


def speed(value: object, *, name: str = "replay speed") -> float:
    """0 (instant) or a finite positive factor up to :data:`MAX_SPEED` (1 = as recorded)."""
    try:
        factor = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        factor = math.nan
    if not math.isfinite(factor) or factor < 0 or factor > MAX_SPEED:
        raise ValueError(
            f"{name} needs 0 (instant) or a positive factor up to {MAX_SPEED:g} (1 = as recorded), "
            f"got {value!r}"
        )
    return factor


def positive_int(value: object, *, name: str = "value", minimum: int = 1) -> int:
    """A whole number of at least ``minimum`` (``"12"`` or ``12``; not ``True``, ``1.5`` or ``"1e3"``)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        number = None
    elif isinstance(value, int):
        number = value
    else:
        text = value.strip()
        number = int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None
    if number is None or number < minimum:
        raise ValueError(f"{name} needs a whole number of {minimum} or more, got {value!r}")
    return number


class _TestPolicy:
    """Set by the pytest plugin around each test while a CI variable is set and the command line
    does not ask for recording: then the cassettes that test opens reach nothing but loopback."""

    offline_test: str | None = None


def offline_test() -> str | None:
    """The id of the running test that must stay offline (CI without recording asked), or None."""
    return _TestPolicy.offline_test


def set_offline_test(test_id: str | None) -> None:
    _TestPolicy.offline_test = test_id


def offline_reason(test_id: str) -> str:
    """What follows "network access to HOST:PORT " when an offline CI test tries the network."""
    variable = ci_variable() or "CI"
    return (
        f"from test {test_id} is blocked: {variable} is set, so cassette tests stay offline unless "
        "the command line asks to record (--run-record-mode=once); replay it from a cassette, or "
        "allow the host with --run-allowed-hosts."
    )
