"""cassetter cassettes (https://github.com/Kludex/cassetter), YAML or TOML.

Layout: ``version: 1`` and ``interactions``, each with ``request {method,
uri, headers: {name: [values]}, body}``, ``response {status, headers, body}``
and an optional ``recorded_at``. A body is ``{type, content}`` with type
``json`` (structured data, sent as compact JSON), ``text``, ``binary`` (hex)
or ``none``; the status is a bare integer (its reason phrase is not stored).
In TOML the body is flattened to ``body_type`` / ``body_content`` and JSON
content is a string. cassetter also reads vcrpy-style bodies, so they are
accepted here too. Its ``grpc_interactions`` and ``ws_interactions`` are not
HTTP and are ignored.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from harness.cassette.formats.documents import decode_text
from harness.cassette.formats.http_parts import (
    build_response,
    compact_json,
    headers_from_map,
    headers_to_map,
    reason_for,
    status_code,
)
from harness.cassette.formats.json_text import json_reason
from harness.cassette.formats.tree import Node, Source
from harness.cassette.formats.vcrpy import vcr_body
from harness.cassette.formats.yaml_output import dump_yaml
from harness.cassette.model import Cassette, Exchange, RecordedRequest
from harness.errors import CassetteError

FORMAT_VERSION = 1
BODY_TYPES = ("json", "text", "binary", "none")


def is_cassetter_body(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") in BODY_TYPES and set(value) <= {"type", "content"}


def looks_like_cassetter(root: Node) -> bool:
    """Tell cassetter from vcrpy, which share ``version: 1`` and ``interactions``."""
    interactions = root.value.get("interactions") if isinstance(root.value, dict) else None
    if not isinstance(interactions, list):
        return False
    for item in interactions:
        if not isinstance(item, dict):
            continue
        response = item.get("response")
        if isinstance(response, dict):
            status = response.get("status")
            if isinstance(status, int) and not isinstance(status, bool):
                return True
            if "body_type" in response or is_cassetter_body(response.get("body")):
                return True
    return False


def _typed_body(body_type: Node, content: Node | None) -> bytes:
    kind = body_type.string()
    if kind == "none" or content is None:
        if kind not in BODY_TYPES:
            raise body_type.error(f"unknown body type {kind!r} (expected one of {', '.join(BODY_TYPES)})")
        return b""
    if kind == "json":
        return compact_json(content.value)
    if kind == "text":
        return content.string().encode("utf-8")
    if kind == "binary":
        try:
            return bytes.fromhex(content.string())
        except ValueError:
            raise content.error("binary body is not valid hex") from None
    raise body_type.error(f"unknown body type {kind!r} (expected one of {', '.join(BODY_TYPES)})")


def _body(message: Node) -> bytes:
    parsed = message.optional("parsed_body")
    if parsed is not None:
        return compact_json(parsed.value)
    if message.has("body_type"):  # TOML layout: JSON content is kept as a JSON string
        kind, content = message.field("body_type"), message.optional("body_content")
        if kind.value == "json" and content is not None:
            return compact_json(_json_string(content))
        return _typed_body(kind, content)
    body = message.optional("body")
    if body is not None and is_cassetter_body(body.value):
        return _typed_body(body.field("type"), body.optional("content"))
    return vcr_body(body)


def _json_string(content: Node) -> Any:
    try:
        return json.loads(content.string())
    except ValueError as error:  # a JSONDecodeError, or an integer too long to convert
        too_long = "an integer too long to read"
        reason = json_reason(error) if isinstance(error, json.JSONDecodeError) else too_long
        raise content.error(f"JSON body is not valid JSON: {reason}") from None


def _status(response: Node) -> int:
    status = response.field("status")
    return status_code(status.field("code") if isinstance(status.value, dict) else status)


def from_tree(root: Node) -> Cassette:
    version = root.optional("version")
    if version is not None and version.value != FORMAT_VERSION:
        raise version.error(f"unsupported cassetter cassette version {version.value!r}")
    notes: list[str] = []
    exchanges = []
    for item in root.field("interactions").items():
        request, response = item.field("request"), item.field("response")
        status = _status(response)
        exchanges.append(
            Exchange(
                RecordedRequest(
                    request.field("method").string().upper(),
                    request.field("uri").string(),
                    headers_from_map(request.optional("headers")),
                    _body(request),
                ),
                build_response(
                    status,
                    reason_for(status),
                    headers_from_map(response.optional("headers")),
                    _body(response),
                    where=response,
                    notes=notes,
                ),
            )
        )
    metadata: dict[str, Any] = {"import_notes": notes} if notes else {}
    return Cassette(exchanges, "cassetter", metadata)


def read_toml(data: bytes, path: Path) -> Cassette:
    cassette = from_tree(Node(_parse_toml(decode_text(data, path), path), "", Source(path)))
    cassette.source_format = "cassetter-toml"
    return cassette


def _parse_toml(text: str, path: Path) -> Any:
    try:
        tomllib = importlib.import_module("tomllib")
    except ImportError:  # Python 3.10: the same parser, from PyPI (a dependency there)
        tomllib = importlib.import_module("tomli")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CassetteError(path, f"invalid TOML: {error}") from None


def _body_document(data: bytes) -> dict[str, Any]:
    if not data:
        return {"type": "none"}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {"type": "binary", "content": data.hex()}
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    # Structured only when reading it back gives the very same bytes.
    if isinstance(parsed, (dict, list)) and compact_json(parsed) == data:
        return {"type": "json", "content": parsed}
    return {"type": "text", "content": text}


def to_document(cassette: Cassette) -> dict[str, Any]:
    interactions = []
    for exchange in cassette.exchanges:
        request, response = exchange.request, exchange.response
        interactions.append(
            {
                "request": {
                    "method": request.method,
                    "uri": request.url,
                    "headers": headers_to_map(request.headers),
                    "body": _body_document(request.body),
                },
                "response": {
                    "status": response.status,
                    "headers": headers_to_map(response.headers),
                    "body": _body_document(response.content),
                },
            }
        )
    return {"version": FORMAT_VERSION, "interactions": interactions}


def write_yaml(cassette: Cassette) -> bytes:
    return dump_yaml(to_document(cassette))


def looks_like_toml_cassette(data: bytes, path: Path) -> bool:
    return path.suffix.lower() == ".toml" and b"[[interactions]]" in data
