"""Identifiers shaped like the real API's (``run_`` + 24 alphanumerics, ``file-`` + 22, ...)."""

from __future__ import annotations

import random
import string

_ALPHANUMERIC = string.ascii_letters + string.digits
_HEX = "0123456789abcdef"

# Lengths of the random part, as seen in the captured streams.
_SUFFIX_LENGTH = {"file-": 22, "chatcmpl-": 29}
# Responses API ids (resp_, msg_, fc_, rs_, ws_) are lowercase hex (50 digits in 2026 captures).
_HEX_LENGTH = 50
_DEFAULT_SUFFIX_LENGTH = 24


class IdFactory:
    """Draws ids from its own random generator, so a seed fixes every id."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed)

    def new(self, prefix: str) -> str:
        """``prefix`` is written as the API writes it: ``run_``, ``msg_``, ``file-``..."""
        length = _SUFFIX_LENGTH.get(prefix, _DEFAULT_SUFFIX_LENGTH)
        return prefix + "".join(self._rng.choices(_ALPHANUMERIC, k=length))

    def hex(self, prefix: str, length: int = _HEX_LENGTH) -> str:
        """``resp_`` + 50 hex digits, as the Responses API writes its ids."""
        return prefix + "".join(self._rng.choices(_HEX, k=length))

    def request_id(self) -> str:
        return "req_" + "".join(self._rng.choices(_HEX, k=32))
