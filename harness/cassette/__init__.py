"""Cassettes: recorded HTTP exchanges whose streamed bodies keep their events, chunks and timing.

Names load on first use (PEP 562): importing :mod:`harness.cassette.model` alone does not
import every format reader.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not typing's: importing typing would cost every start-up
if TYPE_CHECKING:
    from typing import Any

    from harness.cassette.load import load_cassette as load_cassette
    from harness.cassette.model import (
        Cassette as Cassette,
    )
    from harness.cassette.model import (
        Exchange as Exchange,
    )
    from harness.cassette.model import (
        RecordedRequest as RecordedRequest,
    )
    from harness.cassette.model import (
        RecordedResponse as RecordedResponse,
    )
    from harness.cassette.model import (
        RecordedStream as RecordedStream,
    )
    from harness.cassette.save import save_cassette as save_cassette

_HOMES = {
    "Cassette": "harness.cassette.model",
    "Exchange": "harness.cassette.model",
    "RecordedRequest": "harness.cassette.model",
    "RecordedResponse": "harness.cassette.model",
    "RecordedStream": "harness.cassette.model",
    "load_cassette": "harness.cassette.load",
    "save_cassette": "harness.cassette.save",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'harness.cassette' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
