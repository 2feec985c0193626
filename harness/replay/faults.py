"""Faults a replay can inject, all deterministic. Event indexes count from 0."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CutAfter:
    """End the stream cleanly right after event ``event`` (no ``done``, no error)."""

    event: int
    exchange: int | None = None


@dataclass(frozen=True)
class DisconnectAfter:
    """Raise the HTTP library's ``RemoteProtocolError`` right after event ``event``."""

    event: int
    exchange: int | None = None


@dataclass(frozen=True)
class DelayBefore:
    """Wait ``seconds`` before the read that carries the first byte of event ``event``."""

    event: int
    seconds: float
    exchange: int | None = None


@dataclass(frozen=True)
class HTTPError:
    """Answer with ``status`` (and a ``retry-after`` header when given) instead of the
    recording, ``times`` times; later attempts get the recording (so SDK retries succeed)."""

    status: int = 500
    retry_after: float | None = None
    times: int = 1
    exchange: int | None = None

    def __post_init__(self) -> None:
        if not 400 <= self.status <= 599:
            raise ValueError(f"HTTPError needs a 4xx or 5xx status, got {self.status}")


Fault = CutAfter | DisconnectAfter | DelayBefore | HTTPError


def faults_for(faults: tuple[Fault, ...], exchange: int) -> list[Fault]:
    """The faults that apply to the recorded exchange numbered ``exchange``."""
    return [fault for fault in faults if fault.exchange in (None, exchange)]
