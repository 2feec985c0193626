"""Test ids of the parser-regression parametrization (``[chunking=byte]``).

Every chunking of one test replays the same cassette and compares against the same
snapshot, so names derived from a test id drop that id, and only it: ``test_x[-1]`` and
``test_x[1]`` keep names of their own.
"""

from __future__ import annotations

import re

CHUNKING_ID_PREFIX = "chunking="
CHUNKING_PARAMETER = "run_chunking"
_SEPARATOR = "-"  # pytest joins the ids of a test's parametrizations with it


def chunking_id(chunking: str) -> str:
    return f"{CHUNKING_ID_PREFIX}{chunking}"


def chunking_of(item: object) -> str | None:
    """The chunking a collected test instance runs under (its ``run_chunking`` parameter), if any."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    value = params.get(CHUNKING_PARAMETER)
    return None if value is None else str(value)


def without_chunking_id(name: str, chunking: str | None) -> str:
    """``name`` (``[Class.]test[ids]``) without the id ``chunking=<chunking>`` and the one ``-``
    that joined it to a neighbour; the brackets go when it was the only id. Every other id is kept
    as it is (ids may hold ``-``, start with it, or hold ``]``). The id is looked for where pytest
    puts it, bounded by the brackets or by ``-``: first at the start (the harness parametrizes
    before the test's ``parametrize`` marks), then at the end (a parametrized fixture's ids come
    after it), then between."""
    if chunking is None or not name.endswith("]"):
        return name
    opening = name.find("[")
    if opening < 0:
        return name
    base, ids = name[:opening], name[opening + 1 : -1]
    own = chunking_id(chunking)
    if ids == own:
        return base
    if ids.startswith(own + _SEPARATOR):
        return f"{base}[{ids[len(own) + 1 :]}]"
    if ids.endswith(_SEPARATOR + own):
        return f"{base}[{ids[: -len(own) - 1]}]"
    between = ids.find(_SEPARATOR + own + _SEPARATOR)
    if between >= 0:
        return f"{base}[{ids[:between]}{ids[between + len(own) + 1 :]}]"
    return name


_LEGACY_PARAMETERS = re.compile(r"\[(?P<ids>[^\]]*)\]")
_LEGACY_CHUNKING_ID = re.compile(r"(?:^|-)chunking=[^-]+")


def legacy_without_chunking_id(name: str) -> str:
    """The earlier rule, kept only to find cassettes recorded under it: it also stripped a leading
    ``-`` from the other ids (``test_x[-1]`` and ``test_x[1]`` shared one name), and kept the
    chunking id when an id held ``]``."""

    def strip(match: re.Match[str]) -> str:
        ids = _LEGACY_CHUNKING_ID.sub("", match.group("ids")).lstrip("-")
        return f"[{ids}]" if ids else ""

    return _LEGACY_PARAMETERS.sub(strip, name)
