"""Checking option values, so a bad one stops with a one-line message naming the option."""

from __future__ import annotations

import argparse
import math
import textwrap

from harness import options
from harness.cli.errors import CommandError
from harness.replay.chunking import Chunking

SCENARIO_OPTION = "--scenario"


class ScenarioHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Lists the emulator's scenarios in the help of ``--scenario``, importing the emulator only
    when help is shown."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = super()._get_help_string(action)
        if text is not None and SCENARIO_OPTION in action.option_strings:
            from harness.emulator import SCENARIO_NAMES

            text = f"{text}; one of: {', '.join(SCENARIO_NAMES)}"
        return text

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)  # keep tool-call whole


def scenario_name(value: str, api: str = "assistants") -> str:
    from harness.emulator import API_SCENARIOS

    names = API_SCENARIOS[api]
    if value not in names:
        on = "" if api == "assistants" else f" for --api {api}"
        raise CommandError(f"unknown scenario {value!r}{on}; choose one of {', '.join(names)}")
    return value


def non_negative_int(option: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return options.positive_int(value, name=option, minimum=0)
    except ValueError as error:
        raise CommandError(str(error)) from None


def port(value: str) -> int:
    number = non_negative_int("--port", value)
    if number is None or number > 65535:
        raise CommandError(f"--port needs a number from 0 to 65535, got {value!r}")
    return number


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


def seconds(option: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise CommandError(f"{option} needs a number of seconds, 0 or more, got {value!r}")
    return number
