"""The readable text a run snapshot stores: the event sequence, then every object field by field.

events: 2 streams, 41 events
  stream 1:
    thread.run.created <run:1>
    thread.run.step.delta x3 <step:1> +"{\\"location\\":\\"Paris\\"}"
    thread.run.requires_action <run:1>
  stream 2:
    thread.message.delta x12 <msg:1> +"It is sunny in Paris and …"
    done
runs:
  - id: <run:1>
    status: "completed"
    created_at: <t+0s>
"""

from __future__ import annotations

import json
from typing import Any

from harness.diagnostics import Diagnostic, stream_label, streams_label
from harness.protocols import FoldedTranscript
from harness.protocols.mixed import MixedTranscript
from harness.reconstruct import Transcript
from harness.snapshot.events import summarize
from harness.snapshot.normalizer import normalize, timestamps_in
from harness.snapshot.placeholders import Placeholder, Placeholders

INDENT = "  "
_SECTIONS = ("threads", "runs", "run_steps", "messages")


def _scalar(value: Any) -> str:
    if isinstance(value, Placeholder):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def render_value(value: Any, depth: int) -> list[str]:
    """Indented ``key: value`` lines; lists as ``- item``; empty containers inline."""
    pad = INDENT * depth
    lines: list[str] = []
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, dict | list) and child:
                lines.append(f"{pad}{key}:")
                lines.extend(render_value(child, depth + 1))
            else:
                lines.append(f"{pad}{key}: {_inline(child)}")
    elif isinstance(value, list):
        for child in value:
            if isinstance(child, dict | list) and child:
                nested = render_value(child, depth + 1)
                lines.append(f"{pad}- {nested[0].lstrip()}")
                lines.extend(nested[1:])
            else:
                lines.append(f"{pad}- {_inline(child)}")
    else:
        lines.append(f"{pad}{_inline(value)}")
    return lines


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def _stream_slices(transcript: FoldedTranscript) -> list[tuple[int, int]]:
    bounds = [*transcript.stream_starts, len(transcript.event_names)]
    return [(bounds[number], bounds[number + 1]) for number in range(len(transcript.stream_starts))]


def _number_ids(transcript: FoldedTranscript, placeholders: Placeholders) -> None:
    """Placeholders are numbered by first appearance in the conversation, not by section."""
    for data in transcript.event_data:
        placeholders.see_ids(data)
    for object_id in transcript.event_object_ids:
        if object_id is not None:
            placeholders.see_ids(object_id)


def _event_lines(
    transcript: FoldedTranscript, placeholders: Placeholders, stream_numbers: list[int] | None = None
) -> list[str]:
    slices = _stream_slices(transcript)
    streams = "stream" if len(slices) == 1 else "streams"
    texts = transcript.event_texts if len(transcript.event_texts) == len(transcript.event_names) else None
    lines = [f"events: {len(slices)} {streams}, {len(transcript.event_names)} events"]
    numbers = stream_numbers or list(range(len(slices)))
    for number, (start, end) in zip(numbers, slices, strict=True):
        lines.append(f"{INDENT}{stream_label(number)}:")
        for summary in summarize(
            transcript.event_names[start:end],
            transcript.event_object_ids[start:end],
            texts[start:end] if texts is not None else None,
        ):
            lines.append(f"{INDENT * 2}{summary.line(placeholders)}")
    return lines


def _sections(transcript: FoldedTranscript) -> dict[str, Any]:
    """The final objects a snapshot lists: an Assistants conversation's threads, runs, steps and
    messages; another protocol's objects as its ``inspect --format json`` form has them."""
    if isinstance(transcript, Transcript):
        return {section: getattr(transcript, section) for section in _SECTIONS}
    shown = transcript.to_dict()
    return {
        key: value
        for key, value in shown.items()
        if key not in ("protocol", "events", "diagnostics") and not key.startswith("final_")
    }


def render_transcript(transcript: FoldedTranscript, placeholders: Placeholders) -> str:
    """The snapshot text of a conversation, in any protocol. Deterministic for the same
    conversation, whatever its ids and clock. Delta text shows when the transcript was folded
    with ``views``. A conversation mixing protocols shows each protocol's streams under its name,
    numbered as in the whole conversation."""
    if not isinstance(transcript, MixedTranscript):
        objects = _sections(transcript)
        placeholders.see_timestamps(timestamps_in(list(objects.values())))
        _number_ids(transcript, placeholders)
        return "\n".join(_lines(transcript, objects, placeholders))
    shares = [(share, _sections(share.transcript)) for share in transcript.shares]
    for share, objects in shares:  # one clock and one numbering for the whole conversation
        placeholders.see_timestamps(timestamps_in(list(objects.values())))
        _number_ids(share.transcript, placeholders)
    lines = [f"protocol: mixed ({', '.join(transcript.protocols)})"]
    for share, objects in shares:
        lines.append(f"{share.protocol} ({streams_label(share.stream_numbers)}):")
        shown = _lines(share.transcript, objects, placeholders, share.stream_numbers, share.diagnostics)
        lines.extend(INDENT + line for line in shown)
    return "\n".join(lines)


def _lines(
    transcript: FoldedTranscript,
    objects: dict[str, Any],
    placeholders: Placeholders,
    stream_numbers: list[int] | None = None,
    diagnostics: list[Diagnostic] | None = None,
) -> list[str]:
    lines = [] if isinstance(transcript, Transcript) else [f"protocol: {transcript.protocol}"]
    lines += _event_lines(transcript, placeholders, stream_numbers)
    for section, values in objects.items():
        if section == "threads" and not values:
            continue
        if not values:
            lines.append(f"{section}: []")
            continue
        lines.append(f"{section}:")
        lines.extend(render_value(normalize(values, placeholders), 1))
    diagnostics = transcript.diagnostics if diagnostics is None else diagnostics
    if diagnostics:
        lines.append("diagnostics:")
        for diagnostic in diagnostics:
            lines.append(f"{INDENT}- {placeholders.text(str(diagnostic))}")
    else:
        lines.append("diagnostics: none")
    return lines
