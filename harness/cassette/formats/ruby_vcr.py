"""Ruby VCR cassettes (``http_interactions``, ``recorded_with``), YAML or JSON serializer.

Ruby VCR keeps a body as ``{encoding, string}``, or as ``{encoding,
base64_string}`` when exact bytes were preserved. Methods are lower case and
``recorded_at`` is an HTTP date.
"""

from __future__ import annotations

import base64
import binascii
import codecs
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from harness.cassette.formats.http_parts import headers_to_map, vcr_style_exchange
from harness.cassette.formats.tree import Node
from harness.cassette.formats.yaml_output import dump_yaml
from harness.cassette.model import Cassette, Exchange, Headers, header_value

RECORDED_WITH = "pytest-run-harness"
EPOCH_HTTP_DATE = "Thu, 01 Jan 1970 00:00:00 GMT"
_BINARY_ENCODINGS = {"ascii-8bit", "binary"}


def ruby_body(node: Node | None) -> bytes:
    if node is None:
        return b""
    if isinstance(node.value, str):
        return node.value.encode("utf-8")
    packed = node.optional("base64_string")
    if packed is not None:
        try:
            return base64.b64decode("".join(packed.string().split()), validate=True)
        except binascii.Error as error:
            raise packed.error(f"invalid base64: {error}") from None
    text = node.optional("string")
    if text is None:
        return b""
    encoding = node.optional("encoding")
    return _encode(text.string(), encoding.string() if encoding is not None else "UTF-8")


def _encode(text: str, ruby_encoding: str) -> bytes:
    """The bytes Ruby held: its string in its own encoding (binary strings were UTF-8 text in YAML)."""
    if ruby_encoding.lower() not in _BINARY_ENCODINGS:
        try:
            return text.encode(codecs.lookup(ruby_encoding).name)
        except (LookupError, UnicodeEncodeError):
            pass
    return text.encode("utf-8")


def from_tree(root: Node) -> Cassette:
    notes: list[str] = []
    exchanges = [_exchange(item, notes) for item in root.field("http_interactions").items()]
    metadata: dict[str, Any] = {}
    recorded_with = root.optional("recorded_with")
    if recorded_with is not None:
        metadata["recorded_with"] = recorded_with.scalar_text()
    if notes:
        metadata["import_notes"] = notes
    return Cassette(exchanges, "ruby-vcr", metadata)


def _exchange(item: Node, notes: list[str]) -> Exchange:
    return vcr_style_exchange(
        item, notes, body_of=lambda part: ruby_body(part.optional("body")), message_of=Node.scalar_text
    )


def _body_document(data: bytes) -> dict[str, str]:
    try:
        return {"encoding": "UTF-8", "string": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"encoding": "ASCII-8BIT", "base64_string": base64.encodebytes(data).decode("ascii")}


def _recorded_at(headers: Headers) -> str:
    date = header_value(headers, "date")
    if date:
        try:
            return format_datetime(parsedate_to_datetime(date), usegmt=True)
        except (TypeError, ValueError):
            pass
    return EPOCH_HTTP_DATE


def to_document(cassette: Cassette) -> dict[str, Any]:
    interactions = []
    for exchange in cassette.exchanges:
        request, response = exchange.request, exchange.response
        interactions.append(
            {
                "request": {
                    "method": request.method.lower(),
                    "uri": request.url,
                    "body": _body_document(request.body),
                    "headers": headers_to_map(request.headers),
                },
                "response": {
                    "status": {"code": response.status, "message": response.reason},
                    "headers": headers_to_map(response.headers),
                    "body": _body_document(response.content),
                    "http_version": None,
                },
                "recorded_at": _recorded_at(response.headers),
            }
        )
    return {"http_interactions": interactions, "recorded_with": RECORDED_WITH}


def write_yaml(cassette: Cassette) -> bytes:
    return b"---\n" + dump_yaml(to_document(cassette))
