"""Loaded by every Python process of a mutant run (``PYTHONPATH``): serve the mutant's code for one module.

The mutant never touches the working tree: the module named by ``MUTATION_MODULE`` is executed from the
code object in ``MUTATION_CODE`` (``marshal``), so subprocesses the tests start see the same mutant.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import marshal
import os
import sys
import types
from collections.abc import Sequence

_MODULE = os.environ.get("MUTATION_MODULE", "")
_CODE = os.environ.get("MUTATION_CODE", "")


class _MutantLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        with open(_CODE, "rb") as handle:
            code = marshal.load(handle)
        exec(code, module.__dict__)


class _MutantFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _MODULE:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                spec.loader = _MutantLoader()
                return spec
        return None


if _MODULE and _CODE:
    sys.meta_path.insert(0, _MutantFinder())
