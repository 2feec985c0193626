"""Bytes <-> JSON-safe values: text when the bytes are UTF-8, base64 otherwise."""

from __future__ import annotations

import base64
import binascii
from typing import Any


def body_to_json(data: bytes) -> str | dict[str, str]:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}


def body_from_json(value: Any) -> bytes:
    """Inverse of :func:`body_to_json`; raises ValueError on anything else."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, dict) and set(value) == {"base64"} and isinstance(value["base64"], str):
        try:
            return base64.b64decode(value["base64"], validate=True)
        except binascii.Error as error:
            raise ValueError(f"invalid base64: {error}") from None
    raise ValueError(f'expected a string or {{"base64": ...}}, got {type(value).__name__}')
