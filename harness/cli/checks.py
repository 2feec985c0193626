"""What ``harness validate`` checks in one file, each finding an error or a warning.

Errors: the file does not load, a secret is still in it, or a stream breaks
the protocol in a way a client would trip over (bad JSON, a delta for an
object never introduced, deltas that disagree with the final snapshot, a
stream that stops without ``done`` for no recorded reason...).

Warnings: what real servers do and clients survive: fields or shapes the
reference does not list (old ``assistants=v1`` recordings are full of them),
an event name naming another status than its data, a recorded ``error``
event (and the missing ``done`` after it), a stream the recording client
closed early, a cassette holding no run stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from harness.cassette.load import MAX_CASSETTE_BYTES, load_cassette_noting_refits
from harness.cassette.model import Cassette
from harness.cassette.secrets import cassette_secrets, text_secrets
from harness.diagnostics import Diagnostic
from harness.errors import CassetteError
from harness.models import typed_events
from harness.reconstruct import codes, reconstruct
from harness.sse import ServerSentEvent, parse_sse

Level = Literal["error", "warning"]

WARNING_CODES = frozenset(
    {
        "unknown-field",
        "unknown-type",
        "reference-deviation",
        codes.STATUS_MISMATCH,
        codes.UNKNOWN_EVENT,
        codes.ERROR_EVENT,
        codes.DELTA_AFTER_TERMINAL,
    }
)
PER_EVENT_CODES = frozenset({"unknown-field", "unknown-type"})
# An ended-early stream is expected after a recorded `error` event or a recorded early close.
ENDED_EARLY_CODES = frozenset({codes.MISSING_DONE, codes.RUN_NOT_FINISHED})


@dataclass(frozen=True)
class Finding:
    level: Level
    text: str


def check_file(path: Path) -> list[Finding]:
    """Every finding for the cassette (or ``.sse`` body) at ``path``; empty when it is clean."""
    try:
        cassette, refits = load_cassette_noting_refits(path)
    except CassetteError as error:
        where = f"{error.location}: " if error.location else ""
        return [Finding("error", f"does not load: {where}{error.reason}"), *_raw_secrets(path)]
    findings = [Finding("warning", note.removeprefix(f"{path}: ")) for note in refits]
    findings += [Finding("error", f"secret left in {finding}") for finding in cassette_secrets(cassette)]
    return findings + _protocol_findings(cassette)


def _raw_secrets(path: Path) -> list[Finding]:
    """Key-shaped strings in the text of a file that does not load, named with their line."""
    try:
        if path.stat().st_size > MAX_CASSETTE_BYTES:
            return []
        data = path.read_bytes()
    except OSError:
        return []
    text = data.decode("utf-8", "replace")
    return [
        Finding("error", f"secret left in the raw text, line {text.count(chr(10), 0, offset) + 1}: {sample}")
        for offset, sample in text_secrets(text)
    ]


def _protocol_findings(cassette: Cassette) -> list[Finding]:
    streams = [parse_sse(stream.frames) for stream in cassette.streams]
    run_streams = [events for events in streams if any(e.event.startswith("thread.") for e in events)]
    if not run_streams:
        return [
            Finding(
                "warning",
                f"holds no run stream ({len(cassette.exchanges)} exchanges, {len(streams)} event streams)",
            )
        ]
    ended_early = {
        index
        for index, (stream, events) in enumerate(zip(cassette.streams, streams, strict=True))
        if stream.cut is not None or any(event.event == "error" for event in events)
    }
    found: list[Finding] = []
    seen: set[tuple[str, int | None, int | None, str | None]] = set()
    # conformance checks every event, so the transcript's summary of unknown fields would repeat it
    protocol = [d for d in reconstruct(streams).diagnostics if d.code not in PER_EVENT_CODES]
    for diagnostic in [*protocol, *_conformance(streams)]:
        key = (diagnostic.code, diagnostic.stream, diagnostic.event, diagnostic.path)
        if key in seen:
            continue
        seen.add(key)
        found.append(Finding(_level(diagnostic, ended_early), str(diagnostic)))
    return found


def _conformance(streams: list[list[ServerSentEvent]]) -> list[Diagnostic]:
    return [
        diagnostic
        for index, events in enumerate(streams)
        for event in typed_events(events, stream=index)
        for diagnostic in event.diagnostics
    ]


def _level(diagnostic: Diagnostic, ended_early: set[int]) -> Level:
    if diagnostic.code in WARNING_CODES:
        return "warning"
    if diagnostic.code in ENDED_EARLY_CODES and diagnostic.stream in ended_early:
        return "warning"
    return "error"
