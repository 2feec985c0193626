"""YAML cassettes of other recorders: Ruby VCR, vcrpy / pytest-recording and cassetter.

vcrpy and cassetter share ``version: 1`` + ``interactions``; which one a file
is shows only in its bodies and statuses, so the document is parsed once and
then handed to the format it matches.
"""

from __future__ import annotations

import re
from pathlib import Path

from harness.cassette.formats import cassetter, ruby_vcr, vcrpy
from harness.cassette.formats.documents import load_yaml
from harness.cassette.formats.tree import Node
from harness.cassette.model import Cassette

_TOP_KEY = re.compile(rb"^(?:http_)?interactions[ \t]*:", re.MULTILINE)
SNIFF_BYTES = 64 * 1024


def looks_like_yaml_cassette(data: bytes, path: Path) -> bool:
    head = data[:SNIFF_BYTES]
    return head.lstrip()[:1] not in (b"{", b"[") and _TOP_KEY.search(head) is not None


def from_tree(root: Node) -> Cassette:
    if root.has("http_interactions"):
        return ruby_vcr.from_tree(root)
    if not root.has("interactions"):
        raise root.error(
            "not a cassette: expected a top-level 'interactions' (vcrpy, cassetter) "
            "or 'http_interactions' (Ruby VCR) key"
        )
    if cassetter.looks_like_cassetter(root):
        return cassetter.from_tree(root)
    return vcrpy.from_tree(root)


def read(data: bytes, path: Path) -> Cassette:
    return from_tree(load_yaml(data, path))
