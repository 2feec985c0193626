"""Replacing volatile values inside JSON-like data (dicts, lists, scalars) by placeholders."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness.snapshot.placeholders import MASKED, Placeholder, Placeholders, is_masked, is_timestamp


def timestamps_in(value: Any, key: object = None) -> Iterator[float]:
    """Every Unix timestamp under a timestamp key, anywhere in ``value``."""
    if isinstance(value, dict):
        for child_key, child in value.items():
            yield from timestamps_in(child, child_key)
    elif isinstance(value, list | tuple):
        for child in value:
            yield from timestamps_in(child)
    elif is_timestamp(key, value):
        yield value


def normalize(value: Any, placeholders: Placeholders, key: object = None) -> Any:
    """A copy of ``value`` with ids and timestamps replaced (dict key order kept)."""
    if isinstance(value, dict):
        return {child_key: normalize(child, placeholders, child_key) for child_key, child in value.items()}
    if isinstance(value, list | tuple):
        return [normalize(child, placeholders) for child in value]
    if is_masked(key, value):
        return Placeholder(MASKED)
    if isinstance(value, str):
        return placeholders.text(value)
    if is_timestamp(key, value):
        return placeholders.timestamp(value)
    return value
