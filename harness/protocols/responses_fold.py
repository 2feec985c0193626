"""Folding Responses API streams into the final ``Response`` of every response, with diagnostics.

Pure and O(n): deltas are kept as lists of fragments and joined once, when a ``.done`` event, the
item's ``output_item.done`` or the end asks for the whole string. Nothing here raises on bad input.
The terminal event's ``response`` is the API's own final object and wins; what the deltas built is
checked against it (and against every ``.done`` event) and disagreements are reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.protocols import assistants as shared
from harness.protocols import new_protocol_codes as codes
from harness.protocols import responses_vocabulary as vocab
from harness.protocols.base import EventView, taken_view
from harness.protocols.fold_support import (
    DiagnosticLog,
    DiagnosticSink,
    EventColumns,
    error_message,
    feed_streams,
)
from harness.sse.event import ServerSentEvent

# How many parts never added (lost events) a part index may skip: the API adds parts in order, and
# the parts skipped are made empty, so a hostile index (content_index 10**9) must not make a billion.
MAX_PART_GAP = 16


@dataclass(frozen=True)
class ResponsesTranscript(EventColumns):
    """Responses streams folded: event names, the final state of every response, diagnostics."""

    responses: list[dict[str, Any]] = field(default_factory=list)
    final_response: dict[str, Any] | None = None
    protocol: str = "responses"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``harness inspect --format json`` for a Responses stream."""
        return self.inspect_shape(
            self.protocol, ("responses", self.responses), ("final_response", self.final_response)
        )


class _Item:
    """One output item being accumulated: its latest whole state and the string fragments since."""

    __slots__ = ("data", "fragments")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        # (parts list name or None, part index or None, field) -> fragments in arrival order
        self.fragments: dict[tuple[str | None, int | None, str], list[str]] = {}

    def joined(self, key: tuple[str | None, int | None, str]) -> str:
        """The whole string of ``key`` (one of :attr:`fragments`), its pieces joined once."""
        pieces = self.fragments[key]
        if len(pieces) > 1:
            pieces[:] = ["".join(pieces)]
        return pieces[0] if pieces else ""

    def settle(self, key: tuple[str | None, int | None, str], whole: str) -> None:
        self.fragments[key] = [whole]

    def materialize(self) -> dict[str, Any]:
        for key in list(self.fragments):
            _store(self.data, key, self.joined(key))
        self.fragments.clear()
        return self.data


def _part(data: dict[str, Any], parts: str, index: int) -> dict[str, Any]:
    entries = data.get(parts)
    if type(entries) is not list:
        entries = data[parts] = []
    while len(entries) <= index:
        entries.append({})
    entry = entries[index]
    if type(entry) is not dict:
        entry = entries[index] = {}
    return entry


def _has_part(data: dict[str, Any], parts: str, index: int) -> bool:
    entries = data.get(parts)
    return type(entries) is list and 0 <= index < len(entries) and type(entries[index]) is dict


def _current(data: dict[str, Any], key: tuple[str | None, int | None, str]) -> str:
    parts, index, name = key
    holder: Any = data
    if parts is not None and index is not None:
        entries = data.get(parts)
        holder = entries[index] if type(entries) is list and 0 <= index < len(entries) else None
    value = holder.get(name) if type(holder) is dict else None
    return value if type(value) is str else ""


def _store(data: dict[str, Any], key: tuple[str | None, int | None, str], text: str) -> None:
    parts, index, name = key
    holder = _part(data, parts, index) if parts is not None and index is not None else data
    holder[name] = text


class _Response:
    """One response: its latest lifecycle snapshot, its items by output_index, whether it ended."""

    __slots__ = ("by_id", "ended", "final", "items", "snapshot")

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.snapshot = snapshot
        self.items: dict[int, _Item] = {}
        self.by_id: dict[str, int] = {}
        self.final: dict[str, Any] | None = None
        self.ended = False

    def accumulated_output(self) -> list[dict[str, Any]]:
        return [self.items[index].materialize() for index in sorted(self.items)]

    def state(self) -> dict[str, Any]:
        if self.final is not None:
            return self.final
        state = dict(self.snapshot)
        state["output"] = self.accumulated_output()
        return state


def _string_fields(item: dict[str, Any]) -> Iterable[tuple[tuple[str | None, int | None, str], str]]:
    """Every string of an item that deltas can build, with its key."""
    for parts, name in vocab.BUILT_FIELDS:
        if parts is None:
            value = item.get(name)
            if type(value) is str:
                yield (None, None, name), value
            continue
        entries = item.get(parts)
        if type(entries) is not list:
            continue
        for index, entry in enumerate(entries):
            if type(entry) is dict and type(entry.get(name)) is str:
                yield (parts, index, name), entry[name]


def _shorten(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _code_and_message(error: dict[str, Any]) -> str:
    """An API error object as a diagnostic names it: its code and its message."""
    return f"{error.get('code')!r} {error.get('message')!r}"


class ResponsesFolder:
    """Feed events stream by stream (:meth:`feed`, :meth:`end_stream`), then take :meth:`transcript`."""

    def __init__(self, *, views: bool = False, sink: DiagnosticSink | None = None) -> None:
        self._views = views
        self._names: list[str] = []
        self._ids: list[str | None] = []
        self._texts: list[str | None] = []
        self._statuses: list[str | None] = []
        self._data: list[str] = []
        self._stream_starts: list[int] = [0]
        self._log = DiagnosticLog(sink)
        self._responses: dict[str, _Response] = {}
        self._last_response: str | None = None
        self._stream = 0
        self._index = 0
        self._current: _Response | None = None
        self._ended_at: int | None = None
        self._ended_by_error = False
        self._sequence: int | None = None

    # -- driving -------------------------------------------------------------------------------------

    def feed(self, event: ServerSentEvent) -> None:
        index = self._index
        self._index = index + 1
        try:
            payload: Any = json.loads(event.data)
        except (ValueError, RecursionError) as error:
            name = event.event if event.event != "message" else "message"
            self._names.append(name)
            self._record(name, None, event.data)
            self._report(
                shared.INVALID_JSON, f"{name} data is not JSON ({error}): {event.data[:60]!r}", index
            )
            return
        if type(payload) is not dict:
            self._names.append(event.event)
            self._record(event.event, None, event.data)
            self._report(
                shared.UNEXPECTED_PAYLOAD, f"data should be a JSON object: {event.data[:60]!r}", index
            )
            return
        declared = payload.get("type")
        name = declared if type(declared) is str else event.event
        if type(declared) is str and event.event not in ("message", declared):
            self._report(
                codes.TYPE_MISMATCH, f"event {event.event!r} carries a payload of type {declared!r}", index
            )
        if self._ended_at is not None and name in vocab.PROGRESS_EVENTS:
            # a response starting after the terminal event is the next body of a raw .sse file
            # holding several (Responses streams end without a [DONE] line to cut them apart)
            self._index = index
            self.end_stream()
            self.feed(event)
            return
        self._names.append(name)
        self._record(name, payload, event.data)
        self._check_sequence(payload.get("sequence_number"), index)
        if self._ended_at is not None and not (self._ended_by_error and name in vocab.TERMINAL_EVENTS):
            self._report(
                codes.EVENT_AFTER_TERMINAL,
                f"{name} after the terminal event {self._ended_at} (kept in events, not applied)",
                index,
            )
            return
        try:
            self._apply(name, payload, index)
        except Exception as error:  # a safety net: a broken stream must never break the caller
            self._report(
                shared.INTERNAL_ERROR, f"{name} could not be applied: {type(error).__name__}: {error}", index
            )

    def _record(self, name: str, payload: dict[str, Any] | None, data: str) -> None:
        if self._views:
            self._data.append(data)
        if payload is None:
            self._ids.append(None)
            if self._views:
                self._texts.append(None)
                self._statuses.append(None)
            return
        item_id = payload.get("item_id")
        response = payload.get("response")
        item = payload.get("item")
        if type(item_id) is not str:
            holder = item if type(item) is dict else response if type(response) is dict else None
            item_id = holder.get("id") if holder is not None else None
        self._ids.append(item_id if type(item_id) is str else None)
        if self._views:
            delta = payload.get("delta")
            text = delta if type(delta) is str and name in vocab.STREAMED_DELTA_EVENTS else None
            if name == vocab.ERROR:
                text = error_message(payload)
            self._texts.append(text)
            holder = response if type(response) is dict else item if type(item) is dict else {}
            status = holder.get("status")
            self._statuses.append(status if type(status) is str else None)

    def end_stream(self) -> None:
        if self._index == 0:
            self._report(
                shared.EMPTY_STREAM, "the stream holds no event (is this a text/event-stream body?)", None
            )
        elif self._ended_at is None:
            self._report(
                codes.MISSING_TERMINAL,
                f"the stream ended after event {self._index - 1} without response.completed, "
                "response.incomplete, response.failed or error",
                self._index - 1,
            )
        self._stream += 1
        self._stream_starts.append(len(self._names))
        self._index = 0
        self._current = None
        self._ended_at = None
        self._ended_by_error = False
        self._sequence = None

    def take_view(self) -> EventView:
        """The view of the event just fed (folded with ``views``), taken out of the columns."""
        return taken_view(self._stream, self._names, self._ids, self._texts, self._statuses, self._data)

    def transcript(self) -> ResponsesTranscript:
        responses = [response.state() for response in self._responses.values()]
        final = self._responses[self._last_response].state() if self._last_response is not None else None
        return ResponsesTranscript(
            event_names=self._names,
            stream_starts=self._stream_starts[: self._stream],
            responses=responses,
            final_response=final,
            diagnostics=self._log.listed(),
            event_object_ids=self._ids,
            event_texts=self._texts,
            event_statuses=self._statuses,
            event_data=self._data,
        )

    # -- checks ----------------------------------------------------------------------------------

    def _report(self, code: str, message: str, index: int | None) -> None:
        self._log.report(code, message, self._stream, index)

    def _check_sequence(self, number: Any, index: int) -> None:
        if type(number) is not int:
            return
        previous = self._sequence
        self._sequence = number
        if previous is None or number == previous + 1:
            return
        if number == previous:
            self._report(
                codes.SEQUENCE_REPEATED, f"sequence_number {number} repeats the previous event's", index
            )
        elif number < previous:
            self._report(codes.SEQUENCE_BACKWARDS, f"sequence_number {number} after {previous}", index)
        else:
            self._report(
                codes.SEQUENCE_GAP,
                f"sequence_number {number} after {previous}: {number - previous - 1} missing",
                index,
            )

    # -- applying ----------------------------------------------------------------------------------

    def _apply(self, name: str, payload: dict[str, Any], index: int) -> None:
        if name in vocab.LIFECYCLE_EVENTS:
            self._lifecycle(name, payload, index)
        elif name == vocab.ERROR:
            # the API may still send the response's own terminal object (response.failed) after it
            self._ended_at = index
            self._ended_by_error = True
            nested = payload.get("error")
            error = nested if type(nested) is dict else payload
            self._report(
                shared.ERROR_EVENT, f"the server sent an error event: {_code_and_message(error)}", index
            )
        elif name in vocab.DELTA_TARGETS:
            self._delta(name, vocab.DELTA_TARGETS[name], payload, index)
        elif name in vocab.DONE_TARGETS:
            self._string_done(name, vocab.DONE_TARGETS[name], payload, index)
        elif name == vocab.ITEM_ADDED:
            self._item_added(payload, index)
        elif name == vocab.ITEM_DONE:
            self._item_done(payload, index)
        elif name in (vocab.CONTENT_PART_ADDED, vocab.SUMMARY_PART_ADDED):
            self._part_added(name, payload, index)
        elif name in (vocab.CONTENT_PART_DONE, vocab.SUMMARY_PART_DONE):
            self._part_done(name, payload, index)
        elif name == vocab.ANNOTATION_ADDED:
            self._annotation(payload, index)
        elif name in vocab.KNOWN_EVENTS:
            self._item_for(name, payload, index, required=False)
        else:
            self._report(
                shared.UNKNOWN_EVENT, f"{name!r} is not a Responses stream event (kept as sent)", index
            )

    def _lifecycle(self, name: str, payload: dict[str, Any], index: int) -> None:
        response = payload.get("response")
        if type(response) is not dict or type(response.get("id")) is not str:
            self._report(
                shared.UNEXPECTED_PAYLOAD, f"{name} should carry a response with a string 'id'", index
            )
            return
        response_id: str = response["id"]
        current = self._current
        if current is not None and current.snapshot.get("id") != response_id:
            self._report(
                codes.RESPONSE_ID_CHANGED,
                f"{name} is about {response_id}, the stream was about {current.snapshot.get('id')}",
                index,
            )
        tracked = self._responses.get(response_id)
        if tracked is None or (current is None and tracked.ended):
            # a stream resumed after an earlier one ended (GET ?stream=true&starting_after=N) replays
            # the response's events again: it is folded afresh, keeping its place in `responses`
            tracked = self._responses[response_id] = _Response(response)
        self._current = tracked
        self._last_response = response_id
        if name in vocab.PROGRESS_EVENTS:
            tracked.snapshot = response
            return
        self._ended_at = index
        self._ended_by_error = False
        self._terminal(tracked, name, response, index)

    def _terminal(self, tracked: _Response, name: str, response: dict[str, Any], index: int) -> None:
        accumulated = tracked.accumulated_output()
        final = dict(response)
        output = response.get("output")
        if type(output) is not list:
            final["output"] = accumulated
        else:
            self._compare_output(accumulated, output, name, index)
        tracked.final = final
        tracked.ended = True
        if name == vocab.FAILED:
            error = response.get("error")
            detail = _code_and_message(error) if type(error) is dict else f"error {error!r}"
            self._report(codes.RESPONSE_FAILED, f"response {response.get('id')} failed: {detail}", index)

    def _compare_output(
        self, accumulated: list[dict[str, Any]], output: list[Any], name: str, index: int
    ) -> None:
        # an id that is not a string is no id (a list or an object as one must not break the fold)
        by_id = {item["id"]: item for item in output if type(item) is dict and type(item.get("id")) is str}
        for position, item in enumerate(accumulated):
            item_id = item.get("id") if type(item.get("id")) is str else None
            final = by_id.get(item_id) if item_id is not None else None
            if (
                final is None
                and item_id is None
                and position < len(output)
                and type(output[position]) is dict
            ):
                final = output[position]
            if final is None:
                if output:  # an empty output list is how some servers say "see the items you were sent"
                    self._report(
                        shared.DELTA_SNAPSHOT_MISMATCH,
                        f"{name} output has no item {item_id or position} that the stream built",
                        index,
                    )
                continue
            self._compare_strings(item, final, f"{name} output item {item_id or position}", index)

    def _compare_strings(self, built: dict[str, Any], final: dict[str, Any], where: str, index: int) -> None:
        finals = dict(_string_fields(final))
        for key, text in _string_fields(built):
            expected = finals.get(key)
            if expected is not None and expected != text:
                path = ".".join(str(part) for part in key if part is not None)
                self._report(
                    shared.DELTA_SNAPSHOT_MISMATCH,
                    f"{where} {path}: the deltas built {_shorten(text)}, "
                    f"the final object says {_shorten(expected)}",
                    index,
                )

    def _item_for(
        self, name: str, payload: dict[str, Any], index: int, required: bool = True
    ) -> _Item | None:
        current = self._current
        output_index = payload.get("output_index")
        item_id = payload.get("item_id")
        if current is None:
            if required or output_index is not None:
                self._report(
                    codes.OUTPUT_INDEX_OUT_OF_RANGE,
                    f"{name} before any response.created of this stream",
                    index,
                )
            return None
        item: _Item | None = None
        if type(output_index) is int:
            item = current.items.get(output_index)
            if item is None:
                self._report(
                    codes.OUTPUT_INDEX_OUT_OF_RANGE,
                    f"{name} for output_index {output_index}, but no item was added there "
                    f"({len(current.items)} item(s) seen)",
                    index,
                )
                return None
        elif type(item_id) is str and item_id in current.by_id:
            item = current.items[current.by_id[item_id]]
        if type(item_id) is str and item_id not in current.by_id:
            self._report(
                codes.DELTA_UNKNOWN_ITEM,
                f"{name} for item {item_id}, which no output_item.added introduced",
                index,
            )
            return None
        if item is None and required:
            self._report(shared.UNEXPECTED_PAYLOAD, f"{name} names no output_index or known item_id", index)
        return item

    def _item_added(self, payload: dict[str, Any], index: int) -> None:
        current = self._current
        data = payload.get("item")
        output_index = payload.get("output_index")
        if current is None:
            self._report(
                codes.OUTPUT_INDEX_OUT_OF_RANGE, "response.output_item.added before response.created", index
            )
            return
        if type(data) is not dict or type(output_index) is not int:
            self._report(
                shared.UNEXPECTED_PAYLOAD,
                "response.output_item.added needs an item object and an output_index",
                index,
            )
            return
        if output_index in current.items:
            self._report(
                codes.DUPLICATE_OUTPUT_INDEX, f"a second item added at output_index {output_index}", index
            )
        current.items[output_index] = _Item(data)
        item_id = data.get("id")
        if type(item_id) is str:
            current.by_id[item_id] = output_index

    def _item_done(self, payload: dict[str, Any], index: int) -> None:
        data = payload.get("item")
        if type(data) is not dict:
            self._report(shared.UNEXPECTED_PAYLOAD, "response.output_item.done needs an item object", index)
            return
        item = self._item_for(vocab.ITEM_DONE, {"output_index": payload.get("output_index")}, index)
        if item is None:
            return
        self._compare_strings(item.materialize(), data, f"response.output_item.done {data.get('id')}", index)
        item.data = data

    def _delta(self, name: str, target: vocab.DeltaTarget, payload: dict[str, Any], index: int) -> None:
        delta = payload.get("delta")
        if type(delta) is not str:
            self._report(shared.UNEXPECTED_PAYLOAD, f"{name} delta should be a string", index)
            return
        item = self._item_for(name, payload, index)
        if item is None:
            return
        key = self._key(name, target, payload, index, item)
        if key is None:
            return
        pieces = item.fragments.get(key)
        if pieces is None:
            parts, position, _ = key
            if parts is not None and position is not None and not _has_part(item.data, parts, position):
                # the SDKs index the parts list and crash; the text is kept in a part made for it
                self._report(
                    codes.DELTA_UNKNOWN_PART,
                    f"{name} for {parts}[{position}] of {payload.get('item_id')}, "
                    "which no part.added introduced",
                    index,
                )
            pieces = item.fragments[key] = [_current(item.data, key)]
        pieces.append(delta)

    def _key(
        self, name: str, target: vocab.DeltaTarget, payload: dict[str, Any], index: int, item: _Item
    ) -> tuple[str | None, int | None, str] | None:
        if target.part_index is None:
            return (None, None, target.field)
        part = payload.get(target.part_index)
        if type(part) is not int or part < 0:
            self._report(
                shared.UNEXPECTED_PAYLOAD, f"{name} needs a non-negative integer {target.part_index}", index
            )
            return None
        if target.parts is not None and self._beyond_reach(name, item, target.parts, part, index):
            return None
        return (target.parts, part, target.field)

    def _beyond_reach(self, name: str, item: _Item, parts: str, position: int, index: int) -> bool:
        entries = item.data.get(parts)
        seen = len(entries) if type(entries) is list else 0
        if position <= seen + MAX_PART_GAP:
            return False
        self._report(
            shared.UNEXPECTED_PAYLOAD,
            f"{name} for {parts}[{position}], {MAX_PART_GAP}+ past the {seen} part(s) seen (skipped)",
            index,
        )
        return True

    def _string_done(self, name: str, target: vocab.DeltaTarget, payload: dict[str, Any], index: int) -> None:
        whole = payload.get(target.done_field)
        item = self._item_for(name, payload, index)
        if item is None or type(whole) is not str:
            return
        key = self._key(name, target, payload, index, item)
        if key is None:
            return
        if key in item.fragments:
            built = item.joined(key)
            if built != whole:
                self._report(
                    codes.DELTA_DONE_MISMATCH,
                    f"the deltas built {_shorten(built)}, {name} says {_shorten(whole)}",
                    index,
                )
        item.settle(key, whole)

    def _part_added(self, name: str, payload: dict[str, Any], index: int) -> None:
        parts, position_key = (
            ("content", "content_index") if name == vocab.CONTENT_PART_ADDED else ("summary", "summary_index")
        )
        part = payload.get("part")
        position = payload.get(position_key)
        item = self._item_for(name, payload, index)
        if item is None:
            return
        if type(part) is not dict or type(position) is not int or position < 0:
            self._report(
                shared.UNEXPECTED_PAYLOAD, f"{name} needs a part object and an integer {position_key}", index
            )
            return
        if self._beyond_reach(name, item, parts, position, index):
            return
        entry = _part(item.data, parts, position)
        entry.clear()
        entry.update(part)
        for key in [key for key in item.fragments if key[0] == parts and key[1] == position]:
            del item.fragments[key]

    def _part_done(self, name: str, payload: dict[str, Any], index: int) -> None:
        parts, position_key = (
            ("content", "content_index") if name == vocab.CONTENT_PART_DONE else ("summary", "summary_index")
        )
        part = payload.get("part")
        position = payload.get(position_key)
        item = self._item_for(name, payload, index)
        if item is None or type(part) is not dict or type(position) is not int or position < 0:
            return
        if self._beyond_reach(name, item, parts, position, index):
            return
        for key in [key for key in item.fragments if key[0] == parts and key[1] == position]:
            built = item.joined(key)
            expected = part.get(key[2])
            if type(expected) is str and expected != built:
                self._report(
                    codes.DELTA_DONE_MISMATCH,
                    f"the deltas built {_shorten(built)}, {name} says {_shorten(expected)}",
                    index,
                )
            del item.fragments[key]
        entry = _part(item.data, parts, position)
        entry.clear()
        entry.update(part)

    def _annotation(self, payload: dict[str, Any], index: int) -> None:
        item = self._item_for(vocab.ANNOTATION_ADDED, payload, index)
        content_index = payload.get("content_index")
        annotation = payload.get("annotation")
        if item is None:
            return
        if type(content_index) is not int or content_index < 0 or annotation is None:
            self._report(
                shared.UNEXPECTED_PAYLOAD,
                f"{vocab.ANNOTATION_ADDED} needs a content_index and an annotation",
                index,
            )
            return
        if self._beyond_reach(vocab.ANNOTATION_ADDED, item, "content", content_index, index):
            return
        entry = _part(item.data, "content", content_index)
        annotations = entry.get("annotations")
        if type(annotations) is not list:
            annotations = entry["annotations"] = []
        position = payload.get("annotation_index")
        if type(position) is int and 0 <= position < len(annotations):
            annotations[position] = annotation
        else:
            annotations.append(annotation)


def fold_responses(
    streams: Sequence[Iterable[ServerSentEvent]], *, views: bool = False
) -> ResponsesTranscript:
    """Fold the Responses streams of one cassette, in recorded order."""
    folder = ResponsesFolder(views=views)
    feed_streams(folder, streams)
    return folder.transcript()
