"""What the folds share: the per-event columns, the diagnostics log, the error message rule."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from harness.diagnostics import Diagnostic
from harness.sse.event import ServerSentEvent

#: Diagnostics a fold keeps per code (every fold's; ``harness inspect`` lists them); past it they are counted
MAX_DIAGNOSTICS_PER_CODE = 1000

#: Where a fold can send each diagnostic as it is raised instead of keeping it (``harness validate``
#: counts the ones it does not list, so that a million broken events cost no memory)
DiagnosticSink = Callable[[Diagnostic], None]


@dataclass(frozen=True)
class EventColumns:
    """Per event, as columns (a stream can hold a million): its name, the object it is about, and
    with ``views`` the text it appends and the status it sets (empty lists without). ``stream_starts``
    is where each stream begins in them."""

    event_names: list[str] = field(default_factory=list)
    stream_starts: list[int] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    event_object_ids: list[str | None] = field(default_factory=list)
    event_texts: list[str | None] = field(default_factory=list)
    event_statuses: list[str | None] = field(default_factory=list)
    event_data: list[str] = field(default_factory=list)  # with ``views``: each event's data as sent

    def diagnostic_codes(self) -> list[str]:
        return [diagnostic.code for diagnostic in self.diagnostics]

    def inspect_shape(
        self, protocol: str, objects: tuple[str, Any], final: tuple[str, Any]
    ) -> dict[str, Any]:
        """The JSON of ``harness inspect --format json``: protocol, events, the final state of every
        object and of the last one (under the protocol's names), diagnostics."""
        return {
            "protocol": protocol,
            "events": self.event_names,
            objects[0]: objects[1],
            final[0]: final[1],
            "diagnostics": [diagnostic.to_dict() for diagnostic in self.diagnostics],
        }


class DiagnosticLog:
    """Diagnostics in order, at most :data:`MAX_DIAGNOSTICS_PER_CODE` of each code (a broken
    million-event stream must not produce a million findings); :meth:`listed` says how many more.
    With a ``sink`` each diagnostic goes there as it is raised and none is kept."""

    def __init__(self, sink: DiagnosticSink | None = None) -> None:
        self.diagnostics: list[Diagnostic] = []
        self._counts: dict[str, int] = {}
        self._sink = sink

    def report(
        self, code: str, message: str, stream: int, event: int | None, path: str | None = None
    ) -> None:
        if self._sink is not None:
            self._sink(Diagnostic(code, message, stream=stream, event=event, path=path))
            return
        count = self._counts.get(code, 0)
        self._counts[code] = count + 1
        if count < MAX_DIAGNOSTICS_PER_CODE:
            self.diagnostics.append(Diagnostic(code, message, stream=stream, event=event, path=path))

    def listed(self) -> list[Diagnostic]:
        """The diagnostics kept, then for each code that had more, how many were not listed."""
        more = [
            Diagnostic(code, f"{count - MAX_DIAGNOSTICS_PER_CODE:,} more {code} diagnostics not listed")
            for code, count in self._counts.items()
            if count > MAX_DIAGNOSTICS_PER_CODE
        ]
        return [*self.diagnostics, *more]


class _Folder(Protocol):
    def feed(self, event: ServerSentEvent) -> None: ...

    def end_stream(self) -> None: ...


def feed_streams(folder: _Folder, streams: Iterable[Iterable[ServerSentEvent]]) -> None:
    for stream in streams:
        for event in stream:
            folder.feed(event)
        folder.end_stream()


def error_message(payload: Any) -> str:
    """What a server-sent error event says, the same for every protocol: its ``message``, nested
    under ``error`` as the live APIs send it or at the top as the Responses reference documents it;
    an ``error`` that is a bare text is that text; any other JSON value reads as its JSON. Views
    show it, never the object's Python repr; no message at all is ``""``."""
    detail = payload.get("error", payload) if type(payload) is dict else payload
    if type(detail) is dict:
        detail = detail.get("message")
    if detail is None:
        return ""
    return detail if type(detail) is str else json.dumps(detail, ensure_ascii=False)
