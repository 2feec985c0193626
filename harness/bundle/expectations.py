"""What the harness reconstructs from a cassette, in the terms a bundle's generated test asserts.

One outcome per protocol the cassette's streams speak (:func:`harness.validation.protocol_parts`,
in order of first appearance), each folded by that protocol: its final object as
``inspect --format json`` names it (``final_run``, ``final_response``, ``final_completion``), the
conversation it tells (:mod:`harness.conversation`) and its diagnostic codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from harness.cassette.model import Cassette, Exchange
from harness.validation import protocol_parts

Outcome = dict[str, Any]


@dataclass(frozen=True)
class Expectations:
    outcomes: list[Outcome]
    events: int

    @property
    def diagnostics(self) -> list[str]:
        return [code for outcome in self.outcomes for code in outcome["diagnostics"]]


def expectations_of(cassette: Cassette) -> Expectations:
    streams = cassette.event_streams()
    return Expectations(outcomes(cassette.exchanges), sum(len(events) for events in streams))


def outcomes(exchanges: Sequence[Exchange]) -> list[Outcome]:
    """Per protocol: ``protocol``, ``streams`` (numbered from 1 among the streams), the final
    ``status`` of its conversation, ``conversation`` (the lines of the neutral view), the codes of
    its ``diagnostics``, then the final object under its ``final_*`` key (the most detailed last,
    so that a failing test names the most readable difference first)."""
    found = []
    for part in protocol_parts(exchanges):
        transcript = part.fold()
        shown = transcript.to_dict()
        finals = {key: value for key, value in shown.items() if key.startswith("final_")}
        view = part.protocol.conversation(exchanges)  # which of them it reads is the protocol's rule
        found.append(
            {
                "protocol": part.protocol.name,
                "streams": [number + 1 for number in part.stream_numbers],
                "status": view.status,
                "conversation": view.lines(limit=None),
                "diagnostics": [diagnostic.code for diagnostic in transcript.diagnostics],
                **finals,
            }
        )
    return found
