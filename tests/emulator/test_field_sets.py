"""Per event name, the emulator sends exactly the JSON keys the real API sends (v2 captures)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest

from harness.emulator import Emulator, FixedClock
from harness.sse import ServerSentEvent, parse_sse
from tests.emulator.support import CORPUS, WEATHER_TOOL, key_paths, stream_scenario

# The newest captures: assistants=v2 with the 2025-2026 fields.
V2_FILES = ["006", "007", "008", "009", "010", "011", "012", "013", "014", "015"]
# Code-interpreter outputs and image_file message parts only occur in older captures;
# their shapes are taken from there.
OUTPUT_SHAPE_FILES = ["003", "017"]
OUTPUT_SHAPE_MARKERS = ("outputs[]", "image_file")
# Chosen by the client, not by the API: the tool's JSON schema and the metadata.
CLIENT_CHOSEN = (".parameters.", "metadata.")


def _corpus_events(prefixes: list[str]) -> list[ServerSentEvent]:
    events: list[ServerSentEvent] = []
    for prefix in prefixes:
        (path,) = CORPUS.glob(f"{prefix}-*.sse")
        events.extend(parse_sse(path.read_bytes()))
    return events


def _paths_by_event(events: list[ServerSentEvent]) -> dict[str, set[str]]:
    paths: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.event in ("done", "error"):
            continue
        paths[event.event] |= {
            p for p in key_paths(json.loads(event.data)) if not any(marker in p for marker in CLIENT_CHOSEN)
        }
    return paths


def _expected() -> dict[str, set[str]]:
    expected = _paths_by_event(_corpus_events(V2_FILES))
    for name, paths in _paths_by_event(_corpus_events(OUTPUT_SHAPE_FILES)).items():
        expected[name] |= {p for p in paths if any(m in p for m in OUTPUT_SHAPE_MARKERS)}
    return expected


def _emulated() -> dict[str, set[str]]:
    events: list[ServerSentEvent] = []
    plays: list[tuple[str, list[dict[str, Any]], bool]] = [
        ("text", [], False),
        ("tool-call", [WEATHER_TOOL], True),
        ("file-search", [{"type": "file_search"}], False),
        ("code-interpreter", [{"type": "code_interpreter"}], False),
    ]
    for scenario, tools, create_and_run in plays:
        emulator = Emulator(scenario=scenario, seed=11, clock=FixedClock(), event_delay=0)
        for stream in stream_scenario(emulator, scenario, tools=tools, create_and_run=create_and_run):
            events.extend(stream)
    return _paths_by_event(events)


EXPECTED = _expected()
EMULATED = _emulated()


def test_the_same_event_names_as_the_corpus() -> None:
    assert set(EMULATED) == set(EXPECTED)


@pytest.mark.parametrize("event_name", sorted(EXPECTED))
def test_no_extra_and_no_missing_keys(event_name: str) -> None:
    emulated = EMULATED.get(event_name, set())
    expected = EXPECTED[event_name]
    assert sorted(emulated - expected) == [], "keys the real API never sent"
    assert sorted(expected - emulated) == [], "keys the real API sends that the emulator lacks"
