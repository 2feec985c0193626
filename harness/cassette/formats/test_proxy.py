"""Azure SDK test-proxy session records (openai-dotnet, Azure SDKs for .NET, Java, Go, Python, JS).

The test proxy writes ``{"Entries": [...], "Variables": {...}}``; each entry has
``RequestUri``, ``RequestMethod``, ``RequestHeaders``, ``RequestBody``,
``StatusCode``, ``ResponseHeaders`` and ``ResponseBody``. Header values are a
string or a list of strings. A body is ``null`` (none), and for a text
content type (JSON, ``text/*``, event streams...) either a JSON value written
in place (a JSON body), a string, or a list of strings to be joined (how a
multi-line text body such as an event stream is kept, one line a chunk); for
other content types a base64 string, an empty list being an empty body.

The Java SDK's recordings from before the test proxy use another layout,
``{"networkCallRecords": [{"Method", "Uri", "Headers", "Response"}]}`` whose
``Response`` mixes ``StatusCode`` (a string), ``Body`` and the response
headers; it is read too.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from harness.cassette.formats.http_parts import (
    build_response,
    compact_json,
    headers_from_map,
    reason_for,
    status_code,
)
from harness.cassette.formats.tree import Node
from harness.cassette.model import Cassette, Exchange, Headers, RecordedRequest, header_value

TOP_KEYS = ("Entries", "networkCallRecords")
_TEXT_MARKERS = ("json", "text/", "xml", "event-stream", "javascript", "urlencoded", "html")


def looks_like_test_proxy(root: Node) -> bool:
    return any(root.has(key) for key in TOP_KEYS)


def from_tree(root: Node) -> Cassette:
    notes: list[str] = []
    if root.has("Entries"):
        exchanges = [_entry(item, notes) for item in root.field("Entries").items()]
    else:
        exchanges = [_legacy_record(item, notes) for item in root.field("networkCallRecords").items()]
    metadata: dict[str, Any] = {"import_notes": notes} if notes else {}
    return Cassette(exchanges, "test-proxy", metadata)


def _is_text(headers: Headers) -> bool:
    content_type = (header_value(headers, "content-type") or "").lower()
    return any(marker in content_type for marker in _TEXT_MARKERS) or "charset=" in content_type


def _body(node: Node | None, headers: Headers) -> bytes:
    if node is None:
        return b""
    value = node.value
    if _is_text(headers):
        if isinstance(value, list):
            return "".join(item.string() for item in node.items()).encode("utf-8")
        if isinstance(value, str):
            return value.encode("utf-8")
        return compact_json(value)
    if isinstance(value, list):
        if value:
            raise node.error("a body of this content type is kept as base64 text, not a list")
        return b""
    try:
        return base64.b64decode(node.string(), validate=True)
    except binascii.Error as error:
        raise node.error(f"invalid base64 body: {error}") from None


def _entry(entry: Node, notes: list[str]) -> Exchange:
    request_headers = headers_from_map(entry.optional("RequestHeaders"))
    response_headers = headers_from_map(entry.optional("ResponseHeaders"))
    status = status_code(entry.field("StatusCode"))
    request = RecordedRequest(
        entry.field("RequestMethod").string().upper(),
        entry.field("RequestUri").string(),
        request_headers,
        _body(entry.optional("RequestBody"), request_headers),
    )
    body = _body(entry.optional("ResponseBody"), response_headers)
    response = build_response(
        status, reason_for(status), response_headers, body, where=entry.field("StatusCode"), notes=notes
    )
    return Exchange(request, response)


def _legacy_record(record: Node, notes: list[str]) -> Exchange:
    request_headers = headers_from_map(record.optional("Headers"))
    response = record.field("Response")
    status_node = response.field("StatusCode")
    try:
        status = status_code(status_node.child("", int(status_node.scalar_text())))
    except ValueError:
        raise status_node.error(f"expected an HTTP status code, got {status_node.value!r}") from None
    response_headers = [
        (name, value.scalar_text())
        for name, value in response.entries()
        if name not in ("StatusCode", "Body")
    ]
    body_node = response.optional("Body")
    body = body_node.string().encode("utf-8") if body_node is not None else b""
    request = RecordedRequest(
        record.field("Method").string().upper(), record.field("Uri").string(), request_headers
    )
    return Exchange(
        request,
        build_response(status, reason_for(status), response_headers, body, where=response, notes=notes),
    )
