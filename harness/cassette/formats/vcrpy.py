"""vcrpy / pytest-recording cassettes (``version: 1``, ``interactions``), YAML or JSON serializer.

vcrpy keeps bodies as text when they are UTF-8 and as ``!!binary`` otherwise;
its JSON serializer can only hold text. pydantic-ai's serializer stores JSON
bodies structured under ``parsed_body``; those are read back as compact JSON.
"""

from __future__ import annotations

import json
from typing import Any

from harness.cassette.formats import ExportError
from harness.cassette.formats.http_parts import (
    compact_json,
    headers_to_map,
    vcr_style_exchange,
)
from harness.cassette.formats.tree import Node
from harness.cassette.formats.yaml_output import dump_yaml
from harness.cassette.model import Cassette, Exchange

FORMAT_VERSION = 1


def vcr_body(node: Node | None) -> bytes:
    """A vcrpy body: null, text, binary, or ``{string: ...}`` around one of those."""
    if node is None:
        return b""
    if isinstance(node.value, dict):
        return vcr_body(node.optional("string"))
    if isinstance(node.value, bytes):
        return node.value
    return node.string().encode("utf-8")


def _body_or_parsed(message: Node) -> bytes:
    parsed = message.optional("parsed_body")
    return compact_json(parsed.value) if parsed is not None else vcr_body(message.optional("body"))


def from_tree(root: Node) -> Cassette:
    version = root.optional("version")
    if version is not None and version.value != FORMAT_VERSION:
        raise version.error(
            f"unsupported vcrpy cassette version {version.value!r} (vcrpy writes version {FORMAT_VERSION})"
        )
    notes: list[str] = []
    exchanges = [_exchange(item, notes) for item in root.field("interactions").items()]
    metadata: dict[str, Any] = {}
    if notes:
        metadata["import_notes"] = notes
    return Cassette(exchanges, "vcrpy", metadata)


def _exchange(item: Node, notes: list[str]) -> Exchange:
    return vcr_style_exchange(item, notes, body_of=_body_or_parsed, message_of=Node.string)


def _body_value(data: bytes, *, allow_binary: bool, where: str) -> str | bytes:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if allow_binary:
            return data
        raise ExportError(
            f"{where} is binary data, which vcrpy's JSON serializer cannot hold; export as vcrpy YAML instead"
        ) from None


def to_document(cassette: Cassette, *, allow_binary: bool = True) -> dict[str, Any]:
    interactions = []
    for number, exchange in enumerate(cassette.exchanges):
        request, response = exchange.request, exchange.response
        where = f"exchange {number}"
        interactions.append(
            {
                "request": {
                    "body": _body_value(
                        request.body, allow_binary=allow_binary, where=f"{where} request body"
                    )
                    if request.body
                    else None,
                    "headers": headers_to_map(request.headers),
                    "method": request.method,
                    "uri": request.url,
                },
                "response": {
                    "body": {
                        "string": _body_value(
                            response.content, allow_binary=allow_binary, where=f"{where} response body"
                        )
                    },
                    "headers": headers_to_map(response.headers),
                    "status": {"code": response.status, "message": response.reason},
                },
            }
        )
    return {"interactions": interactions, "version": FORMAT_VERSION}


def write_yaml(cassette: Cassette) -> bytes:
    return dump_yaml(to_document(cassette))


def write_json(cassette: Cassette) -> bytes:
    return (json.dumps(to_document(cassette, allow_binary=False), indent=4) + "\n").encode("utf-8")
