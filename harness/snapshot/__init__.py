"""Snapshots of run conversations for syrupy: normalized (placeholders for ids and clocks) and readable.

The syrupy extensions are imported on first use, so that the normalizer and the text form (used by
``harness diff`` and ``harness inspect``) do not import syrupy and pytest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.snapshot.placeholders import Placeholder, Placeholders
from harness.snapshot.text import render_transcript

if TYPE_CHECKING:
    from harness.snapshot.extension import MaskedTimestampsRunSnapshotExtension, RunSnapshotExtension

_LAZY = {"MaskedTimestampsRunSnapshotExtension", "RunSnapshotExtension"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from harness.snapshot import extension

        return getattr(extension, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MaskedTimestampsRunSnapshotExtension",
    "Placeholder",
    "Placeholders",
    "RunSnapshotExtension",
    "render_transcript",
]
