"""Checking option values, so a bad one stops with a one-line message naming the option."""

from __future__ import annotations

from harness import options
from harness.cli.errors import CommandError
from harness.replay.chunking import Chunking


def scenario_name(value: str) -> str:
    from harness.emulator import SCENARIO_NAMES

    if value not in SCENARIO_NAMES:
        raise CommandError(f"unknown scenario {value!r}; choose one of {', '.join(SCENARIO_NAMES)}")
    return value


def non_negative_int(option: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return options.positive_int(value, name=option, minimum=0)
    except ValueError as error:
        raise CommandError(str(error)) from None


def chunking(value: str) -> Chunking:
    try:
        return options.chunking(value)
    except ValueError as error:
        raise CommandError(f"--chunking: {error}") from None


def speed(value: str) -> float:
    try:
        return options.speed(value, name="--speed")
    except ValueError as error:
        raise CommandError(str(error)) from None
