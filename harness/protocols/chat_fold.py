"""Folding Chat Completions streams into the final ``ChatCompletion`` of every completion, with diagnostics.

Pure and O(n): string fragments are kept in lists and joined once at the end. Nothing here raises
on bad input. Choices are kept by their ``index`` (not by arrival order), tool calls by theirs, and
the usage of the ``choices: []`` chunk becomes the completion's usage.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness.protocols import assistants as shared
from harness.protocols import chat_vocabulary as vocab
from harness.protocols import new_protocol_codes as codes
from harness.protocols.fold_support import (
    DiagnosticLog,
    DiagnosticSink,
    EventColumns,
    error_message,
    feed_streams,
)
from harness.sse.event import ServerSentEvent


@dataclass(frozen=True)
class ChatTranscript(EventColumns):
    """Chat Completions streams folded: event names, every completion's final state, diagnostics."""

    completions: list[dict[str, Any]] = field(default_factory=list)
    final_completion: dict[str, Any] | None = None
    protocol: str = "chat.completions"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``harness inspect --format json`` for a Chat Completions stream."""
        return self.inspect_shape(
            self.protocol, ("completions", self.completions), ("final_completion", self.final_completion)
        )


class _Strings:
    """Named strings growing by fragments; other values keep the last one that is not null."""

    __slots__ = ("first", "pieces", "values")

    def __init__(self) -> None:
        self.pieces: dict[str, list[str]] = {}
        self.values: dict[str, Any] = {}
        self.first: dict[str, Any] = {}

    def add(self, key: str, value: Any, first_only: bool = False) -> None:
        if value is None:
            self.values.setdefault(key, None)
        elif first_only:
            if self.first.get(key) is None:
                self.first[key] = value
        elif type(value) is str:
            pieces = self.pieces.get(key)
            if pieces is None:
                self.pieces[key] = [value]
            else:
                pieces.append(value)
        else:
            self.values[key] = value

    def get(self, key: str) -> Any:
        if key in self.first:
            return self.first[key]
        pieces = self.pieces.get(key)
        if pieces is not None:
            return "".join(pieces)
        return self.values.get(key)

    def keys(self) -> list[str]:
        return [*self.first, *(key for key in self.pieces if key not in self.first), *self.values]

    def to_dict(self) -> dict[str, Any]:
        return {key: self.get(key) for key in dict.fromkeys(self.keys())}


class _ToolCall:
    __slots__ = ("call", "function")

    def __init__(self) -> None:
        self.call = _Strings()
        self.function = _Strings()

    def to_dict(self) -> dict[str, Any]:
        # as the API's ChatCompletionMessageToolCall: no positional `index` (the list order is it)
        built: dict[str, Any] = self.call.to_dict()
        built["function"] = self.function.to_dict()
        return built


class _Choice:
    __slots__ = ("extra", "finish_reason", "logprobs", "message", "tool_calls")

    def __init__(self) -> None:
        self.message = _Strings()
        self.tool_calls: dict[int, _ToolCall] = {}
        self.finish_reason: Any = None
        self.logprobs: dict[str, list[Any] | None] | None = None
        self.extra: dict[str, Any] = {}

    def to_dict(self, index: int) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": None}
        message.update(self.message.to_dict())
        if self.tool_calls:
            message["tool_calls"] = [
                self.tool_calls[position].to_dict() for position in sorted(self.tool_calls)
            ]
        built: dict[str, Any] = {"index": index, "message": message, "finish_reason": self.finish_reason}
        built["logprobs"] = self.logprobs
        built.update(self.extra)
        return built


class _Completion:
    __slots__ = ("choices", "extra", "top", "usage")

    def __init__(self) -> None:
        self.top: dict[str, Any] = {}
        self.choices: dict[int, _Choice] = {}
        self.usage: Any = None
        self.extra: dict[str, Any] = {}

    def to_dict(self) -> dict[str, Any]:
        built: dict[str, Any] = {"id": self.top.get("id"), "object": vocab.COMPLETION_OBJECT}
        for key in vocab.COMPLETION_FIELDS[1:]:
            if key in self.top:
                built[key] = self.top[key]
        built["choices"] = [self.choices[index].to_dict(index) for index in sorted(self.choices)]
        built["usage"] = self.usage
        built.update(self.extra)
        return built


_KNOWN_CHUNK_KEYS = frozenset({*vocab.COMPLETION_FIELDS, "object", "choices", "usage", "obfuscation"})
_KNOWN_CHOICE_KEYS = frozenset({"index", "delta", "finish_reason", "logprobs"})


class ChatFolder:
    """Feed events stream by stream (:meth:`feed`, :meth:`end_stream`), then take :meth:`transcript`."""

    def __init__(self, *, views: bool = False, sink: DiagnosticSink | None = None) -> None:
        self._views = views
        self._names: list[str] = []
        self._ids: list[str | None] = []
        self._texts: list[str | None] = []
        self._statuses: list[str | None] = []
        self._data: list[str] = []
        self._stream_starts: list[int] = []
        self._log = DiagnosticLog(sink)
        self._completions: dict[str, _Completion] = {}
        self._last: str | None = None
        self._stream = 0
        self._index = 0
        self._current: _Completion | None = None
        self._done_at: int | None = None
        self._errored = False

    def feed(self, event: ServerSentEvent) -> None:
        index = self._index
        self._index = index + 1
        if self._views:
            self._data.append(event.data)
        if index == 0:
            self._stream_starts.append(len(self._names))
        data = event.data
        if data.strip() == vocab.DONE_DATA:
            self._record(vocab.DONE_NAME, None)
            if self._done_at is not None:
                self._report(shared.EVENT_AFTER_DONE, "a second [DONE]", index)
            self._done_at = index
            return
        try:
            payload: Any = json.loads(data)
        except (ValueError, RecursionError) as error:
            self._record(event.event, None)
            self._report(shared.INVALID_JSON, f"data is not JSON ({error}): {data[:60]!r}", index)
            return
        if type(payload) is dict and "error" in payload and "choices" not in payload:
            self._record("error", None, payload["error"])
            self._errored = True  # the server ends a stream that failed with this line, no [DONE]
            sent = payload["error"] if type(payload["error"]) is dict else {"message": payload["error"]}
            self._report(
                shared.ERROR_EVENT,
                f"the server sent an error: {sent.get('code')!r} {sent.get('message')!r}",
                index,
            )
            return
        if not vocab.is_chat_chunk(payload):
            self._record(event.event, None)
            self._report(
                shared.UNEXPECTED_PAYLOAD,
                f"data is not a {vocab.CHUNK_OBJECT} object (skipped, as the SDKs do): {data[:60]!r}",
                index,
            )
            return
        self._record(vocab.CHUNK_OBJECT, payload)
        if self._done_at is not None:
            self._report(
                shared.EVENT_AFTER_DONE, f"a chunk after [DONE] at event {self._done_at} (not applied)", index
            )
            return
        try:
            self._chunk(payload, index)
        except Exception as error:  # a safety net: a broken stream must never break the caller
            self._report(
                shared.INTERNAL_ERROR, f"chunk could not be applied: {type(error).__name__}: {error}", index
            )

    def _record(self, name: str, payload: dict[str, Any] | None, error: Any = None) -> None:
        self._names.append(name)
        choices = payload.get("choices") if payload is not None else None
        object_id = payload.get("id") if payload is not None else None
        if (
            type(object_id) is str
            and type(choices) is list
            and len(choices) == 1
            and type(choices[0]) is dict
        ):
            object_id = f"{object_id}#{choices[0].get('index')}"
        self._ids.append(object_id if type(object_id) is str else None)
        if not self._views:
            return
        if error is not None:
            self._texts.append(error_message({"error": error}))
            self._statuses.append(None)
            return
        pieces = [value for _, _, value in vocab.streamed_strings(payload)] if payload is not None else []
        self._texts.append("".join(pieces) if pieces else None)
        finish = None
        if type(choices) is list:
            finish = next(
                (c.get("finish_reason") for c in choices if type(c) is dict and c.get("finish_reason")), None
            )
        self._statuses.append(finish if type(finish) is str else None)

    def end_stream(self) -> None:
        if self._index == 0:
            self._stream_starts.append(len(self._names))
            self._report(
                shared.EMPTY_STREAM, "the stream holds no event (is this a text/event-stream body?)", None
            )
        elif self._done_at is None and not self._errored:
            self._report(
                shared.MISSING_DONE,
                f"the stream ended after event {self._index - 1} without data: [DONE]",
                self._index - 1,
            )
        self._stream += 1
        self._index = 0
        self._current = None
        self._done_at = None
        self._errored = False

    def transcript(self) -> ChatTranscript:
        completions = [completion.to_dict() for completion in self._completions.values()]
        final = self._completions[self._last].to_dict() if self._last is not None else None
        return ChatTranscript(
            event_names=self._names,
            stream_starts=self._stream_starts,
            completions=completions,
            final_completion=final,
            diagnostics=self._log.listed(),
            event_object_ids=self._ids,
            event_texts=self._texts,
            event_statuses=self._statuses,
            event_data=self._data,
        )

    def _report(self, code: str, message: str, index: int | None) -> None:
        self._log.report(code, message, self._stream, index)

    def _completion_for(self, payload: dict[str, Any], index: int) -> _Completion:
        chunk_id = payload.get("id")
        key = chunk_id if type(chunk_id) is str else f"stream-{self._stream}"
        current = self._current
        if current is not None and current.top.get("id") not in (None, chunk_id):
            self._report(
                codes.COMPLETION_ID_CHANGED,
                f"chunk of {chunk_id}, the stream was about {current.top.get('id')}",
                index,
            )
        completion = self._completions.get(key)
        if completion is None:
            completion = self._completions[key] = _Completion()
        self._current = completion
        self._last = key
        return completion

    def _chunk(self, payload: dict[str, Any], index: int) -> None:
        completion = self._completion_for(payload, index)
        top = completion.top
        for key in vocab.COMPLETION_FIELDS:
            if key in payload and (payload[key] is not None or key not in top):
                top[key] = payload[key]
        usage = payload.get("usage")
        if usage is not None:
            completion.usage = usage
        for key, value in payload.items():
            if key not in _KNOWN_CHUNK_KEYS and value is not None:
                completion.extra[key] = value
        choices = payload.get("choices")
        if type(choices) is not list:
            if choices is not None:
                self._report(shared.UNEXPECTED_PAYLOAD, "choices should be a list", index)
            return
        for choice in choices:
            self._choice(completion, choice, index)

    def _choice(self, completion: _Completion, choice: Any, index: int) -> None:
        position = choice.get("index") if type(choice) is dict else None
        if type(position) is not int or position < 0:
            self._report(
                shared.UNEXPECTED_PAYLOAD,
                f"a choice without a non-negative integer index: {choice!r:.60}",
                index,
            )
            return
        state = completion.choices.get(position)
        if state is None:
            # the first index not seen yet: found within len(choices) + 1 steps, whatever the position
            missing = next(
                (earlier for earlier in range(position) if earlier not in completion.choices), None
            )
            if missing is not None:
                self._report(
                    codes.CHOICE_INDEX_OUT_OF_ORDER,
                    f"choice {position} appeared before choice {missing} (kept by index)",
                    index,
                )
            state = completion.choices[position] = _Choice()
        delta = choice.get("delta")
        if type(delta) is dict:
            self._delta(state, delta, index)
        finish = choice.get("finish_reason")
        if finish is not None:
            state.finish_reason = finish
        logprobs = choice.get("logprobs")
        if type(logprobs) is dict:
            if state.logprobs is None:
                # a family the API never sends a list for stays null, as in its own objects
                state.logprobs = {"content": None, "refusal": None}
            for key in ("content", "refusal"):
                entries = logprobs.get(key)
                if type(entries) is list:
                    kept = state.logprobs.get(key)
                    if kept is None:
                        state.logprobs[key] = list(entries)
                    else:
                        kept.extend(entries)
        for key, value in choice.items():
            if key not in _KNOWN_CHOICE_KEYS and value is not None:
                state.extra[key] = value

    def _delta(self, state: _Choice, delta: dict[str, Any], index: int) -> None:
        for key, value in delta.items():
            if key == "tool_calls":
                if type(value) is list:
                    self._tool_calls(state, value, index)
            else:
                state.message.add(key, value, first_only=key in vocab.FIRST_VALUE_MESSAGE_FIELDS)

    def _tool_calls(self, state: _Choice, calls: list[Any], index: int) -> None:
        seen: set[int] = set()
        for call in calls:
            position = call.get("index") if type(call) is dict else None
            if type(position) is not int or position < 0:
                self._report(
                    codes.TOOL_CALL_WITHOUT_INDEX,
                    f"a tool-call delta without an integer index: {call!r:.80}",
                    index,
                )
                continue
            if position in seen:
                self._report(
                    codes.TOOL_CALL_DUPLICATE_INDEX,
                    f"two tool-call deltas for index {position} in one chunk (joined in order)",
                    index,
                )
            seen.add(position)
            tool = state.tool_calls.get(position)
            if tool is None:
                tool = state.tool_calls[position] = _ToolCall()
            for key, value in call.items():
                if key == "index":
                    continue
                if key == "function" and type(value) is dict:
                    for name, piece in value.items():
                        tool.function.add(name, piece)
                else:
                    tool.call.add(key, value, first_only=key in vocab.FIRST_VALUE_TOOL_FIELDS)


def fold_chat(streams: Sequence[Iterable[ServerSentEvent]], *, views: bool = False) -> ChatTranscript:
    """Fold the Chat Completions streams of one cassette, in recorded order."""
    folder = ChatFolder(views=views)
    feed_streams(folder, streams)
    return folder.transcript()
