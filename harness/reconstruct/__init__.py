"""Folding run streams into final runs, run steps and messages, with protocol diagnostics.

The package is also callable: ``harness.reconstruct(streams)`` is :func:`reconstruct`, so the
function exported as ``from harness import reconstruct`` and the package (``import
harness.reconstruct.fold``) are one object instead of two sharing a name.
"""

import sys
import types
from typing import Any

from harness.reconstruct.fold import StreamFolder, reconstruct
from harness.reconstruct.transcript import EventRecord, Transcript


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Transcript:
        return reconstruct(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage

__all__ = ["EventRecord", "StreamFolder", "Transcript", "reconstruct"]
