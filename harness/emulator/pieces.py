"""Cutting text into the fragments a model streams (roughly one token per delta)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

# A word with its leading space, a number, a run of punctuation, or whitespace:
# close to how the captured streams cut English text and code.
_TOKEN = re.compile(r" ?[A-Za-z]+(?:'[a-z]+)?| ?\d{1,3}| ?[^\sA-Za-z\d]{1,3}|\s+|[^\x00-\x7f]")

_FILLER_WORDS = (
    " the",
    " stream",
    " keeps",
    " going",
    " with",
    " more",
    " tokens",
    " so",
    " that",
    " parsers",
    " see",
    " many",
    " small",
    " deltas",
    " arriving",
    " in",
    " order",
    ",",
    " and",
    " each",
    " one",
    " must",
    " be",
    " accumulated",
    " by",
    " index",
    ".",
)


def split_tokens(text: str) -> list[str]:
    pieces = _TOKEN.findall(text)
    if "".join(pieces) != text:  # pragma: no cover - the pattern matches every character
        raise AssertionError("tokenizer lost characters")
    return pieces


_OBFUSCATION_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_PAD_TO = 16


def obfuscation(rng: random.Random, payload: str, stream_options: Any) -> str | None:
    """The random ``obfuscation`` padding the API adds to each delta (so every event has about the
    same size), or None when the request turned it off (``stream_options.include_obfuscation``)."""
    if isinstance(stream_options, dict) and stream_options.get("include_obfuscation") is False:
        return None
    return "".join(rng.choices(_OBFUSCATION_ALPHABET, k=max(1, _PAD_TO - len(payload) % _PAD_TO)))


def argument_pieces(arguments: str) -> list[str]:
    """Tool-call arguments as streamed: token by token, at least one piece."""
    return split_tokens(arguments) or [arguments]


def filler_tokens(count: int) -> list[str]:
    """``count`` pieces of plausible English, cheap enough for 100k+ deltas."""
    if count <= 0:
        return []
    words = len(_FILLER_WORDS)
    pieces = ["Here"] + [_FILLER_WORDS[i % words] for i in range(count - 1)]
    if count > 1:
        pieces[-1] = "."
    return pieces


def chunk(text: str, sizes: Iterator[int]) -> list[str]:
    """Cut ``text`` into pieces whose lengths come from ``sizes`` (cycled by the caller)."""
    out: list[str] = []
    position = 0
    while position < len(text):
        size = max(1, next(sizes))
        out.append(text[position : position + size])
        position += size
    return out
