"""The text form of ``harness inspect``: a folded event timeline, then the final objects, then diagnostics.

Everything comes from what a fold with ``views`` saw of each event (its appended text, status and
data): nothing is parsed again here. The timeline is rendered one event at a time
(:class:`Timeline`), from a transcript's columns or as the fold goes
(:mod:`harness.cli.streamed_timeline`). Streams and events are numbered from 0, as in diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from harness.diagnostics import stream_label
from harness.protocols import FoldedTranscript, by_name
from harness.protocols.base import preview as short

_DONE_DATA = "[DONE]"

#: The lines of one stream's timeline: (stream number, its first and end positions among the events)
StreamLines = Callable[[int, int, int], Iterator[str]]


def render_text(transcript: FoldedTranscript) -> str:
    return "".join(text_pieces(transcript))


def text_pieces(transcript: FoldedTranscript, timelines: StreamLines | None = None) -> Iterator[str]:
    """:func:`render_text` piece by piece, each piece whole lines: the header of each stream, then
    its timeline (every line starting ``"  #"``, from ``timelines`` when given, else from the
    transcript's columns), the final objects, the diagnostics. A long stream's timeline is never
    held whole."""
    lines_of = timelines or (lambda _, start, end: _timeline(transcript, start, end))
    bounds = [*transcript.stream_starts, len(transcript.event_names)]
    for stream_index in range(len(transcript.stream_starts)):
        start, end = bounds[stream_index], bounds[stream_index + 1]
        yield f"{stream_label(stream_index)}: {end - start} events\n"
        yield from lines_of(stream_index, start, end)
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
    lines: list[str] = []
    timeline = Timeline(by_name(transcript.protocol).delta_events, lines.append)
    for position in range(start, end):
        status = statuses[position] if position < len(statuses) else None
        raw = data[position] if position < len(data) else ""
        timeline.add(names[position], ids[position], texts[position], status, raw)
        yield from lines
        lines.clear()
    timeline.close()
    yield from lines


_PREVIEWED = 41  # characters of a folded delta run's text that tell its preview (``short``: 40, then "...")


class Timeline:
    """One stream's timeline, fed one event at a time; each finished line (``"  #..."``, ending in a
    newline) goes to ``emit``. Consecutive deltas about one object fold into one line, showing the
    start of the text they append; call :meth:`close` after the stream's last event."""

    __slots__ = (
        "_deltas",
        "_emit",
        "_first",
        "_last",
        "_name",
        "_object_id",
        "_pieces",
        "_position",
        "_seen",
    )

    def __init__(self, deltas: frozenset[str], emit: Callable[[str], object]) -> None:
        self._deltas = deltas
        self._emit = emit
        self._position = 0  # of the next event in the stream
        self._name: str | None = None  # of the run of deltas being folded, None when there is none
        self._object_id: str | None = None
        self._first = self._last = 0
        self._pieces: list[str] = []  # the run's text, only as far as its preview needs
        self._seen = 0

    def add(self, name: str, object_id: str | None, text: str | None, status: str | None, data: str) -> None:
        position = self._position
        self._position = position + 1
        # a delta that appends nothing, or also sets a status (a chat chunk with its finish_reason,
        # the usage chunk), gets its own line
        if text is not None and status is None and object_id and name in self._deltas:
            if name == self._name and object_id == self._object_id:
                self._last = position
            else:
                self._end_run()
                self._name, self._object_id, self._first, self._last = name, object_id, position, position
            if self._seen < _PREVIEWED and text:
                self._pieces.append(text)
                self._seen += len(text)
            return
        if self._name is not None:
            self._end_run()
        line = f"  #{position} {name} {object_id}" if object_id else f"  #{position} {name}"
        if status is not None:
            line += " " + status
        if name == "error" or (object_id is None and status is None and data != _DONE_DATA):
            line += " " + short(data)
        self._emit(line + "\n")

    def close(self) -> None:
        self._end_run()

    def _end_run(self) -> None:
        if self._name is None:
            return
        first, last = self._first, self._last
        span = f"#{first}" if last == first else f"#{first}-#{last}"
        text = "".join(self._pieces)
        self._emit(f"  {span} {self._name} x{last - first + 1} {self._object_id} +{short(text)}\n")
        self._name, self._object_id = None, None
        self._pieces.clear()
        self._seen = 0
