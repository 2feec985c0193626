"""JSON cassettes of other tools: HAR, vcrpy's JSON serializer, Ruby VCR's JSON serializer."""

from __future__ import annotations

import re
from pathlib import Path

from harness.cassette.formats import har, yaml_cassettes
from harness.cassette.formats.documents import load_json
from harness.cassette.model import Cassette

_TOP_KEY = re.compile(rb'"(?:log|interactions|http_interactions)"\s*:')
SNIFF_BYTES = 64 * 1024


def looks_like_json_cassette(data: bytes, path: Path) -> bool:
    head = data[:SNIFF_BYTES]
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{" and (
        path.suffix.lower() == ".har" or _TOP_KEY.search(head) is not None
    )


def read(data: bytes, path: Path) -> Cassette:
    root = load_json(data, path)
    if root.has("log"):
        return har.from_tree(root)
    # The same layouts as the YAML serializers produce, JSON being a subset of YAML.
    return yaml_cassettes.from_tree(root)
