"""pytest-run-harness: record, replay, reconstruct and snapshot OpenAI Assistants run streams.

Names load on first use (PEP 562), so ``import harness`` (and the pytest plugin, and
``harness --help``) costs next to nothing until a cassette, the SDK glue or a model is needed.
"""

from __future__ import annotations

import importlib
import sys
import types

TYPE_CHECKING = False  # not typing's: importing typing would cost every start-up
if TYPE_CHECKING:
    from typing import Any

    from harness.cassette.load import load_cassette as load_cassette
    from harness.cassette.model import Cassette as Cassette
    from harness.cassette.save import save_cassette as save_cassette
    from harness.errors import (
        CassetteError as CassetteError,
    )
    from harness.errors import (
        HarnessError as HarnessError,
    )
    from harness.errors import (
        SecretLeakError as SecretLeakError,
    )
    from harness.errors import (
        UnmatchedRequestError as UnmatchedRequestError,
    )
    from harness.playback.cassette import RunCassette as RunCassette
    from harness.playback.context import use_cassette as use_cassette
    from harness.reconstruct import Transcript as Transcript
    from harness.reconstruct import reconstruct as reconstruct
    from harness.replay.faults import (
        CutAfter as CutAfter,
    )
    from harness.replay.faults import (
        DelayBefore as DelayBefore,
    )
    from harness.replay.faults import (
        DisconnectAfter as DisconnectAfter,
    )
    from harness.replay.faults import (
        HTTPError as HTTPError,
    )
    from harness.scrub import ScrubRules as ScrubRules
    from harness.sse import (
        ServerSentEvent as ServerSentEvent,
    )
    from harness.sse import (
        encode_events as encode_events,
    )
    from harness.sse import (
        parse_sse as parse_sse,
    )

_HOMES = {
    "Cassette": "harness.cassette",
    "load_cassette": "harness.cassette",
    "save_cassette": "harness.cassette",
    "CassetteError": "harness.errors",
    "HarnessError": "harness.errors",
    "SecretLeakError": "harness.errors",
    "UnmatchedRequestError": "harness.errors",
    "RunCassette": "harness.playback.cassette",
    "use_cassette": "harness.playback.context",
    "Transcript": "harness.reconstruct",
    "CutAfter": "harness.replay.faults",
    "DelayBefore": "harness.replay.faults",
    "DisconnectAfter": "harness.replay.faults",
    "HTTPError": "harness.replay.faults",
    "ScrubRules": "harness.scrub",
    "ServerSentEvent": "harness.sse",
    "encode_events": "harness.sse",
    "parse_sse": "harness.sse",
}

#: Names that are a subpackage callable as the function of the same name (``harness.reconstruct``
#: is the package, so ``import harness.reconstruct.fold`` works, and ``reconstruct(streams)`` too).
_CALLABLE_PACKAGES = frozenset({"reconstruct"})

__all__ = sorted({*_HOMES, *_CALLABLE_PACKAGES})


class _Package(types.ModuleType):
    """A lazily imported name keeps its value when the subpackage of the same home is imported (the
    import system would otherwise set the attribute to the package)."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and name in _HOMES and _HOMES[name] == value.__name__:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name in _CALLABLE_PACKAGES:
        return importlib.import_module(f"harness.{name}")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES, *_CALLABLE_PACKAGES})
