"""Joining consecutive deltas of the same part into one delta.

Two deltas are joined when they are next to each other in a stream, are
about the same step or message, and each carries one piece (content part or
tool call) with the same ``index``: the streamed strings (text ``value``,
``arguments``, code ``input``...) are concatenated. A join is kept only when
folding the joined delta gives exactly what folding the two did.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from harness.protocols.assistants import DELTA_EVENTS, REPLACED_STRING_KEYS
from harness.reconstruct.merge import IndexedEntries, TextFragments, merge_delta
from harness.shrink.drafts import Draft, Frame, with_payload
from harness.shrink.units import object_id

#: A run of consecutive joinable deltas: (exchange number, first frame number, frame count).
MergeRun = tuple[int, int, int]


class _CannotJoin(Exception):
    pass


def merge_runs(draft: Draft) -> list[MergeRun]:
    runs: list[MergeRun] = []
    for exchange_number, part in enumerate(draft):
        frames = part.frames or ()
        start = 0
        while start < len(frames):
            end = start + 1
            joined = frames[start].payload
            while end < len(frames) and (nxt := _joined(frames[end - 1], frames[end], joined)) is not None:
                joined = nxt
                end += 1
            if end - start > 1:
                runs.append((exchange_number, start, end - start))
            start = end
    return runs


def apply_merges(draft: Draft, runs: list[MergeRun]) -> Draft:
    parts = list(draft)
    for exchange_number, first, count in sorted(runs, reverse=True):
        frames = list(parts[exchange_number].frames or ())
        payload = frames[first].payload
        for later in frames[first + 1 : first + count]:
            joined = _joined(frames[first], later, payload)
            if joined is None:  # cannot happen for a run found by merge_runs; keep the frames as they are
                break
            payload = joined
        else:
            merged = with_payload(frames[first], payload)
            last_cuts = frames[first + count - 1].cuts
            if last_cuts and not merged.cuts:
                merged = replace(merged, cuts=((len(merged.raw), last_cuts[-1][1]),))
            frames[first : first + count] = [merged]
        parts[exchange_number] = replace(parts[exchange_number], frames=tuple(frames))
    return tuple(parts)


def _joined(previous: Frame, frame: Frame, previous_payload: Any) -> dict[str, Any] | None:
    """The payload of ``previous_payload`` and ``frame`` as one delta, or None when they do not join."""
    if frame.name not in DELTA_EVENTS or frame.name != previous.name:
        return None
    if object_id(frame) is None or object_id(frame) != object_id(previous):
        return None
    first, second = previous_payload.get("delta"), frame.payload.get("delta")
    if not isinstance(first, dict) or not isinstance(second, dict):
        return None
    if _piece_index(first) is None or _piece_index(first) != _piece_index(second):
        return None
    try:
        delta = _join(copy.deepcopy(first), second, None)
    except _CannotJoin:
        return None
    if _folded([first, second]) != _folded([delta]):
        return None
    return {**previous_payload, "delta": delta}


def _piece_index(delta: dict[str, Any]) -> int | None:
    """The index of the one content part or tool call a delta carries; None for anything else."""
    pieces = delta.get("content")
    if pieces is None:
        details = delta.get("step_details")
        pieces = details.get("tool_calls") if isinstance(details, dict) else None
    if not isinstance(pieces, list) or len(pieces) != 1 or not isinstance(pieces[0], dict):
        return None
    index = pieces[0].get("index")
    return index if type(index) is int else None


def _join(first: Any, second: Any, key: str | None) -> Any:
    if second is None:
        return first
    if first is None:
        return second
    if isinstance(first, str) and isinstance(second, str):
        if key in REPLACED_STRING_KEYS:
            if first != second:
                raise _CannotJoin
            return first
        return first + second
    if isinstance(first, dict) and isinstance(second, dict):
        for name, value in second.items():
            first[name] = _join(first.get(name), value, name)
        return first
    if isinstance(first, list) and isinstance(second, list):
        return _join_indexed(first, second)
    if first == second:
        return first
    raise _CannotJoin


def _join_indexed(first: list[Any], second: list[Any]) -> list[Any]:
    if not all(isinstance(entry, dict) and type(entry.get("index")) is int for entry in first + second):
        raise _CannotJoin
    joined = list(first)
    for entry in second:
        match = next((n for n, old in enumerate(joined) if old["index"] == entry["index"]), None)
        if match is None:
            joined.append(entry)
        else:
            joined[match] = _join(joined[match], entry, None)
    return joined


def _folded(deltas: list[dict[str, Any]]) -> Any:
    target: dict[str, Any] = {}
    for delta in deltas:
        merge_delta(target, copy.deepcopy(delta), "delta", [])
    return _plain(target)


def _plain(node: Any) -> Any:
    if type(node) is TextFragments:
        return "".join(node)
    if type(node) is IndexedEntries:
        return {("index", index): _plain(value) for index, value in node.items()}
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node
