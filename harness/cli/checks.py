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

import dataclasses
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from harness.cassette.load import MAX_CASSETTE_BYTES, noted_refits, read_exchanges
from harness.cassette.model import Exchange, RecordedStream, each_exchange
from harness.cassette.secrets import SecretFinding, find_secrets, text_secrets
from harness.diagnostics import Diagnostic
from harness.errors import CassetteError
from harness.protocols import Severity, StreamProtocol, claimed_by, sniffed_events
from harness.protocols.mixed import place
from harness.sse.event import ServerSentEvent
from harness.validation import severity, stopped_early

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
    """Every finding for the cassette (or ``.sse`` body) at ``path``; empty when it is clean.

    The exchanges are checked as they are read (:func:`read_exchanges`): a HAR of a million entries
    is never held whole. A file that does not load has only that error and its raw secrets."""
    exchanges = _ExchangeChecks()
    try:
        with noted_refits() as refits:
            metadata = each_exchange(read_exchanges(path), exchanges.add).metadata
    except CassetteError as error:
        where = f"{error.location}: " if error.location else ""
        return [Finding("error", f"does not load: {where}{error.reason}"), *_raw_secrets(path)]
    findings = [Finding("warning", note.removeprefix(f"{path}: ")) for note in refits]
    secrets = [*find_secrets([], metadata=metadata), *exchanges.secrets]
    findings += [Finding("error", f"secret left in {finding}") for finding in secrets]
    return findings + exchanges.protocol_findings()


class _ExchangeChecks:
    """The secrets and protocol checks of a cassette's exchanges, fed one at a time."""

    def __init__(self) -> None:
        self.secrets: list[SecretFinding] = []
        self._parts: dict[str, _PartCheck] = {}
        self._exchanges = 0
        self._streams = 0

    def add(self, exchange: Exchange) -> None:
        self.secrets += [
            dataclasses.replace(finding, exchange=self._exchanges) for finding in find_secrets([exchange])
        ]
        self._exchanges += 1
        stream = exchange.response.stream
        if stream is None:
            return
        number = self._streams
        self._streams += 1
        # decoded once: the first events tell the protocol, then all are read again from them on
        head, events = sniffed_events(stream.iter_events())
        protocol = claimed_by(event.event for event in head)
        if protocol is None:
            return
        if protocol.name not in self._parts:
            self._parts[protocol.name] = _PartCheck(protocol)
        self._parts[protocol.name].stream(number, stream, events)

    def protocol_findings(self) -> list[Finding]:
        if not self._parts:
            return [
                Finding(
                    "warning",
                    f"holds no run stream ({self._exchanges} exchanges, {self._streams} event streams)",
                )
            ]
        listing = _Listing()
        for part in self._parts.values():
            # the fold's findings of a part are listed before its per-event checks, as if each were
            # taken whole; both are read in one pass, each finding counted as it is raised
            part.finish()
            part.folded.replay_into(listing)
            part.checked.replay_into(listing)
        return [Finding(level, str(diagnostic)) for (level, _), diagnostic in listing.kept()] + [
            Finding(level, f"... and {count:,} more {code} findings like these", count)
            for (level, code), count in listing.unlisted.items()
        ]


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


class _PartCheck:
    """The fold's diagnostics of one protocol's streams into ``folded`` and their per-event checks
    into ``checked``, a diagnostic the fold raised already not checked twice; streams fed one at a
    time, in the cassette's order.

    Events are decoded once and read by both as they come: the fold is fed an event just before
    the checks read it, so the fold's findings about that event are known when its checks run (a
    finding is one per code, stream, event and path). Only the keys of the event being read, and
    of the fold's findings about no event or another event of the stream, are remembered."""

    def __init__(self, protocol: StreamProtocol) -> None:
        self.protocol = protocol
        self.folded, self.checked = _Listing(), _Listing()
        self._numbers = array("q")  # the cassette's number of each stream of the part
        self._stopped_early: set[int] = set()
        self._current: set[_Key] = set()  # findings about the event being read
        self._others: set[_Key] = set()  # the fold's findings of this stream about no event or another one
        self._reading = -1  # the index of the event being read in its stream
        self._folder = protocol.new_folder(sink=self._from_fold)

    def _new(self, diagnostic: Diagnostic) -> bool:
        keys = self._current if diagnostic.event == self._reading else self._others
        key = (diagnostic.code, diagnostic.stream, diagnostic.event, diagnostic.path)
        if key in self._current or key in self._others:
            return False
        keys.add(key)
        return True

    def _classified(self, diagnostic: Diagnostic) -> Kind:
        return (severity(diagnostic, self.protocol, self._stopped_early), diagnostic.code)

    def _from_fold(self, diagnostic: Diagnostic) -> None:
        if diagnostic.code in self.protocol.per_event_codes:  # the checks find these per event
            return
        diagnostic = place(diagnostic, self._numbers)
        if self._new(diagnostic):
            self.folded.add(self._classified(diagnostic), diagnostic)

    def _fed(self, events: Iterable[ServerSentEvent], names: set[str]) -> Iterator[ServerSentEvent]:
        feed = self._folder.feed
        seen = names.add
        for index, event in enumerate(events):
            self._current.clear()  # the checks of the event before are done
            self._reading = index
            seen(event.event)
            feed(event)
            yield event

    def stream(self, number: int, stream: RecordedStream, events: Iterable[ServerSentEvent]) -> None:
        """Check the part's next stream, number ``number`` among the cassette's streams, reading its
        ``events`` once."""
        self._numbers.append(number)
        names: set[str] = set()
        fed = self._fed(events, names)
        for diagnostic in self.protocol.conformance(fed, number):
            if self._new(diagnostic):
                self.checked.add(self._classified(diagnostic), diagnostic)
        for _ in fed:  # a protocol without per-event checks reads none
            pass
        # known once every name is read, before the stream ends: the ended-early codes come then
        if stopped_early(self.protocol, stream, names):
            self._stopped_early.add(number)
        self._current.clear()
        self._reading = -1
        self._folder.end_stream()
        self._current.clear()
        self._others.clear()

    def finish(self) -> None:
        for diagnostic in self._folder.transcript().diagnostics:  # found on the final objects
            self._from_fold(diagnostic)
