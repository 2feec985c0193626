"""Every module of the package imports on its own, in a fresh interpreter: no import cycle that only
works in one order, no module that fails to import (an ImportError waiting for the first user)."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import harness

PACKAGE_DIR = Path(harness.__file__).resolve().parent
# Run as scripts by their tools rather than imported: a __main__ needs its package's argv.
SKIPPED = frozenset({"harness.cli.__main__"})


def all_modules() -> list[str]:
    names = ["harness"]
    for module in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="harness."):
        names.append(module.name)
    return sorted(name for name in names if name not in SKIPPED)


# Each module is imported in a child forked from one interpreter that has loaded only third-party
# libraries: no harness module is loaded before the one tested, so an order-dependent cycle shows,
# and the test costs seconds instead of a fresh interpreter per module.
_PROBE = """
import importlib, os, sys, traceback
for library in ("pydantic", "httpx", "yaml", "vcr", "syrupy", "pytest", "openai"):
    try:
        importlib.import_module(library)
    except ImportError:
        pass
assert not [name for name in sys.modules if name == "harness" or name.startswith("harness.")]
failed = []
for name in sys.argv[1:]:
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reader)
        try:
            importlib.import_module(name)
            code = 0
        except BaseException:
            os.write(writer, traceback.format_exc().strip().splitlines()[-1].encode())
            code = 1
        os._exit(code)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        message = pipe.read().decode()
    _, status = os.waitpid(child, 0)
    if status:
        failed.append(f"{name}: {message or status}")
print("\\n".join(failed))
"""


def test_the_package_has_many_modules() -> None:
    modules = all_modules()
    assert "harness.protocols.assistants" in modules and "harness.reconstruct.fold" in modules
    assert len(modules) > 100


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the probe forks one child per module")
def test_every_module_imports_alone_in_a_fresh_interpreter() -> None:
    modules = all_modules()
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *modules], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", done.stdout


def test_the_reconstruct_package_and_function_share_no_name() -> None:
    probe = (
        "import harness.reconstruct.fold as fold\n"
        "from harness import reconstruct\n"
        "import harness\n"
        "assert harness.reconstruct is reconstruct\n"
        "assert reconstruct([]).diagnostic_codes() == ['empty-stream']\n"
        "assert fold.reconstruct([]).diagnostic_codes() == ['empty-stream']\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
