"""The transport-neutral request and response an HTTP app works with (the emulator, the replay server)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs

# One piece of a response body: seconds to wait before sending it, then its bytes.
BodyPiece = tuple[float, bytes]


class AbortStream(Exception):
    """Raised by a streaming body to drop the connection without ending the body properly
    (the HTTP server then closes the socket mid-stream, as a lost connection would)."""


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    query: Mapping[str, list[str]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def from_target(cls, method: str, target: str, headers: Mapping[str, str], body: bytes) -> HttpRequest:
        """From a request target such as ``/v1/threads/x/runs?include[]=...``."""
        path, _, query = target.partition("?")
        return cls(method.upper(), path, parse_qs(query, keep_blank_values=True), headers, body)


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: Iterable[BodyPiece]
    streaming: bool = False

    def pieces(self) -> Iterator[BodyPiece]:
        return iter(self.body)

    def read(self) -> bytes:
        """The whole body at once, ignoring delays (tests, non-streaming callers)."""
        return b"".join(chunk for _, chunk in self.body)
