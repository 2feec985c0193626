"""The VCR family: JSON and YAML documents of other recorders, told apart once parsed.

vcrpy / pytest-recording, Ruby VCR and cassetter write YAML (vcrpy and Ruby VCR
also JSON); a HAR file and an Azure test-proxy session record are JSON too.
Which layout a document has shows only in its keys, bodies and statuses
(vcrpy and cassetter share ``version: 1`` + ``interactions``), so a document
is parsed once and then handed to the layout it matches; the cassette comes
back named by its precise registry key (``vcrpy`` or ``vcrpy-json``,
``cassetter``...).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from harness.cassette.formats import cassetter, har, ruby_vcr, test_proxy, vcrpy
from harness.cassette.formats.documents import decode_text, document_reader
from harness.cassette.formats.json_stream import JsonText
from harness.cassette.formats.tree import Node, Source, child_path
from harness.cassette.model import Cassette, ExchangeReading, collected, handed_over

SNIFF_BYTES = 64 * 1024
_JSON_TOP_KEY = re.compile(rb'"(?:log|interactions|http_interactions|Entries|networkCallRecords)"\s*:')
_YAML_TOP_KEY = re.compile(rb"^(?:http_)?interactions[ \t]*:", re.MULTILINE)


def looks_like_json_document(head: bytes, path: Path) -> bool:
    head = head[:SNIFF_BYTES]
    return head.lstrip()[:1] == b"{" and (
        path.suffix.lower() == ".har" or _JSON_TOP_KEY.search(head) is not None
    )


def looks_like_yaml_document(head: bytes, path: Path) -> bool:
    head = head[:SNIFF_BYTES]
    return head.lstrip()[:1] not in (b"{", b"[") and _YAML_TOP_KEY.search(head) is not None


def from_tree(root: Node, *, serialization: str) -> Cassette:
    """The cassette a parsed document holds; ``serialization`` (``json``/``yaml``) names the file's."""
    if serialization == "json" and root.has("log"):
        return har.from_tree(root)
    if serialization == "json" and test_proxy.looks_like_test_proxy(root):
        return test_proxy.from_tree(root)
    if root.has("http_interactions"):
        cassette = ruby_vcr.from_tree(root)
    elif not root.has("interactions"):
        raise root.error(
            "not a cassette: expected a top-level 'interactions' (vcrpy, cassetter), "
            "'http_interactions' (Ruby VCR), 'log' (HAR) or 'Entries' (Azure test proxy) key"
        )
    elif cassetter.looks_like_cassetter(root):
        cassette = cassetter.from_tree(root)
    else:
        cassette = vcrpy.from_tree(root)
    if serialization != "yaml":
        cassette.source_format = f"{cassette.source_format}-{serialization}"
    return cassette


def read_json_document(data: bytes, path: Path | None) -> Cassette:
    """A JSON document read a top-level value at a time (:func:`iter_json_document`), its exchanges
    gathered into the cassette.

    Called with the only reference to the bytes, it lets them go once decoded (see
    :func:`~harness.cassette.formats.documents.document_reader`)."""
    owned = [data]
    del data
    return collected(iter_json_document(owned.pop(), path))


def iter_json_document(data: bytes, path: Path | None) -> ExchangeReading:
    """The exchanges of a JSON document, handed over as read, then (returned) the cassette without
    them: a HAR's ``log`` is read entry by entry (:func:`har.read_log`: each exchange handed over
    as its entry is parsed), any other document is parsed whole and handed to :func:`from_tree`.

    Every error is raised where reading the whole document first would raise it, after the
    exchanges read before it were handed over: a caller shows nothing until the generator ends."""
    document = JsonText(decode_text(data, path), path)
    del data
    source = Source(path)
    if document.peek() != "{":
        root = Node(document.value(""), "", source)
        document.end()
        return (yield from handed_over(from_tree(root, serialization="json")))
    top: dict[str, Any] = {}
    har_log: har.Finish | None = None
    for key in document.members():
        if key == "log" and har_log is None and document.peek() == "{":
            har_log = yield from har.read_log(document, source)
        else:
            top[key] = document.value(child_path("", key))
    document.end()
    del document
    if har_log is not None:
        return (yield from har_log())
    return (yield from handed_over(from_tree(Node(top, "", source), serialization="json")))


read_yaml_document = document_reader(functools.partial(from_tree, serialization="yaml"), yaml=True)
