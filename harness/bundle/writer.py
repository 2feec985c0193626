"""Writing a bundle's files: into a new directory, or into a ``.zip`` whose one folder holds them."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from harness.cassette.atomic import OutputPathError, check_output_path, write_atomically
from harness.errors import HarnessError


class BundleLocationError(HarnessError):
    """The output location cannot take a bundle."""


def is_zip(output: Path) -> bool:
    return output.suffix.lower() == ".zip"


def check_location(output: Path) -> None:
    """Raise :class:`BundleLocationError` unless a bundle can be written at ``output``."""
    if is_zip(output):
        try:
            check_output_path(output)
        except OutputPathError as error:
            raise BundleLocationError(str(error)) from None
        return
    parent = output.parent
    if not parent.is_dir():
        raise BundleLocationError(f"{output}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise BundleLocationError(f"{output}: the directory {parent} is not writable")
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
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
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"{folder}/{name}", data)
    write_atomically(output, packed.getvalue())
