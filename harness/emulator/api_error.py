"""The error the emulated APIs answer with, shaped as the real API's: ``{"error": {...}}``."""

from __future__ import annotations

from harness.emulator import objects


class ApiError(Exception):
    """Answered as the real API shapes errors: ``{"error": {message, type, param, code}}``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        type_: str = "invalid_request_error",
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = objects.error_body(message, type_=type_, param=param, code=code)
