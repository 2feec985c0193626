"""Options of one cassette session: record mode, matching, scrubbing, and how replays are served."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from harness.matching import DEFAULT_MATCH_ON, Matcher
from harness.replay.options import ReplayOptions
from harness.scrub import ScrubRules


@dataclass(frozen=True)
class CassetteOptions:
    record_mode: str = "once"
    match_on: Sequence[str | Matcher] = DEFAULT_MATCH_ON
    ignore_body_fields: Sequence[str] = ()
    replay: ReplayOptions = field(default_factory=ReplayOptions)
    scrub: ScrubRules = field(default_factory=ScrubRules)
    allow_playback_repeats: bool = False
    fail_on_unplayed: bool = False
