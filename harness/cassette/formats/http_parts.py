"""Pieces every foreign format shares: header maps, status reasons, and turning bodies into streams.

Compressed event streams: a recorder that kept the wire bytes (vcrpy without
``decode_compressed_response``) stores a gzip/deflate body and its
``content-encoding`` header. Events cannot be cut out of compressed bytes, so
such a stream is decompressed, ``content-encoding`` / ``content-length`` are
dropped (they described the compressed bytes), and a note saying so goes into
``Cassette.metadata["import_notes"]``. Bodies that are not event streams are
kept exactly as recorded, headers included.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from harness.cassette.bodies import body_from_json
from harness.cassette.formats.tree import Node
from harness.cassette.model import (
    Exchange,
    HeaderPairs,
    Headers,
    RecordedRequest,
    RecordedResponse,
    RecordedStream,
    header_value,
    is_event_stream,
)
from harness.sse.framing import starts_like_event_stream

MAX_DECOMPRESSED_BYTES = 512 * 1024**2
_ZLIB_WINDOW = {"gzip": 31, "x-gzip": 31, "deflate": 15}


def reason_for(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def status_code(node: Node) -> int:
    code = node.integer()
    if not 100 <= code <= 599:
        raise node.error(f"HTTP status {code} is out of range")
    return code


def chunk_lists(stream: Node, times_key: str, *, per_second: float = 1.0) -> tuple[list[int], list[float]]:
    """A stream's recorded chunk sizes and arrival times (seconds), each absent list empty."""
    sizes = _non_negative_numbers(stream.optional("chunk_sizes"), int)
    times = _non_negative_numbers(stream.optional(times_key), (int, float))
    return sizes, _seconds(times, per_second)


def plain_chunk_lists(
    stream: dict[str, Any], times_key: str, *, per_second: float = 1.0
) -> tuple[list[int], list[float]] | None:
    """:func:`chunk_lists` of a stream's mapping when both lists are plain (absent, or lists of
    non-negative numbers); None otherwise, for :func:`chunk_lists` to name the bad entry."""
    sizes, times = stream.get("chunk_sizes"), stream.get(times_key)  # null: absent, as optional() says
    sizes = [] if sizes is None else plain_numbers(sizes, int)
    times = [] if times is None else plain_numbers(times, (int, float))
    if sizes is None or times is None:
        return None
    return sizes, _seconds(times, per_second)


def _seconds(times: list[Any], per_second: float) -> list[float]:
    return [moment / per_second for moment in times]


def plain_numbers(values: Any, kind: type | tuple[type, ...]) -> list[Any] | None:
    """``values`` when it is a list of non-negative numbers of ``kind`` (exact types: a bool is not
    a number here); None otherwise."""
    plain = (int,) if kind is int else (int, float)
    if type(values) is list and all(type(value) in plain and value >= 0 for value in values):
        return values
    return None


def _non_negative_numbers(node: Node | None, kind: type | tuple[type, ...]) -> list[Any]:
    if node is None:
        return []
    values = plain_numbers(node.value, kind)
    if values is not None:
        return values
    numbers: list[float] = []
    for item in node.items():  # name the first bad entry
        number = item.integer() if kind is int else item.number()
        if not number >= 0:
            raise item.error(f"expected a non-negative number, got {number!r}")
        numbers.append(number)
    return numbers


def header_pairs(node: Node | None) -> Headers:
    """``[[name, value], ...]``, the harness's own header layout."""
    if node is None:
        return []
    plain = plain_header_pairs(node.value)
    if plain is not None:  # the usual case, in one pass
        return plain
    headers: Headers = []
    for pair in node.items():
        if not (
            isinstance(pair.value, list)
            and len(pair.value) == 2
            and all(isinstance(part, str) for part in pair.value)
        ):
            raise pair.error("expected a [name, value] pair of strings")
        headers.append((pair.value[0], pair.value[1]))
    return headers


def plain_header_pairs(pairs: Any) -> Headers | None:
    """The headers of a ``[[name, value], ...]`` list of strings; None for anything else, for
    :func:`header_pairs` to name the bad pair."""
    if type(pairs) is list and all(
        type(pair) is list and len(pair) == 2 and type(pair[0]) is str and type(pair[1]) is str
        for pair in pairs
    ):
        return [(name, value) for name, value in pairs]
    return None


def json_body(node: Node | None) -> bytes:
    """A body as the harness's formats write it: text, or ``{"base64": ...}``."""
    if node is None:
        return b""
    try:
        return body_from_json(node.value)
    except ValueError as error:
        raise node.error(str(error)) from None


def headers_from_map(node: Node | None) -> Headers:
    """``{name: [values]}`` (or ``{name: value}``) in file order, one pair per value."""
    if node is None:
        return []
    headers: Headers = []
    for name, values in node.entries():
        if values.value is None:
            continue
        items = values.items() if isinstance(values.value, list) else [values]
        headers.extend((name, item.scalar_text()) for item in items)
    return headers


def headers_to_map(headers: Headers) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in headers:
        grouped.setdefault(name, []).append(value)
    return grouped


def compact_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def looks_like_event_stream(headers: HeaderPairs, body: bytes) -> bool:
    """The content-type says so, or there is none and the body reads as SSE."""
    if header_value(headers, "content-type") is None:
        return starts_like_event_stream(body)
    return is_event_stream(headers)


def build_response(
    status: int, reason: str, headers: HeaderPairs, body: bytes, *, where: Node, notes: list[str]
) -> RecordedResponse:
    """A response whose event-stream body becomes a :class:`RecordedStream` (decoded if compressed)."""
    if not looks_like_event_stream(headers, body):
        return RecordedResponse(status, reason, headers, body)
    encoding = (header_value(headers, "content-encoding") or "identity").strip().lower()
    if encoding not in ("identity", ""):
        body = _decompress(body, encoding, where)
        headers = [
            (name, value)
            for name, value in headers
            if name.lower() not in ("content-encoding", "content-length")
        ]
        notes.append(
            f"{where.where}: {encoding}-compressed event stream decoded; "
            "content-encoding and content-length headers dropped"
        )
    return RecordedResponse(status, reason, headers, stream=RecordedStream.from_body(body))


def _decompress(body: bytes, encoding: str, where: Node) -> bytes:
    if encoding not in _ZLIB_WINDOW:
        raise where.error(
            f"cannot decode a {encoding!r}-compressed event stream (gzip and deflate are supported)"
        )
    windows = [_ZLIB_WINDOW[encoding]] + ([-15] if encoding == "deflate" else [])
    for window in windows:
        decoder = zlib.decompressobj(window)
        try:
            decoded = decoder.decompress(body, MAX_DECOMPRESSED_BYTES)
        except zlib.error:
            continue
        if decoder.unconsumed_tail:
            raise where.error(f"event stream decompresses to more than {MAX_DECOMPRESSED_BYTES} bytes")
        return decoded
    raise where.error(f"body is not valid {encoding} data although content-encoding says so")


def vcr_style_exchange(
    item: Node, notes: list[str], *, body_of: Callable[[Node], bytes], message_of: Callable[[Node], str]
) -> Exchange:
    """One ``{request: {method, uri, headers, body}, response: {status: {code, message}, ...}}`` item,
    the layout vcrpy and Ruby VCR share; ``body_of`` reads a request or response body their way."""
    request, response = item.field("request"), item.field("response")
    recorded_request = RecordedRequest(
        request.field("method").string().upper(),
        request.field("uri").string(),
        headers_from_map(request.optional("headers")),
        body_of(request),
    )
    status = response.field("status")
    message = status.optional("message")
    recorded_response = build_response(
        status_code(status.field("code")),
        message_of(message) if message is not None else "",
        headers_from_map(response.optional("headers")),
        body_of(response),
        where=response,
        notes=notes,
    )
    return Exchange(recorded_request, recorded_response)
