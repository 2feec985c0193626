"""What cassette a test uses and with which options: marker, ``run_cassette_config``, command line.

Precedence, highest first: the closest ``run_cassette`` marker, ``run_cassette_config``, the
command line, the ini file, the harness defaults. The record mode is the exception: an explicit
``--run-record-mode`` wins over everything (so one command can re-record or forbid recording),
and with ``CI`` set nothing but that option can turn recording on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from harness.errors import HarnessError
from harness.options import RECORD_MODES, RECORDING_MODES
from harness.pytest_plugin.naming import (
    cassette_path,
    cassette_suffix,
    default_cassette_path,
    legacy_cassette_name,
    named_cassette_candidates,
)
from harness.pytest_plugin.options import Settings
from harness.replay.chunking import Chunking

MARKER = "run_cassette"
CASSETTE_OPTIONS = frozenset(
    {
        "record_mode",
        "match_on",
        "ignore_body_fields",
        "scrub",
        "chunking",
        "speed",
        "faults",
        "fail_on_unplayed",
        "allow_playback_repeats",
    }
)
MARKER_ONLY_OPTIONS = frozenset({"name", "chunkings"})  # read while collecting, before fixtures exist
CONFIG_ONLY_OPTIONS = frozenset({"cassette_dir"})
#: Modes that never write to a cassette that exists, so one recorded under a test's legacy name may
#: be replayed; ``new_episodes`` would add to it and ``all`` rewrite it (it may be another test's),
#: so they record under the new name.
LEGACY_REPLAY_MODES = frozenset({"none", "once"})


class CassetteOptionError(HarnessError, ValueError):
    """A marker or ``run_cassette_config`` option the harness cannot use."""


@dataclass(frozen=True)
class CassettePlan:
    path: Path
    options: dict[str, Any] = field(default_factory=dict)
    #: Set when ``path`` is the cassette recorded under the test's legacy name: the test's own path,
    #: which does not exist yet.
    own_path: Path | None = None

    @property
    def may_record(self) -> bool:
        return self.options["record_mode"] in RECORDING_MODES


def marker_options(item: pytest.Item | pytest.Function) -> dict[str, Any]:
    """The ``run_cassette`` markers merged, the closest (function over class over module) winning."""
    merged: dict[str, Any] = {}
    for mark in reversed(list(item.iter_markers(MARKER))):
        if len(mark.args) > 1:
            raise CassetteOptionError(f"@pytest.mark.{MARKER} takes at most one positional argument (name)")
        if mark.args:
            merged["name"] = mark.args[0]
        merged.update(mark.kwargs)
    _check_keys(merged, CASSETTE_OPTIONS | MARKER_ONLY_OPTIONS, f"@pytest.mark.{MARKER}")
    return merged


def _check_keys(options: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise CassetteOptionError(
            f"{where} got unknown option(s) {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(sorted(allowed))}"
        )


def marker_chunkings(
    item: pytest.Item | pytest.Function, settings: Settings, from_marker: Mapping[str, Any] | None = None
) -> tuple[str, ...]:
    """The chunkings to run ``item`` under in parser regression mode; empty when not in that mode.
    ``from_marker``: the item's :func:`marker_options`, when they were merged already."""
    chunkings = (marker_options(item) if from_marker is None else from_marker).get("chunkings")
    if chunkings is None:
        return settings.regression_chunkings
    if isinstance(chunkings, str) or not chunkings:
        raise CassetteOptionError(
            f"chunkings= takes a non-empty list, e.g. ['recorded', 'byte'], got {chunkings!r}"
        )
    return tuple(str(Chunking.parse(chunking)) for chunking in chunkings)


def record_mode(settings: Settings, per_test: str | None, replays_for_another_chunking: bool) -> str:
    if settings.record_mode_from_command_line is not None:
        mode = settings.record_mode_from_command_line
    else:
        mode = per_test or settings.record_mode_from_ini or ("none" if settings.in_ci else "once")
        if settings.in_ci and mode in RECORDING_MODES:
            mode = "none"
    if mode not in RECORD_MODES:
        raise CassetteOptionError(f"unknown record mode {mode!r}; choose one of {', '.join(RECORD_MODES)}")
    if replays_for_another_chunking and mode in ("new_episodes", "all"):
        # The first chunking (re)records; the others replay that recording, or record it only
        # when they happen to run first (xdist) and it does not exist yet.
        mode = "once"
    return mode


def plan_cassette(
    item: pytest.Item,
    settings: Settings,
    config_fixture: Mapping[str, Any],
    chunking: str | None,
    first_chunking: bool,
    from_marker: Mapping[str, Any] | None = None,
) -> CassettePlan:
    _check_keys(config_fixture, CASSETTE_OPTIONS | CONFIG_ONLY_OPTIONS, "run_cassette_config")
    from_marker = marker_options(item) if from_marker is None else from_marker
    options: dict[str, Any] = {}
    if settings.chunking is not None and settings.chunking != "all":
        options["chunking"] = settings.chunking
    if settings.speed is not None:
        options["speed"] = settings.speed
    options.update({key: value for key, value in config_fixture.items() if key in CASSETTE_OPTIONS})
    options.update({key: value for key, value in from_marker.items() if key in CASSETTE_OPTIONS})
    if chunking is not None:
        options["chunking"] = chunking
    options["record_mode"] = record_mode(settings, options.get("record_mode"), not first_chunking)
    directory = config_fixture.get("cassette_dir")
    cassette_dir = Path(item.path).parent / directory if directory is not None else settings.cassette_dir
    name = from_marker.get("name")
    plan = CassettePlan(cassette_path(item, name, cassette_dir), options)
    if name is None and options["record_mode"] in LEGACY_REPLAY_MODES:
        plan = _legacy_fallback(item, plan, cassette_dir)
    if plan.may_record and plan.path.suffix.lower() != cassette_suffix() and not plan.path.exists():
        raise CassetteOptionError(
            _no_foreign_recording(item, str(from_marker["name"]), cassette_dir, plan.path)
        )
    return plan


def _legacy_fallback(item: pytest.Item, plan: CassettePlan, cassette_dir: Path | None) -> CassettePlan:
    """The plan replaying the cassette of the test's legacy name, when only that one exists."""
    legacy_name = legacy_cassette_name(item)
    if legacy_name is None or plan.path.exists():
        return plan
    legacy = default_cassette_path(item, legacy_name, cassette_dir)
    if not legacy.is_file():
        return plan
    return CassettePlan(legacy, plan.options, own_path=plan.path)


def _no_foreign_recording(item: pytest.Item, name: str, cassette_dir: Path | None, path: Path) -> str:
    looked = ", ".join(str(candidate) for candidate in named_cassette_candidates(item, name, cassette_dir))
    return (
        f"cassette {name!r} was not found (looked at {looked}), and the harness records only its own "
        f"format ({cassette_suffix()}), so it will not create {path.name}: give the path of the existing "
        f"cassette, or name a new one {path.stem + cassette_suffix()!r} (`harness import` converts a "
        "foreign cassette to the harness format)."
    )
