"""Keeping terminal snapshots in agreement with the deltas that are left.

Dropping or shortening deltas makes the ``completed`` snapshot of a step or
message disagree with what its deltas add up to, which reconstruction
reports (``delta-snapshot-mismatch``). This folds the deltas as
reconstruction does and writes what they add up to into the terminal
snapshot, wherever the two disagree; what only the snapshot knows is kept.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any

from harness.protocols.assistants import DELTA_EVENTS, MESSAGE_TERMINAL_EVENTS, STEP_TERMINAL_EVENTS
from harness.reconstruct.merge import materialize, merge_delta
from harness.shrink.drafts import Draft, with_payload
from harness.shrink.units import object_id

_TERMINAL_EVENTS = STEP_TERMINAL_EVENTS | MESSAGE_TERMINAL_EVENTS


@dataclass
class _Track:
    data: dict[str, Any]
    deltas: int
    finished: bool


def _streamed_key(event_name: str) -> str:
    return "content" if event_name.startswith("thread.message.") else "step_details"


def agree_snapshots(draft: Draft) -> Draft:
    tracks: dict[str, _Track] = {}
    parts = list(draft)
    for exchange_number, part in enumerate(draft):
        frames = list(part.frames or ())
        changed = False
        for frame_number, frame in enumerate(frames):
            owner = object_id(frame)
            if owner is None:
                continue
            track = tracks.get(owner)
            if frame.name in DELTA_EVENTS:
                delta = frame.payload.get("delta")
                if track is not None and not track.finished and isinstance(delta, dict):
                    merge_delta(track.data, copy.deepcopy(delta), "delta", [])
                    track.deltas += 1
                continue
            terminal = frame.name in _TERMINAL_EVENTS
            payload = frame.payload
            if track is not None and terminal and track.deltas:
                key = _streamed_key(frame.name)
                agreed = _agree(materialize(track.data.get(key)), payload.get(key))
                if agreed != payload.get(key):
                    payload = {**payload, key: agreed}
                    frames[frame_number] = with_payload(frame, payload)
                    changed = True
            tracks[owner] = _Track(copy.deepcopy(payload), 0, terminal)
        if changed:
            parts[exchange_number] = replace(part, frames=tuple(frames))
    return tuple(parts)


def _agree(accumulated: Any, snapshot: Any) -> Any:
    """``snapshot`` changed where reconstruction would find it disagreeing with ``accumulated``."""
    if accumulated is None or accumulated == snapshot:
        return snapshot
    if isinstance(accumulated, dict) and isinstance(snapshot, dict):
        if "type" in accumulated and accumulated["type"] != snapshot.get("type"):
            return accumulated  # another kind of part (text where an image was): keep none of the old one
        return {
            key: _agree(accumulated[key], value) if key in accumulated and key != "index" else value
            for key, value in snapshot.items()
        }
    if isinstance(accumulated, list) and isinstance(snapshot, list):
        if not accumulated:
            return snapshot
        agreed = [_agree(mine, theirs) for mine, theirs in zip(accumulated, snapshot, strict=False)]
        longer = accumulated if len(accumulated) > len(snapshot) else snapshot
        return agreed + longer[len(agreed) :]
    return accumulated
