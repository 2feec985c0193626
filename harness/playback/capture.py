"""Copying an httpx / httpx2 request or response into the cassette model."""

from __future__ import annotations

from typing import Any

from harness.cassette.model import Headers, RecordedRequest

COMPRESSED = ("gzip", "deflate", "br", "zstd")


def headers_of(message: Any) -> Headers:
    """``message.headers.multi_items()`` (lowercased names), decoded once with the headers' encoding
    instead of asking for it twice per header. Headers are ASCII (their encoding is ascii exactly
    when every name and value decodes so, and any encoding a client may set reads ASCII alike), so
    the encoding is asked for only when they are not."""
    headers = message.headers
    raw = headers.raw
    try:
        return [(name.lower().decode("ascii"), value.decode("ascii")) for name, value in raw]
    except UnicodeDecodeError:
        encoding = headers.encoding
        return [(name.lower().decode(encoding), value.decode(encoding)) for name, value in raw]


def request_of(request: Any, body: bytes) -> RecordedRequest:
    return RecordedRequest(request.method, str(request.url), headers_of(request), body)


def reason_of(response: Any) -> str:
    reason = response.extensions.get("reason_phrase", b"")
    return reason.decode("ascii", "replace") if isinstance(reason, bytes) else str(reason or "")


def decoded_body(module: Any, status: int, headers: Headers, raw: bytes) -> tuple[Headers, bytes]:
    """Undo a content-encoding so the cassette holds readable text (as vcrpy's
    ``decode_compressed_response`` does); the header goes and the length is fixed."""
    encodings = [value.lower() for name, value in headers if name.lower() == "content-encoding"]
    if not raw or not any(encoding in COMPRESSED for encoding in encodings):
        return headers, raw
    decoded = module.Response(status, headers=headers, content=raw).content
    kept = [
        (name, value) for name, value in headers if name.lower() not in ("content-encoding", "content-length")
    ]
    kept.append(("content-length", str(len(decoded))))
    return kept, decoded
