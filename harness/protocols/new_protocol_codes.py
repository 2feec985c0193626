"""Stable codes of the diagnostics the Responses and Chat Completions folds emit, with severities.

Codes shared with run streams (``invalid-json``, ``error-event``, ...) keep their one home in
:mod:`harness.protocols.assistants`; only what is new to these protocols is defined here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from harness.protocols import assistants as shared

Severity = Literal["error", "warning", "info"]
ERROR: Severity = "error"
WARNING: Severity = "warning"
INFO: Severity = "info"

# Responses
SEQUENCE_GAP = "sequence-gap"  # sequence_number skipped values (events were lost)
SEQUENCE_REPEATED = "sequence-repeated"  # the same sequence_number twice in a row
SEQUENCE_BACKWARDS = "sequence-backwards"  # sequence_number went down
OUTPUT_INDEX_OUT_OF_RANGE = "output-index-out-of-range"  # an event for an output_index no item was added at
DELTA_UNKNOWN_ITEM = "delta-unknown-item"  # an event for an item_id no output_item.added introduced
DELTA_UNKNOWN_PART = "delta-unknown-part"  # a delta for a content or summary part never added (kept)
DUPLICATE_OUTPUT_INDEX = "duplicate-output-index"  # two output_item.added at one output_index
DELTA_DONE_MISMATCH = "delta-done-mismatch"  # accumulated deltas disagree with their `.done` event
EVENT_AFTER_TERMINAL = "event-after-terminal"  # events after response.completed/incomplete/failed
MISSING_TERMINAL = "missing-terminal"  # the stream ended before a terminal event
RESPONSE_ID_CHANGED = "response-id-changed"  # a lifecycle event about another response mid-stream
TYPE_MISMATCH = "type-mismatch"  # the SSE event name and the payload's `type` differ (the payload wins)
RESPONSE_FAILED = "response-failed"  # the terminal event says failed (the API's error is kept)

# Chat Completions
TOOL_CALL_WITHOUT_INDEX = "tool-call-without-index"  # a tool-call delta with no integer `index` (skipped)
TOOL_CALL_DUPLICATE_INDEX = "tool-call-duplicate-index"  # one chunk has two deltas for one tool-call index
CHOICE_INDEX_OUT_OF_ORDER = "choice-index-out-of-order"  # choice k appeared before choice k-1
COMPLETION_ID_CHANGED = "completion-id-changed"  # a chunk of another completion mid-stream

SEVERITIES: dict[str, Severity] = {
    SEQUENCE_GAP: WARNING,
    SEQUENCE_REPEATED: WARNING,
    SEQUENCE_BACKWARDS: ERROR,
    OUTPUT_INDEX_OUT_OF_RANGE: ERROR,
    DELTA_UNKNOWN_ITEM: ERROR,
    DELTA_UNKNOWN_PART: WARNING,
    DUPLICATE_OUTPUT_INDEX: ERROR,
    DELTA_DONE_MISMATCH: ERROR,
    EVENT_AFTER_TERMINAL: WARNING,
    MISSING_TERMINAL: WARNING,
    RESPONSE_ID_CHANGED: WARNING,
    TYPE_MISMATCH: WARNING,
    RESPONSE_FAILED: INFO,
    TOOL_CALL_WITHOUT_INDEX: ERROR,
    TOOL_CALL_DUPLICATE_INDEX: WARNING,
    CHOICE_INDEX_OUT_OF_ORDER: WARNING,
    COMPLETION_ID_CHANGED: WARNING,
    shared.INVALID_JSON: ERROR,
    shared.UNEXPECTED_PAYLOAD: ERROR,
    shared.UNKNOWN_EVENT: INFO,
    shared.ERROR_EVENT: shared.CODES[shared.ERROR_EVENT],  # one severity for a server-reported failure
    shared.DELTA_SNAPSHOT_MISMATCH: ERROR,
    shared.EVENT_AFTER_DONE: WARNING,
    shared.MISSING_DONE: WARNING,
    shared.EMPTY_STREAM: ERROR,
    shared.INTERNAL_ERROR: ERROR,
}

_SHARED = (
    shared.INVALID_JSON,
    shared.UNEXPECTED_PAYLOAD,
    shared.ERROR_EVENT,
    shared.EMPTY_STREAM,
    shared.INTERNAL_ERROR,
)
_RESPONSES = (
    SEQUENCE_GAP,
    SEQUENCE_REPEATED,
    SEQUENCE_BACKWARDS,
    OUTPUT_INDEX_OUT_OF_RANGE,
    DELTA_UNKNOWN_ITEM,
    DELTA_UNKNOWN_PART,
    DUPLICATE_OUTPUT_INDEX,
    DELTA_DONE_MISMATCH,
    EVENT_AFTER_TERMINAL,
    MISSING_TERMINAL,
    RESPONSE_ID_CHANGED,
    TYPE_MISMATCH,
    RESPONSE_FAILED,
    shared.UNKNOWN_EVENT,
    shared.DELTA_SNAPSHOT_MISMATCH,
)
_CHAT = (
    TOOL_CALL_WITHOUT_INDEX,
    TOOL_CALL_DUPLICATE_INDEX,
    CHOICE_INDEX_OUT_OF_ORDER,
    COMPLETION_ID_CHANGED,
    shared.EVENT_AFTER_DONE,
    shared.MISSING_DONE,
)
RESPONSES_CODES: Mapping[str, Severity] = {code: SEVERITIES[code] for code in (*_SHARED, *_RESPONSES)}
CHAT_CODES: Mapping[str, Severity] = {code: SEVERITIES[code] for code in (*_SHARED, *_CHAT)}
# Events about items no event introduced: what shrinking must not leave behind.
RESPONSES_REFERENCE_CODES = frozenset({OUTPUT_INDEX_OUT_OF_RANGE, DELTA_UNKNOWN_ITEM, DELTA_UNKNOWN_PART})
MISSING_DONE = shared.MISSING_DONE
