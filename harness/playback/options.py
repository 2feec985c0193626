"""Options shared by recording and replay, resolved once per cassette."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from harness.matching import DEFAULT_MATCH_ON, Matcher
from harness.replay.chunking import AS_RECORDED, Chunking
from harness.replay.faults import Fault
from harness.scrub import ScrubRules

RECORD_MODES = ("none", "once", "new_episodes", "all")


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def resolve_record_mode(record_mode: str | None) -> str:
    """The given mode, else ``none`` when the ``CI`` environment variable is set, else ``once``."""
    if record_mode is None:
        return "none" if running_in_ci() else "once"
    mode = str(getattr(record_mode, "value", record_mode))
    if mode not in RECORD_MODES:
        raise ValueError(f"unknown record mode {record_mode!r}; choose one of {', '.join(RECORD_MODES)}")
    return mode


@dataclass(frozen=True)
class ReplayOptions:
    chunking: Chunking = AS_RECORDED
    speed: float = 0.0
    faults: tuple[Fault, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.speed < math.inf:  # NaN fails too
            raise ValueError(f"replay speed must be 0 (instant) or a positive factor, got {self.speed}")


@dataclass(frozen=True)
class CassetteOptions:
    record_mode: str = "once"
    match_on: Sequence[str | Matcher] = DEFAULT_MATCH_ON
    ignore_body_fields: Sequence[str] = ()
    replay: ReplayOptions = ReplayOptions()
    scrub: ScrubRules = field(default_factory=ScrubRules)
    allow_playback_repeats: bool = False
    fail_on_unplayed: bool = False
