"""The emulator's names for the neutral HTTP request and response (:mod:`harness.http.exchange`)."""

from __future__ import annotations

from harness.http.exchange import AbortStream, BodyPiece, HttpRequest, HttpResponse

EmulatorRequest = HttpRequest
EmulatorResponse = HttpResponse

__all__ = ["AbortStream", "BodyPiece", "EmulatorRequest", "EmulatorResponse"]
