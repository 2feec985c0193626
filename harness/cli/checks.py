"""What ``harness validate`` checks in one file, each finding an error, a warning or a note.

Errors: the file does not load, a secret is still in it, or a stream breaks
the protocol in a way a client would trip over (bad JSON, a delta for an
object never introduced, deltas that disagree with the final snapshot, a
stream that stops without ``done`` for no recorded reason...).

Warnings: protocol breaks clients survive: an event name naming another
status than its data, an unknown event, a recorded ``error`` event (and the
missing ``done`` after it), a stream the recording client closed early, a
shape only ``assistants=v1`` used, a cassette holding no run stream.

Notes: field-level differences from the reference that real servers send
(``"instructions": null``, a field older recordings lack, a key the models do
not know). ``--strict`` fails on warnings, never on notes. Severities come
from the protocol (:mod:`harness.protocols`); the policy is :mod:`harness.validation`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from harness.cassette.load import MAX_CASSETTE_BYTES, load_cassette_noting_refits
from harness.cassette.model import Cassette
from harness.cassette.secrets import cassette_secrets, text_secrets
from harness.errors import CassetteError
from harness.protocols import Severity
from harness.validation import ended_early, protocol_parts, severity

Level = Severity


# Findings listed per diagnostic code and level; past it they are counted (a hostile stream can break
# the same rule in each of millions of events, and a line for each says nothing more).
MAX_LISTED_PER_CODE = 100


@dataclass(frozen=True)
class Finding:
    level: Level
    text: str
    count: int = 1  # more than one: a line standing for that many findings not listed


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
    parts = protocol_parts(cassette, claimed_only=True)
    if not parts:
        streams = len(cassette.streams)
        return [
            Finding(
                "warning",
                f"holds no run stream ({len(cassette.exchanges)} exchanges, {streams} event streams)",
            )
        ]
    found: list[Finding] = []
    seen: set[tuple[str, int | None, int | None, str | None]] = set()
    listed: Counter[tuple[Level, str]] = Counter()
    unlisted: Counter[tuple[Level, str]] = Counter()
    for part in parts:
        protocol = part.protocol
        stopped_early = ended_early(part)
        events = part.events()
        # conformance checks every event, so the transcript's summary of unknown fields would repeat it
        folded = [d for d in part.placed(part.fold().diagnostics) if d.code not in protocol.per_event_codes]
        checked = [
            d
            for number, stream_events in zip(part.stream_numbers, events, strict=True)
            for d in protocol.conformance(stream_events, number)
        ]
        for diagnostic in [*folded, *checked]:
            key = (diagnostic.code, diagnostic.stream, diagnostic.event, diagnostic.path)
            if key in seen:
                continue
            seen.add(key)
            level = severity(diagnostic, protocol, stopped_early)
            kind = (level, diagnostic.code)
            if listed[kind] >= MAX_LISTED_PER_CODE:
                unlisted[kind] += 1
                continue
            listed[kind] += 1
            found.append(Finding(level, str(diagnostic)))
    return found + [
        Finding(level, f"... and {count:,} more {code} findings like these", count)
        for (level, code), count in unlisted.items()
    ]
