"""The package's layout holds: every module imports on its own (no cycle, no ImportError), and a
lower layer never imports a higher one at import time (the map is in the README's architecture
section). Imports inside functions are the way a lower layer defers to a view or an
implementation above it (the protocol layer's fold, a model built for a view) and are not counted."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "harness"

# Lowest first. A module may import its own layer and those below, never one above.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "sse", "http"}),
    # protocols: the vocabulary models and cassettes ask; their folds and views load lazily
    frozenset({"cassette", "models", "diagnostics", "protocols"}),
    # conversation: each protocol reads its cassettes into the neutral view (StreamProtocol.conversation)
    frozenset({"reconstruct", "scrub_fragments", "matching", "validation", "conversation"}),
    frozenset({"scrub", "replay", "options", "recording", "emulator"}),
    frozenset({"snapshot", "shrink", "bundle", "playback", "serve"}),
    frozenset({"pytest_plugin", "cli", "__init__"}),
)
# Known upward imports (module prefix, imported part), each waiting for a move by its owner.
KNOWN_EXCEPTIONS: frozenset[tuple[str, str]] = frozenset()


def _known(module: str, top: str) -> bool:
    return any(module.startswith(prefix) and top == part for prefix, part in KNOWN_EXCEPTIONS)


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _layer(module: str) -> int | None:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    return next((number for number, layer in enumerate(LAYERS) if top in layer), None)


def _imports(module: str) -> set[str]:
    path = PACKAGE.parent.joinpath(*module.split("."))
    source = (path / "__init__.py") if path.is_dir() else path.with_suffix(".py")
    found: set[str] = set()
    for node in _import_time_nodes(ast.parse(source.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "harness":
                found |= {f"harness.{alias.name}" for alias in node.names}
            else:
                found.add(node.module)
    return {name for name in found if name.startswith("harness.")}


def _import_time_nodes(statements: list[ast.stmt]) -> list[ast.stmt]:
    """The statements that run when the module is imported (not function bodies, not TYPE_CHECKING)."""
    nodes: list[ast.stmt] = []
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if isinstance(statement, ast.If) and "TYPE_CHECKING" in ast.unparse(statement.test):
            nodes.extend(_import_time_nodes(statement.orelse))
            continue
        nodes.append(statement)
        for field in ("body", "orelse", "finalbody", "handlers"):
            children = getattr(statement, field, None)
            if isinstance(children, list):
                nodes.extend(_import_time_nodes([child for child in children if isinstance(child, ast.stmt)]))
            for handler in children or []:
                if isinstance(handler, ast.ExceptHandler):
                    nodes.extend(_import_time_nodes(handler.body))
    return nodes


def test_every_top_level_part_of_the_package_has_a_layer() -> None:
    assert [module for module in _modules() if _layer(module) is None] == []


def test_no_lower_layer_imports_a_higher_one() -> None:
    upward = []
    for module in _modules():
        own = _layer(module)
        for imported in sorted(_imports(module)):
            target = _layer(imported)
            top = imported.split(".")[1]
            if own is not None and target is not None and target > own and not _known(module, top):
                upward.append(f"{module} -> {imported}")
    assert upward == []


IMPORT_EACH = """
import importlib, sys, traceback
failed = []
for name in sys.argv[1:]:
    for loaded in [key for key in sys.modules if key == "harness" or key.startswith("harness.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:
        failed.append(name + ": " + traceback.format_exc().strip().splitlines()[-1])
print("\\n".join(failed))
"""


def test_every_module_imports_on_its_own() -> None:
    """Each module imported first, in a process where no other harness module is loaded yet."""
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH, *[name for name in _modules() if not name.endswith(".__main__")]],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
