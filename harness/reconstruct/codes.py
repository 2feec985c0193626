"""Stable codes of the diagnostics reconstruction emits (users and tests filter on them)."""

from __future__ import annotations

INVALID_JSON = "invalid-json"  # data is not JSON
UNEXPECTED_PAYLOAD = "unexpected-payload"  # JSON, but not an object with a string `id` / a `delta` object
UNKNOWN_EVENT = "unknown-event"  # event name outside the run-stream vocabulary (kept in `events`)
ERROR_EVENT = "error-event"  # the server sent an `error` event
STATUS_MISMATCH = "status-mismatch"  # event name implies one status, the data carries another (data wins)
RUN_STATUS_BACKWARDS = "run-status-backwards"  # a run's status moved against its lifecycle
DELTA_UNKNOWN_OBJECT = "delta-unknown-object"  # a delta for an id no snapshot introduced
DELTA_AFTER_TERMINAL = "delta-after-terminal"  # a delta for an object already completed (ignored)
INVALID_DELTA = "invalid-delta"  # a delta piece without a usable `index`, or not an object (skipped)
DELTA_SNAPSHOT_MISMATCH = "delta-snapshot-mismatch"  # accumulated deltas disagree with the terminal snapshot
EVENT_AFTER_DONE = "event-after-done"  # events after `done` (kept in `events`, not applied)
MALFORMED_DONE = "malformed-done"  # `done` without `[DONE]` data, or `[DONE]` under another name
MISSING_DONE = "missing-done"  # the stream ended without `done`
RUN_NOT_FINISHED = "run-not-finished"  # a stream ended with its run neither terminal nor requires_action
EMPTY_STREAM = "empty-stream"  # a stream without a single event
INTERNAL_ERROR = "internal-error"  # reconstruction itself failed on this event (a harness bug; please report)

ALL_CODES = frozenset(
    {
        INVALID_JSON,
        UNEXPECTED_PAYLOAD,
        UNKNOWN_EVENT,
        ERROR_EVENT,
        STATUS_MISMATCH,
        RUN_STATUS_BACKWARDS,
        DELTA_UNKNOWN_OBJECT,
        DELTA_AFTER_TERMINAL,
        INVALID_DELTA,
        DELTA_SNAPSHOT_MISMATCH,
        EVENT_AFTER_DONE,
        MALFORMED_DONE,
        MISSING_DONE,
        RUN_NOT_FINISHED,
        EMPTY_STREAM,
        INTERNAL_ERROR,
    }
)
