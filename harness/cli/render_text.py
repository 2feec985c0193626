"""The text form of ``harness inspect``: a folded event timeline, then the final objects, then diagnostics.

Everything comes from a transcript folded with ``views`` (each event's appended text, status and
data kept by the fold): nothing is parsed again here. Streams and events are numbered from 0, as
in diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterator

from harness.diagnostics import stream_label
from harness.protocols import FoldedTranscript, by_name
from harness.protocols.base import preview as short

_DONE_DATA = "[DONE]"


def render_text(transcript: FoldedTranscript) -> str:
    return "".join(text_pieces(transcript))


def text_pieces(transcript: FoldedTranscript) -> Iterator[str]:
    """:func:`render_text` piece by piece, each piece whole lines: the header of each stream, then
    each line of its timeline (every one starting ``"  #"``), the final objects, the diagnostics. A
    long stream's timeline is never held whole."""
    bounds = [*transcript.stream_starts, len(transcript.event_names)]
    for stream_index in range(len(transcript.stream_starts)):
        start, end = bounds[stream_index], bounds[stream_index + 1]
        yield f"{stream_label(stream_index)}: {end - start} events\n"
        for line in _timeline(transcript, start, end):
            yield f"  {line}\n"
    lines = ["", *by_name(transcript.protocol).object_lines(transcript), ""]
    if transcript.diagnostics:
        lines.append(f"diagnostics ({len(transcript.diagnostics)}):")
        lines.extend(f"  {diagnostic}" for diagnostic in transcript.diagnostics)
    else:
        lines.append("diagnostics: none")
    yield "\n".join(lines) + "\n"


def _timeline(transcript: FoldedTranscript, start: int, end: int) -> Iterator[str]:
    names = transcript.event_names
    ids = transcript.event_object_ids
    texts = transcript.event_texts
    statuses: list[str | None] = getattr(transcript, "event_statuses", [])
    data = getattr(transcript, "event_data", [])
    deltas = by_name(transcript.protocol).delta_events

    def folds(position: int) -> bool:
        # a delta that appends nothing, or also sets a status (a chat chunk with its finish_reason,
        # the usage chunk), gets its own line
        status = statuses[position] if position < len(statuses) else None
        return status is None and texts[position] is not None

    position = start
    while position < end:
        name, object_id = names[position], ids[position]
        if name in deltas and object_id and folds(position):
            last = position + 1
            while last < end and names[last] == name and ids[last] == object_id and folds(last):
                last += 1
            text = "".join(piece or "" for piece in texts[position:last])
            first, final = position - start, last - 1 - start
            span = f"#{first}" if last - position == 1 else f"#{first}-#{final}"
            yield f"{span} {name} x{last - position} {object_id} +{short(text)}"
            position = last
            continue
        detail = [object_id] if object_id else []
        status = statuses[position] if position < len(statuses) else None
        if status is not None:
            detail.append(status)
        raw = data[position] if position < len(data) else ""
        if name == "error" or (object_id is None and status is None and raw != _DONE_DATA):
            detail.append(short(raw))
        yield " ".join([f"#{position - start}", name, *detail])
        position += 1
