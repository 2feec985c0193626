"""Where a test's cassette lives: ``<dir>/cassettes/<module>/<[Class.]test[params]>.json``, or the
cassette the marker names (any format the harness reads, by name or by path)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from harness.replay.chunking_ids import chunking_of, legacy_without_chunking_id, without_chunking_id


@functools.cache
def cassette_suffix() -> str:
    """The harness format's suffix (the format registry loads only when a test plans a cassette)."""
    from harness.cassette.registry import format_named

    return format_named("harness").suffix


@functools.cache
def known_suffixes() -> frozenset[str]:
    """Names ending so are taken as they are: the cassettes other tools write (vcrpy, HAR, .sse...)."""
    from harness.cassette.registry import FORMATS

    return frozenset(suffix for entry in FORMATS for suffix in entry.suffixes)


_FORBIDDEN_IN_FILE_NAMES = "<>?%*:|\"'/\\"
_SANITIZED = str.maketrans(dict.fromkeys(_FORBIDDEN_IN_FILE_NAMES, "-"))


def sanitize(name: str) -> str:
    """Characters file systems refuse become ``-`` (two odd names may meet; unlikely enough)."""
    return name.translate(_SANITIZED)


def default_cassette_name(item: pytest.Item) -> str:
    """``[Class.]test_name[param-ids]``: one cassette per parametrized case, but one for every
    chunking of the parser regression mode."""
    return _qualified(item, without_chunking_id(item.name, chunking_of(item)))


def legacy_cassette_name(item: pytest.Item) -> str | None:
    """The default name the harness gave ``item`` before names kept a leading ``-`` of an id
    (``test_x[-1]`` was ``test_x[1]``), when it differs from :func:`default_cassette_name`."""
    legacy = _qualified(item, legacy_without_chunking_id(item.name))
    return None if legacy == default_cassette_name(item) else legacy


def _qualified(item: pytest.Item, name: str) -> str:
    test_class = getattr(item, "cls", None)
    if test_class is not None:
        name = f"{test_class.__name__}.{name}"
    return sanitize(name)


def module_cassette_dir(item: pytest.Item, cassette_dir: Path | None) -> Path:
    return _module_cassette_dir(Path(item.path), cassette_dir)


@functools.lru_cache(maxsize=1024)  # every test of a module asks for the same folder
def _module_cassette_dir(module: Path, cassette_dir: Path | None) -> Path:
    root = cassette_dir if cassette_dir is not None else module.parent / "cassettes"
    return root / module.stem


def named_cassette_candidates(item: pytest.Item, name: str, cassette_dir: Path | None) -> list[Path]:
    """Where a cassette the marker names may be, in the order looked at: the module's cassette
    folder, then beside the test module, then the rootdir (an absolute path is only itself)."""
    path = Path(name)
    if path.is_absolute():
        return [path]
    return [
        module_cassette_dir(item, cassette_dir) / path,
        Path(item.path).parent / path,
        item.config.rootpath / path,
    ]


def default_cassette_path(item: pytest.Item, file_name: str, cassette_dir: Path | None) -> Path:
    return module_cassette_dir(item, cassette_dir) / f"{file_name}{cassette_suffix()}"


def cassette_path(item: pytest.Item, name: str | None, cassette_dir: Path | None) -> Path:
    """The cassette of ``item``: its default name, or ``name`` (shared by every test that gives it;
    may hold ``/`` for a sub-folder, or be an absolute path). An existing file, or a name ending in
    a known cassette suffix (``.yaml``, ``.har``, ``.sse``...), is used as it is; any other name gets
    ``.json``. A relative name is looked for where :func:`named_cassette_candidates` says, and is
    created (recorded) in the module's cassette folder."""
    if name is None:
        return default_cassette_path(item, default_cassette_name(item), cassette_dir)
    candidates = named_cassette_candidates(item, name, cassette_dir)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    path = candidates[0]
    if path.suffix.lower() in known_suffixes():
        return path
    return path.with_name(path.name + cassette_suffix())
