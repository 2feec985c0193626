"""Where the deltas of an object disagree with its terminal snapshot.

The terminal snapshot legitimately knows more than the deltas did (a function
``output`` submitted later, file-search ``results`` sent only at the end, a
``hybrid_search`` option the delta left out) and drops a few delta-only keys
(an annotation's ``quote``). So only values both sides carry are compared, and
an accumulated ``null`` or empty list never counts as a disagreement.
"""

from __future__ import annotations

from typing import Any

_MAX_DIFFERENCES = 5


def differences(accumulated: Any, snapshot: Any, path: str) -> list[str]:
    """Human-readable disagreements between an accumulated value and the snapshot's, at most a few."""
    found: list[str] = []
    _compare(accumulated, snapshot, path, found)
    return found


def _compare(accumulated: Any, snapshot: Any, path: str, found: list[str]) -> None:
    if len(found) >= _MAX_DIFFERENCES or accumulated is None or accumulated == snapshot:
        return
    if isinstance(accumulated, dict) and isinstance(snapshot, dict):
        for key, value in accumulated.items():
            if key != "index" and key in snapshot:
                _compare(value, snapshot[key], f"{path}.{key}", found)
        return
    if isinstance(accumulated, list) and isinstance(snapshot, list):
        if not accumulated:
            return
        if len(accumulated) > len(snapshot):
            found.append(f"{path}: deltas built {len(accumulated)} entries, the snapshot has {len(snapshot)}")
        for position, (mine, theirs) in enumerate(zip(accumulated, snapshot, strict=False)):
            _compare(mine, theirs, f"{path}[{position}]", found)
        return
    found.append(f"{path}: deltas give {_excerpt(accumulated)}, the snapshot has {_excerpt(snapshot)}")


def _excerpt(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"{shown!r} ({len(value)} chars)"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
