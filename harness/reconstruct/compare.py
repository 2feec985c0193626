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
    if isinstance(accumulated, str) and isinstance(snapshot, str):
        found.append(_string_difference(accumulated, snapshot, path))
        return
    found.append(f"{path}: deltas give {_excerpt(accumulated)}, the snapshot has {_excerpt(snapshot)}")


_CONTEXT = 20  # characters shown on each side of the first difference


def _string_difference(accumulated: str, snapshot: str, path: str) -> str:
    """Where two strings first differ, each shown around that position (a long text that differs
    only near its end must not show two identical prefixes)."""
    position = next(
        (at for at, (mine, theirs) in enumerate(zip(accumulated, snapshot, strict=False)) if mine != theirs),
        min(len(accumulated), len(snapshot)),
    )
    return (
        f"{path}: first difference at character {position}: deltas give "
        f"{_around(accumulated, position)} ({len(accumulated)} chars), the snapshot has "
        f"{_around(snapshot, position)} ({len(snapshot)} chars)"
    )


def _around(text: str, position: int) -> str:
    start = max(0, position - _CONTEXT)
    end = position + _CONTEXT
    shown = repr(text[start:end])
    return ("..." if start else "") + shown + ("..." if end < len(text) else "")


def _excerpt(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
