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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from harness.cassette.load import MAX_CASSETTE_BYTES, load_cassette_noting_refits
from harness.cassette.model import Cassette
from harness.cassette.secrets import cassette_secrets, text_secrets
from harness.diagnostics import Diagnostic
from harness.errors import CassetteError
from harness.protocols import Severity
from harness.protocols.mixed import place
from harness.sse.event import ServerSentEvent
from harness.validation import ProtocolPart, ended_early, protocol_parts, severity

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
    listing = _Listing()
    for part in parts:
        # the fold's findings of a part are listed before its per-event checks, as if each were
        # taken whole; both are read in one pass, each finding counted as it is raised
        folded, checked = _Listing(), _Listing()
        _check_part(part, folded, checked)
        folded.replay_into(listing)
        checked.replay_into(listing)
    return [Finding(level, str(diagnostic)) for (level, _), diagnostic in listing.kept()] + [
        Finding(level, f"... and {count:,} more {code} findings like these", count)
        for (level, code), count in listing.unlisted.items()
    ]


Kind = tuple[Level, str]  # a finding's level and diagnostic code: what the listing caps
_Key = tuple[str, int | None, int | None, str | None]  # what makes two diagnostics one finding


class _Listing:
    """Diagnostics in the order found, the first :data:`MAX_LISTED_PER_CODE` of each kind kept and
    the rest only counted (a stream broken in each of a million events costs no memory)."""

    def __init__(self) -> None:
        # kept diagnostics, and (kind, None) where a kind first had one too many
        self._entries: list[tuple[Kind, Diagnostic | None]] = []
        self._kept: Counter[Kind] = Counter()
        self.unlisted: Counter[Kind] = Counter()

    def add(self, kind: Kind, diagnostic: Diagnostic) -> None:
        if self._kept[kind] < MAX_LISTED_PER_CODE:
            self._kept[kind] += 1
            self._entries.append((kind, diagnostic))
        else:
            self.count(kind, 1)

    def count(self, kind: Kind, number: int) -> None:
        if kind not in self.unlisted:
            self._entries.append((kind, None))
        self.unlisted[kind] += number

    def kept(self) -> list[tuple[Kind, Diagnostic]]:
        return [(kind, diagnostic) for kind, diagnostic in self._entries if diagnostic is not None]

    def replay_into(self, listing: _Listing) -> None:
        """Add these diagnostics to ``listing`` as if added there one by one, in order."""
        for kind, diagnostic in self._entries:
            if diagnostic is None:
                listing.count(kind, self.unlisted[kind])
            else:
                listing.add(kind, diagnostic)


def _check_part(part: ProtocolPart, folded: _Listing, checked: _Listing) -> None:
    """The fold's diagnostics of ``part`` into ``folded`` and its per-event checks into ``checked``,
    a diagnostic the fold raised already not checked twice.

    Events are decoded once and read by both as they come: the fold is fed an event just before
    the checks read it, so the fold's findings about that event are known when its checks run (a
    finding is one per code, stream, event and path). Only the keys of the event being read, and
    of the fold's findings about no event or another event of the stream, are remembered."""
    protocol = part.protocol
    stopped_early = ended_early(part)
    per_event_codes = protocol.per_event_codes
    numbers = part.stream_numbers
    current: set[_Key] = set()  # findings about the event being read
    others: set[_Key] = set()  # the fold's findings of this stream about no event or another one
    reading: list[int] = [-1]  # the index of the event being read in its stream

    def new(diagnostic: Diagnostic, keys: set[_Key]) -> bool:
        key = (diagnostic.code, diagnostic.stream, diagnostic.event, diagnostic.path)
        if key in current or key in others:
            return False
        keys.add(key)
        return True

    def classified(diagnostic: Diagnostic) -> Kind:
        return (severity(diagnostic, protocol, stopped_early), diagnostic.code)

    def from_fold(diagnostic: Diagnostic) -> None:
        if diagnostic.code in per_event_codes:  # the checks find these per event
            return
        diagnostic = place(diagnostic, numbers)
        if new(diagnostic, current if diagnostic.event == reading[0] else others):
            folded.add(classified(diagnostic), diagnostic)

    folder = protocol.new_folder(sink=from_fold)

    def fed(events: Iterable[ServerSentEvent]) -> Iterator[ServerSentEvent]:
        for index, event in enumerate(events):
            current.clear()  # the checks of the event before are done
            reading[0] = index
            folder.feed(event)
            yield event

    for number, stream in zip(numbers, part.streams, strict=True):
        events = fed(stream.iter_events())
        for diagnostic in protocol.conformance(events, number):
            if new(diagnostic, current if diagnostic.event == reading[0] else others):
                checked.add(classified(diagnostic), diagnostic)
        for _ in events:  # a protocol without per-event checks reads none
            pass
        current.clear()
        reading[0] = -1
        folder.end_stream()
        current.clear()
        others.clear()
    for diagnostic in folder.transcript().diagnostics:  # found on the final objects
        from_fold(diagnostic)
