"""A real two-stream tool-call conversation (cassettes/real/010 then 011), and ways to alter it."""

from __future__ import annotations

import json
import random
import re
import string
from pathlib import Path
from typing import Any

from harness import parse_sse
from harness.reconstruct import Transcript, reconstruct
from harness.sse.event import ServerSentEvent

REAL = Path(__file__).resolve().parents[2] / "cassettes" / "real"
_ID = re.compile(r"\b(run|thread|msg|step|call|asst)_[A-Za-z0-9]{24}\b")
_TIMESTAMP = re.compile(r'"(created_at|started_at|expires_at|completed_at)":(\d{10})')

Streams = list[list[ServerSentEvent]]


def real_streams() -> Streams:
    return [parse_sse(path.read_bytes()) for path in sorted(REAL.glob("01[01]-*.sse"))]


def transcript_of(streams: Streams) -> Transcript:
    return reconstruct(streams, views=True)


def rerecorded(streams: Streams, seed: int, shift: int) -> Streams:
    """The same conversation as if recorded again: fresh ids, every timestamp moved by ``shift``."""
    rng = random.Random(seed)
    fresh: dict[str, str] = {}

    def new_id(match: re.Match[str]) -> str:
        alphabet = string.ascii_letters + string.digits
        return fresh.setdefault(match.group(0), f"{match.group(1)}_" + "".join(rng.choices(alphabet, k=24)))

    def shifted(match: re.Match[str]) -> str:
        return f'"{match.group(1)}":{int(match.group(2)) + shift}'

    return [
        [
            ServerSentEvent(event=event.event, data=_TIMESTAMP.sub(shifted, _ID.sub(new_id, event.data)))
            for event in events
        ]
        for events in streams
    ]


def without_event(streams: Streams, stream: int, name: str, occurrence: int) -> Streams:
    """Drop the ``occurrence``-th event called ``name`` from one stream."""
    changed = [list(events) for events in streams]
    positions = [i for i, event in enumerate(changed[stream]) if event.event == name]
    del changed[stream][positions[occurrence]]
    return changed


def edit_data(streams: Streams, name: str, edit: Any) -> Streams:
    """Apply ``edit(payload) -> payload`` to every event called ``name``."""
    return [
        [
            ServerSentEvent(event=event.event, data=json.dumps(edit(json.loads(event.data))))
            if event.event == name
            else event
            for event in events
        ]
        for events in streams
    ]
