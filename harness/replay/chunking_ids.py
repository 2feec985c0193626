"""Test ids of the parser-regression parametrization (``[chunking=byte]``).

Every chunking of one test replays the same cassette and compares against the same
snapshot, so names derived from a test id drop that part.
"""

from __future__ import annotations

import re

CHUNKING_ID_PREFIX = "chunking="


def chunking_id(chunking: str) -> str:
    return f"{CHUNKING_ID_PREFIX}{chunking}"


_PARAMETERS = re.compile(r"\[(?P<ids>[^\]]*)\]")
_CHUNKING_ID = re.compile(r"(?:^|-)chunking=[^-]+")


def without_chunking_id(name: str) -> str:
    def strip(match: re.Match[str]) -> str:
        ids = _CHUNKING_ID.sub("", match.group("ids")).lstrip("-")
        return f"[{ids}]" if ids else ""

    return _PARAMETERS.sub(strip, name)
