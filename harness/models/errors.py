"""The payload of an ``error`` event.

The API sends ``{"error": {...}}`` (what the SDK's stream reader looks for:
it raises ``APIError`` with the inner object as body); the SDK's
``ErrorEvent`` type describes the inner object alone. Both load:
:class:`ErrorPayload` for the wrapped form, :class:`ErrorObject` for the bare one.
"""

from __future__ import annotations

from typing import Any

from harness.models._base import HarnessModel


class ErrorObject(HarnessModel):
    message: str | None = None
    type: str | None = None
    param: str | None = None
    code: str | None = None
    misalignment: dict[str, Any] | None = None  # in the SDK's shared error type; not seen in run streams


class ErrorPayload(HarnessModel):
    error: ErrorObject | None = None
