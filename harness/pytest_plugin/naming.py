"""Where a test's cassette lives: ``<dir>/cassettes/<module>/<[Class.]test[params]>.json``."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.snapshot.chunking_ids import without_chunking_id

CASSETTE_SUFFIX = ".json"
_FORBIDDEN_IN_FILE_NAMES = "<>?%*:|\"'/\\"


def sanitize(name: str) -> str:
    """Characters file systems refuse become ``-`` (two odd names may meet; unlikely enough)."""
    return "".join("-" if char in _FORBIDDEN_IN_FILE_NAMES else char for char in name)


def default_cassette_name(item: pytest.Item) -> str:
    """``[Class.]test_name[param-ids]``: one cassette per parametrized case, but one for every
    chunking of the parser regression mode."""
    name = without_chunking_id(item.name)
    test_class = getattr(item, "cls", None)
    if test_class is not None:
        name = f"{test_class.__name__}.{name}"
    return sanitize(name)


def module_cassette_dir(item: pytest.Item, cassette_dir: Path | None) -> Path:
    module = Path(item.path)
    root = cassette_dir if cassette_dir is not None else module.parent / "cassettes"
    return root / module.stem


def cassette_path(item: pytest.Item, name: str | None, cassette_dir: Path | None) -> Path:
    """The cassette of ``item``: its default name, or ``name`` (shared by every test that gives it;
    may hold ``/`` for a sub-folder, or be an absolute path)."""
    if name is None:
        file_name = default_cassette_name(item)
        return module_cassette_dir(item, cassette_dir) / f"{file_name}{CASSETTE_SUFFIX}"
    path = Path(name)
    if path.suffix != CASSETTE_SUFFIX:
        path = path.with_name(path.name + CASSETTE_SUFFIX)
    return path if path.is_absolute() else module_cassette_dir(item, cassette_dir) / path
