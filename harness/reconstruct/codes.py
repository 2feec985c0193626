"""Stable codes of the diagnostics reconstruction emits (users and tests filter on them), under the
name they have always been imported by.

Their one home, with their default severity, is the protocol layer: :mod:`harness.protocols.assistants`
(the Responses and Chat Completions codes: :mod:`harness.protocols.new_protocol_codes`). This module
only re-exports them; reconstruction imports the protocol layer, never the reverse.
"""

from __future__ import annotations

from harness.protocols.assistants import (
    ALL_CODES,
    DELTA_AFTER_TERMINAL,
    DELTA_SNAPSHOT_MISMATCH,
    DELTA_UNKNOWN_OBJECT,
    EMPTY_STREAM,
    ERROR_EVENT,
    EVENT_AFTER_DONE,
    INTERNAL_ERROR,
    INVALID_DELTA,
    INVALID_JSON,
    MALFORMED_DONE,
    MISSING_DONE,
    REFERENCE_DEVIATION,
    RUN_NOT_FINISHED,
    RUN_STATUS_BACKWARDS,
    STATUS_MISMATCH,
    UNEXPECTED_PAYLOAD,
    UNKNOWN_EVENT,
    UNKNOWN_FIELD,
    UNKNOWN_TYPE,
)

__all__ = [
    "ALL_CODES",
    "DELTA_AFTER_TERMINAL",
    "DELTA_SNAPSHOT_MISMATCH",
    "DELTA_UNKNOWN_OBJECT",
    "EMPTY_STREAM",
    "ERROR_EVENT",
    "EVENT_AFTER_DONE",
    "INTERNAL_ERROR",
    "INVALID_DELTA",
    "INVALID_JSON",
    "MALFORMED_DONE",
    "MISSING_DONE",
    "REFERENCE_DEVIATION",
    "RUN_NOT_FINISHED",
    "RUN_STATUS_BACKWARDS",
    "STATUS_MISMATCH",
    "UNEXPECTED_PAYLOAD",
    "UNKNOWN_EVENT",
    "UNKNOWN_FIELD",
    "UNKNOWN_TYPE",
]
