"""Checking option values, so a bad one stops with a one-line message naming the option."""

from __future__ import annotations

from harness.cli.errors import CommandError
from harness.emulator import SCENARIO_NAMES
from harness.replay.chunking import Chunking


def scenario_name(value: str) -> str:
    if value not in SCENARIO_NAMES:
        raise CommandError(f"unknown scenario {value!r}; choose one of {', '.join(SCENARIO_NAMES)}")
    return value


def non_negative_int(option: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise CommandError(f"{option} needs a whole number of 0 or more, got {value!r}")
    return number


def chunking(value: str) -> Chunking:
    try:
        return Chunking.parse(value)
    except ValueError as error:
        raise CommandError(f"--chunking: {error}") from None


def speed(value: str) -> float:
    try:
        factor = float(value)
    except ValueError:
        factor = -1.0
    if not factor >= 0 or factor == float("inf"):
        raise CommandError(f"--speed needs 0 (instant) or a positive factor (1 = as recorded), got {value!r}")
    return factor
