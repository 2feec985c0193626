"""Writing a bundle's files: into a new directory, or into a ``.zip`` whose one folder holds them."""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

from harness.errors import HarnessError


class BundleLocationError(HarnessError):
    """The output location cannot take a bundle."""


def is_zip(output: Path) -> bool:
    return output.suffix.lower() == ".zip"


def check_location(output: Path) -> None:
    """Raise :class:`BundleLocationError` unless a bundle can be written at ``output``."""
    parent = output.parent
    if not parent.is_dir():
        raise BundleLocationError(f"{output}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise BundleLocationError(f"{output}: the directory {parent} is not writable")
    if is_zip(output):
        if output.is_dir():
            raise BundleLocationError(f"{output} is a directory; a .zip output must be a file")
    elif output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise BundleLocationError(f"{output} already exists and is not an empty directory")


def write_bundle(output: Path, files: dict[str, bytes]) -> None:
    check_location(output)
    if is_zip(output):
        _write_zip(output, files)
        return
    output.mkdir(exist_ok=True)
    for name, data in files.items():
        (output / name).write_bytes(data)


def _write_zip(output: Path, files: dict[str, bytes]) -> None:
    folder = output.stem
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(f"{folder}/{name}", data)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
