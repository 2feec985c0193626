"""Folding the events of one or more run streams into a :class:`Transcript`, reporting protocol breaks.

Works on plain dicts (one ``json.loads`` per event) so that it stays cheap on
streams of a million deltas; nothing here raises on malformed input.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

from harness.protocols import assistants as codes
from harness.protocols.assistants import (
    DELTA_EVENTS,
    DONE,
    DONE_DATA,
    ERROR,
    MESSAGE_DELTA,
    MESSAGE_EVENT_STATUS,
    MESSAGE_TERMINAL_EVENTS,
    RUN_EVENT_STATUS,
    RUN_TERMINAL_STATUSES,
    STEP_DELTA,
    STEP_EVENT_STATUS,
    STEP_TERMINAL_EVENTS,
    THREAD_CREATED,
    appended_text,
    run_status_goes_backwards,
    status_mismatch,
)
from harness.protocols.base import EventView, taken_view
from harness.protocols.fold_support import DiagnosticLog, DiagnosticSink, error_message
from harness.reconstruct.compare import differences
from harness.reconstruct.merge import IndexedEntries, TextFragments, materialize, merge_delta
from harness.reconstruct.transcript import Transcript
from harness.reconstruct.unknown import unknown_in_final_objects
from harness.sse.event import ServerSentEvent

_loads = json.loads
# The C scanner behind json.loads, minus its Python-level wrapping (which costs as much as the scan on
# a small delta). Anything it does not accept whole goes through json.loads for the exact error.
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_scan_string: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]

# The common message delta as the API writes it (compact) or ``json.dumps`` does (spaced), read from
# the raw data: one more piece of one text part. The parts between the id, the index and the text
# are literal; the text is read by the C string scanner (escapes and all), then the data must end.
_COMPACT_TEXT_DELTA = (
    '{"id":"',
    '","object":"thread.message.delta","delta":{"content":[{"index":',
    ',"type":"text","text":{"value":"',
)
# by the character after '{"id":'
_TEXT_DELTA_LITERALS = {
    '"': _COMPACT_TEXT_DELTA,
    " ": tuple(part.replace(",", ", ").replace(":", ": ") for part in _COMPACT_TEXT_DELTA),
}
_TEXT_DELTA_END = "}}]}}"
_PART_INDEXES = {str(number): number for number in range(100)}


def _text_delta_piece(data: str) -> tuple[str, int, str] | None:
    """``(message id, part index, text)`` of a message delta in that shape, or None: anything else
    (other keys or order, an escaped id, invalid JSON) is for the parser."""
    literals = _TEXT_DELTA_LITERALS.get(data[6:7])
    if literals is None or not data.startswith(literals[0]):
        return None
    opening, after_id, after_index = literals
    id_end = data.find('"', len(opening))
    if id_end < 0 or not data.startswith(after_id, id_end):
        return None
    message_id = data[len(opening) : id_end]
    if "\\" in message_id or not message_id.isprintable():
        return None
    index_start = id_end + len(after_id)
    index_end = data.find(",", index_start)
    position = _PART_INDEXES.get(data[index_start:index_end])
    if position is None or not data.startswith(after_index, index_end):
        return None
    try:
        value, end = _scan_string(data, index_end + len(after_index))
    except ValueError:
        return None
    if len(data) - end != len(_TEXT_DELTA_END) or not data.endswith(_TEXT_DELTA_END):
        return None
    return message_id, position, value


MAX_NESTING = 64  # real payloads nest under 10 levels; deeper ones would exhaust the recursion limit


def _nested_deeper_than(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if type(node) is dict:
            stack.extend((child, depth + 1) for child in node.values() if type(child) in (dict, list))
        elif type(node) is list:
            stack.extend((child, depth + 1) for child in node if type(child) in (dict, list))
    return False


def _parse(data: str) -> Any:
    """``json.loads(data)``, faster for the common case; deep nesting is invalid JSON here."""
    try:
        try:
            value, end = _scan(data, 0)
        except StopIteration:
            return _loads(data)
        return value if end == len(data) else _loads(data)
    except RecursionError:
        raise ValueError("nested too deeply") from None


class _Tracked:
    """A step or message being accumulated: its state and what happened to it since the last snapshot."""

    __slots__ = ("data", "delta_count", "finished", "last_delta")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.delta_count = 0
        self.last_delta = -1
        self.finished = False


class _RunTrack:
    __slots__ = ("data", "status_stream")

    def __init__(self, data: dict[str, Any], stream: int) -> None:
        self.data = data
        self.status_stream = stream


class StreamFolder:
    """Feed events stream by stream (:meth:`feed`, :meth:`end_stream`), then take :meth:`transcript`.

    With ``views``, the transcript also keeps what views show of each event without parsing it
    again: the text each delta appends, each error's message (:attr:`Transcript.event_texts`), and
    the raw data (:attr:`Transcript.event_data`, by reference: snapshots number ids by it).
    """

    def __init__(self, *, views: bool = False, sink: DiagnosticSink | None = None) -> None:
        self._names: list[str] = []
        self._object_ids: list[str | None] = []
        self._views = views
        self._texts: list[str | None] = []
        self._statuses: list[str | None] = []
        self._data: list[str] = []
        self._stream_starts: list[int] = [0]
        self._log = DiagnosticLog(sink)
        self._runs: dict[str, _RunTrack] = {}
        self._steps: dict[str, _Tracked] = {}
        self._messages: dict[str, _Tracked] = {}
        self._threads: dict[str, dict[str, Any]] = {}
        self._last_run_id: str | None = None
        self._stream = 0
        self._index = 0
        self._done_at: int | None = None
        self._runs_in_stream: set[str] = set()
        handlers: dict[str, Callable[[str, dict[str, Any], int], None]] = {
            MESSAGE_DELTA: self._message_delta,
            STEP_DELTA: self._step_delta,
            THREAD_CREATED: self._thread,
            ERROR: self._error,
        }
        handlers.update(dict.fromkeys(RUN_EVENT_STATUS, self._run))
        handlers.update(dict.fromkeys(STEP_EVENT_STATUS, self._step_snapshot))
        handlers.update(dict.fromkeys(MESSAGE_EVENT_STATUS, self._message_snapshot))
        self._handlers = handlers

    # -- driving -------------------------------------------------------------------------------------

    def feed(self, event: ServerSentEvent) -> None:
        name = event.event
        data = event.data
        index = self._index
        self._index = index + 1
        self._names.append(name)
        views = self._views
        if views:
            self._data.append(data)
            self._statuses.append(None)
        if name == MESSAGE_DELTA and self._done_at is None:
            appended = self._append_unparsed(data, index)
            if appended is not None:
                if views:
                    self._texts.append(appended)
                return
        handler = self._handlers.get(name)
        if handler is None or self._done_at is not None:
            self._object_ids.append(None)
            if views:
                self._texts.append(None)
            self._unusual(name, data, index)
            return
        try:
            payload = _parse(data)
        except ValueError as error:
            self._object_ids.append(None)
            if views:
                self._texts.append(None)
            self._report(codes.INVALID_JSON, f"{name} data is not JSON ({error}): {data[:60]!r}", index)
            return
        object_ids = self._object_ids
        position = len(object_ids)
        try:
            text = self._apply(handler, name, payload, data, index)
        except Exception as error:  # a safety net: a broken stream must never break the caller
            del object_ids[position:]
            object_ids.append(None)
            text = None
            self._report(
                codes.INTERNAL_ERROR, f"{name} could not be applied: {type(error).__name__}: {error}", index
            )
        if views:
            self._texts.append(text)

    def _apply(
        self, handler: Callable[[str, Any, int], None], name: str, payload: Any, data: str, index: int
    ) -> str | None:
        """Apply one parsed event; returns what it shows as text in views (see ``views``)."""
        object_id = payload.get("id") if type(payload) is dict else None
        if type(object_id) is not str:
            self._object_ids.append(None)
            if name != ERROR:
                self._report(
                    codes.UNEXPECTED_PAYLOAD,
                    f"{name} data should be an object with a string 'id', got {data[:60]!r}",
                    index,
                )
                return None
        else:
            self._object_ids.append(sys.intern(object_id))  # one copy per id, not per event
        if name == MESSAGE_DELTA:
            appended = self._append_text(object_id, payload, index)  # type: ignore[arg-type]
            if appended is not None:
                return appended
        if _nested_deeper_than(payload, MAX_NESTING):
            self._report(
                codes.UNEXPECTED_PAYLOAD,
                f"{name} data is nested more than {MAX_NESTING} levels; ignored",
                index,
            )
            return None
        handler(name, payload, index)
        if not self._views:
            return None
        status = payload.get("status") if type(payload) is dict else None  # an error's data may be any JSON
        self._statuses[-1] = status if type(status) is str else None
        if name == ERROR:
            return error_message(payload)
        return appended_text(name, payload) if name in DELTA_EVENTS else None

    def end_stream(self) -> None:
        index = self._index
        if index == 0:
            self._report(
                codes.EMPTY_STREAM, "the stream holds no event (is this a text/event-stream body?)", None
            )
        elif self._done_at is None:
            self._report(
                codes.MISSING_DONE,
                f"the stream ended after event {index - 1} without a 'done' event",
                index - 1,
            )
        for run_id in sorted(self._runs_in_stream):
            status = self._runs[run_id].data.get("status")
            if type(status) is not str or not (
                status in RUN_TERMINAL_STATUSES or status == "requires_action"
            ):
                self._report(
                    codes.RUN_NOT_FINISHED,
                    f"the stream ended with run {run_id} {status!r}; expected a terminal status "
                    "or requires_action",
                    None,
                )
        self._stream += 1
        self._stream_starts.append(len(self._names))
        self._index = 0
        self._done_at = None
        self._runs_in_stream = set()

    def take_view(self) -> EventView:
        """The view of the event just fed (folded with ``views``), taken out of the columns."""
        return taken_view(
            self._stream, self._names, self._object_ids, self._texts, self._statuses, self._data
        )

    def transcript(self) -> Transcript:
        final_run = self._runs[self._last_run_id].data if self._last_run_id is not None else None
        runs = [track.data for track in self._runs.values()]
        run_steps = [materialize(track.data) for track in self._steps.values()]
        messages = [materialize(track.data) for track in self._messages.values()]
        threads = list(self._threads.values())
        unknown = unknown_in_final_objects(
            [("run", runs), ("run step", run_steps), ("message", messages), ("thread", threads)]
        )
        return Transcript(
            event_names=self._names,
            event_object_ids=self._object_ids,
            event_texts=self._texts,
            event_statuses=self._statuses,
            event_data=self._data,
            stream_starts=self._stream_starts[: self._stream + (1 if self._index else 0)],
            runs=runs,
            run_steps=run_steps,
            messages=messages,
            threads=threads,
            final_run=final_run,
            diagnostics=[*self._log.listed(), *unknown],
        )

    # -- reporting -----------------------------------------------------------------------------------

    def _report(self, code: str, message: str, index: int | None, path: str | None = None) -> None:
        self._log.report(code, message, self._stream, index, path)

    def _unusual(self, name: str, data: str, index: int) -> None:
        """Events that are not applied: ``done``, anything after it, and unknown names."""
        if self._done_at is not None:
            self._report(
                codes.EVENT_AFTER_DONE,
                f"{name} arrived after 'done' (event {self._done_at}); it is not applied",
                index,
            )
        elif name == DONE or data == DONE_DATA:
            self._done_at = index
            if name != DONE or data != DONE_DATA:
                self._report(
                    codes.MALFORMED_DONE,
                    f"expected 'event: done' with 'data: [DONE]', got {name!r} with {data[:30]!r}",
                    index,
                )
        else:
            self._report(codes.UNKNOWN_EVENT, f"unknown event name {name!r} (kept, not applied)", index)

    def _check_status(self, name: str, payload: dict[str, Any], index: int) -> None:
        problem = status_mismatch(name, payload.get("status"))
        if problem is not None:
            self._report(codes.STATUS_MISMATCH, problem, index, "status")

    # -- handlers --------------------------------------------------------------------------------------

    def _thread(self, name: str, payload: dict[str, Any], index: int) -> None:
        self._threads[payload["id"]] = payload

    def _error(self, name: str, payload: Any, index: int) -> None:
        detail = payload.get("error", payload) if isinstance(payload, dict) else payload
        if isinstance(detail, dict):
            text = " ".join(
                f"{key}={detail[key]!r}" for key in ("code", "type", "message") if detail.get(key)
            )
        else:
            text = repr(detail)[:200]
        self._report(codes.ERROR_EVENT, f"the server sent an error event: {text or 'no detail'}", index)

    def _run(self, name: str, payload: dict[str, Any], index: int) -> None:
        run_id: str = payload["id"]
        self._check_status(name, payload, index)
        track = self._runs.get(run_id)
        status = payload.get("status")
        if track is None:
            self._runs[run_id] = _RunTrack(payload, self._stream)
        else:
            previous = track.data.get("status")
            if run_status_goes_backwards(previous, status, new_stream=track.status_stream < self._stream):
                self._report(
                    codes.RUN_STATUS_BACKWARDS,
                    f"run {run_id} went from {previous!r} to {status!r}",
                    index,
                    "status",
                )
            track.data = payload
            track.status_stream = self._stream
        self._last_run_id = run_id
        self._runs_in_stream.add(run_id)

    def _step_snapshot(self, name: str, payload: dict[str, Any], index: int) -> None:
        self._check_status(name, payload, index)
        self._snapshot(self._steps, "step_details", name in STEP_TERMINAL_EVENTS, payload, index)

    def _message_snapshot(self, name: str, payload: dict[str, Any], index: int) -> None:
        self._check_status(name, payload, index)
        self._snapshot(self._messages, "content", name in MESSAGE_TERMINAL_EVENTS, payload, index)

    def _snapshot(
        self,
        table: dict[str, _Tracked],
        streamed_key: str,
        terminal: bool,
        payload: dict[str, Any],
        index: int,
    ) -> None:
        object_id: str = payload["id"]
        track = table.get(object_id)
        if track is None:
            track = table[object_id] = _Tracked(payload)
        else:
            if terminal and track.delta_count:
                self._compare(object_id, streamed_key, track, payload, index)
            track.data = payload
            track.delta_count = 0
        track.finished = terminal

    def _compare(
        self, object_id: str, streamed_key: str, track: _Tracked, payload: dict[str, Any], index: int
    ) -> None:
        accumulated = materialize(track.data.get(streamed_key))
        found = differences(accumulated, payload.get(streamed_key), streamed_key)
        if found:
            self._report(
                codes.DELTA_SNAPSHOT_MISMATCH,
                f"{object_id}: {track.delta_count} deltas (last at event {track.last_delta}) disagree "
                f"with this snapshot: " + "; ".join(found),
                index,
                streamed_key,
            )

    def _append_unparsed(self, data: str, index: int) -> str | None:
        """A message delta in the API's own shape (see ``_text_delta_piece``), taken from its raw data.

        Returns the piece appended, or None (nothing done, nothing recorded) for anything else,
        which is then parsed.
        """
        piece = _text_delta_piece(data)
        if piece is None:
            return None
        message_id, position, value = piece
        message_id = sys.intern(message_id)
        if not self._append_piece(message_id, position, value, index):
            return None
        self._object_ids.append(message_id)
        return value

    def _append_text(self, message_id: str, payload: dict[str, Any], index: int) -> str | None:
        """The common message delta, one more piece of an existing text part, without the generic merge.

        Returns the piece appended, or None (nothing done) for anything else, which then takes the
        general path.
        """
        delta = payload.get("delta")
        if type(delta) is not dict or len(delta) != 1:
            return None
        pieces = delta.get("content")
        if type(pieces) is not list or len(pieces) != 1:
            return None
        piece = pieces[0]
        if type(piece) is not dict or len(piece) != 3 or piece.get("type") != "text":
            return None
        text = piece.get("text")
        if type(text) is not dict or len(text) != 1:
            return None
        value = text.get("value")
        position = piece.get("index")
        if type(value) is not str or type(position) is not int:
            return None
        return value if self._append_piece(message_id, position, value, index) else None

    def _append_piece(self, message_id: str, position: int, value: str, index: int) -> bool:
        """Append ``value`` to text part ``position`` of a message still streaming; False (nothing
        done) when there is no such message or part, or it is not plain accumulated text."""
        track = self._messages.get(message_id)
        if track is None or track.finished:
            return False
        parts = track.data.get("content")
        if type(parts) is not IndexedEntries:
            return False
        part = parts.get(position)
        if type(part) is not dict or part.get("type") != "text":
            return False
        part_text = part.get("text")
        fragments = part_text.get("value") if type(part_text) is dict else None
        if type(fragments) is not TextFragments:
            return False
        fragments.append(value)
        track.delta_count += 1
        track.last_delta = index
        return True

    def _message_delta(self, name: str, payload: dict[str, Any], index: int) -> None:
        self._delta(self._messages, name, payload, index)

    def _step_delta(self, name: str, payload: dict[str, Any], index: int) -> None:
        self._delta(self._steps, name, payload, index)

    def _delta(self, table: dict[str, _Tracked], name: str, payload: dict[str, Any], index: int) -> None:
        object_id: str = payload["id"]
        delta = payload.get("delta")
        if type(delta) is not dict:
            self._report(
                codes.UNEXPECTED_PAYLOAD, f"{name} for {object_id} has no 'delta' object", index, "delta"
            )
            return
        track = table.get(object_id)
        if track is None:
            kind = "message" if name == MESSAGE_DELTA else "run step"
            self._report(
                codes.DELTA_UNKNOWN_OBJECT,
                f"{name} for {object_id}, but no {kind} with that id was created; expected a "
                f"{name[:-6]}.created first (accumulated into a stub)",
                index,
            )
            stub_object = "thread.message" if name == MESSAGE_DELTA else "thread.run.step"
            track = table[object_id] = _Tracked({"id": object_id, "object": stub_object})
        elif track.finished:
            self._report(
                codes.DELTA_AFTER_TERMINAL,
                f"{name} for {object_id} after its terminal snapshot; ignored",
                index,
            )
            return
        problems: list[str] = []
        merge_delta(track.data, delta, "delta", problems)
        track.delta_count += 1
        track.last_delta = index
        for problem in problems:
            self._report(codes.INVALID_DELTA, f"{object_id}: {problem} (skipped)", index)


def _split_streams(streams: Iterable[Any]) -> Iterable[Iterable[ServerSentEvent]]:
    """One stream (events) or several (iterables of events): look at the first item only, so that a
    lazily decoded stream is folded as it arrives instead of being held in memory."""
    iterator = iter(streams)
    first = next(iterator, None)
    if first is None:
        return [[]]
    rest = itertools.chain([first], iterator)
    return [rest] if isinstance(first, ServerSentEvent) else rest


def reconstruct(
    streams: Iterable[ServerSentEvent] | Iterable[Iterable[ServerSentEvent]], *, views: bool = False
) -> Transcript:
    """Fold one stream, or the list of streams of one conversation, into a :class:`Transcript`.

    Accepts lazy iterables (e.g. ``iter_sse(chunks)``). Never raises on a malformed stream: every
    problem becomes a diagnostic. ``views`` keeps what snapshots and ``inspect``'s timeline show
    (see :class:`StreamFolder`).
    """
    folder = StreamFolder(views=views)
    for stream in _split_streams(streams):
        feed = folder.feed
        for event in stream:
            feed(event)
        folder.end_stream()
    return folder.transcript()
