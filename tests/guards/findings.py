"""Reading a folded transcript's diagnostics: (code, event) pairs, and the one finding of a code."""

from __future__ import annotations

from harness.diagnostics import Diagnostic
from harness.protocols.base import FoldedTranscript


def codes_at(transcript: FoldedTranscript) -> list[tuple[str, int | None]]:
    return [(diagnostic.code, diagnostic.event) for diagnostic in transcript.diagnostics]


def only(transcript: FoldedTranscript, code: str) -> Diagnostic:
    found = [diagnostic for diagnostic in transcript.diagnostics if diagnostic.code == code]
    assert len(found) == 1, transcript.diagnostics
    return found[0]
