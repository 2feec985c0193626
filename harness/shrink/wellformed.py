"""Whether a candidate still follows its streams' protocol as far as the original did.

The problems are those ``harness validate`` counts as errors (the one policy of
:mod:`harness.validation`: a missing end is forgiven after a recorded error or
an early close), a stream's missing end in every protocol (a warning to
``validate`` for Responses and Chat streams), plus the cross-references the protocol says a conversation
must keep (for run streams: steps and messages name a run present, a finished
run leaves nothing open...). A candidate is accepted when it has no kind of
problem the original did not already have.
"""

from __future__ import annotations

from harness.cassette.model import Cassette
from harness.diagnostics import Diagnostic
from harness.protocols import DEFAULT, StreamProtocol, fold
from harness.validation import ended_early, protocol_parts, severity


def protocol_problems(cassette: Cassette) -> frozenset[str]:
    """The kinds of protocol problems in ``cassette`` (empty when it is well-formed)."""
    parts = protocol_parts(cassette)
    if not parts:  # a cassette without a stream is what a fold of one empty stream reports
        return frozenset(d.code for d in fold(DEFAULT, [[]]).diagnostics)
    found: set[str] = set()
    for part in parts:
        stopped_early = ended_early(part)
        transcript = part.fold()
        found.update(
            diagnostic.code
            for diagnostic in part.placed(transcript.diagnostics)
            if _breaks(diagnostic, part.protocol, stopped_early)
        )
        names = [[event.event for event in stream.events()] for stream in part.streams]
        found |= part.protocol.wellformedness_problems(transcript, names)
    return frozenset(found)


def _breaks(diagnostic: Diagnostic, protocol: StreamProtocol, stopped_early: set[int]) -> bool:
    """An error, or a stream's missing end (whatever severity the protocol gives it: a Responses
    stream cut before its terminal event is a warning to ``validate``) where nothing recorded
    explains it: a client waiting for the end would hang or raise."""
    found = severity(diagnostic, protocol, stopped_early)
    return found == "error" or (diagnostic.code in protocol.ended_early_codes and found != "info")


class WellFormedness:
    """Accepts candidates that add no kind of protocol problem to those of the original."""

    def __init__(self, original: Cassette) -> None:
        self.baseline = protocol_problems(original)

    def accepts(self, candidate: Cassette) -> bool:
        return protocol_problems(candidate) <= self.baseline
