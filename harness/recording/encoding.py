"""Undoing a ``Content-Encoding`` before a body is scrubbed and stored.

A compressed body is binary to the scrubber, so a key inside it would be
stored unseen; the cassette keeps the decoded bytes (what was checked is what
is on disk) and drops the encoding header, so a replay serves them plain.
"""

from __future__ import annotations

import zlib

from harness.cassette.model import Headers, RecordedStream

_GZIP_OR_ZLIB = 47  # zlib's wbits: detect a gzip or zlib header
_RAW_DEFLATE = -15


def content_encodings(headers: Headers) -> list[str]:
    return [
        part.strip().lower()
        for name, value in headers
        if name.lower() == "content-encoding"
        for part in value.split(",")
        if part.strip().lower() not in ("", "identity")
    ]


def _decompressor(encoding: str) -> zlib._Decompress | None:
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(_GZIP_OR_ZLIB)
    return None


def _plain_headers(headers: Headers, length: int | None) -> Headers:
    kept = [
        (name, value) for name, value in headers if name.lower() not in ("content-encoding", "content-length")
    ]
    if length is not None:
        kept.append(("content-length", str(length)))
    return kept


def decoded_chunks(headers: Headers, chunks: list[bytes]) -> list[bytes] | None:
    """The chunks decompressed one by one (each decoded chunk is what its compressed chunk held),
    or None when the encoding is not gzip/deflate or the bytes do not decode."""
    encodings = content_encodings(headers)
    if len(encodings) != 1:
        return None
    decompressor = _decompressor(encodings[0])
    if decompressor is None:
        return None
    try:
        decoded = [decompressor.decompress(chunk) for chunk in chunks]
        if decoded:
            decoded[-1] += decompressor.flush()
    except zlib.error:
        if encodings[0] != "deflate":
            return None
        raw = zlib.decompressobj(_RAW_DEFLATE)  # servers that send deflate without the zlib header
        try:
            decoded = [raw.decompress(chunk) for chunk in chunks]
        except zlib.error:
            return None
    return decoded


def decoded_stream(headers: Headers, stream: RecordedStream) -> tuple[Headers, RecordedStream]:
    """A compressed event stream decoded, keeping when each piece arrived; headers without the encoding."""
    if not content_encodings(headers):
        return headers, stream
    decoded = decoded_chunks(headers, stream.chunks())
    if decoded is None:
        return headers, stream
    times = [time for time, chunk in zip(stream.chunk_times, decoded, strict=True) if chunk]
    plain = RecordedStream.from_chunks([chunk for chunk in decoded if chunk], times, cut=stream.cut)
    return _plain_headers(headers, None), plain


def decoded_content(headers: Headers, body: bytes) -> tuple[Headers, bytes]:
    """A whole compressed body decoded (gzip or deflate), the headers without the encoding."""
    if not body or not content_encodings(headers):
        return headers, body
    decoded = decoded_chunks(headers, [body])
    if decoded is None:
        return headers, body
    return _plain_headers(headers, len(decoded[0])), decoded[0]
