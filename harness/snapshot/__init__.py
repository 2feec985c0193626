"""Snapshots of run conversations for syrupy: normalized (placeholders for ids and clocks) and readable."""

from harness.snapshot.extension import MaskedTimestampsRunSnapshotExtension, RunSnapshotExtension
from harness.snapshot.placeholders import Placeholder, Placeholders
from harness.snapshot.recorded import RecordedTranscript, recorded_transcript
from harness.snapshot.text import render_transcript

__all__ = [
    "MaskedTimestampsRunSnapshotExtension",
    "Placeholder",
    "Placeholders",
    "RecordedTranscript",
    "RunSnapshotExtension",
    "recorded_transcript",
    "render_transcript",
]
