"""The harness that made a bundle, as a wheel inside it: a fresh machine installs exactly that.

The package is not on a public registry, so ``pip install pytest-run-harness==X`` cannot work
there. The wheel is packed from the running harness (its ``harness/`` files and its installed
metadata), so it is the code the bundle was made with, editable checkout or not.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from importlib import metadata
from pathlib import Path

from harness.bundle.versions import HARNESS_DISTRIBUTION

_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same harness gives the same wheel
_WHEEL_FILE = "Wheel-Version: 1.0\nGenerator: harness bundle\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def wheel_name(version: str) -> str:
    return f"{HARNESS_DISTRIBUTION.replace('-', '_')}-{version}-py3-none-any.whl"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _package_files() -> list[tuple[str, bytes]]:
    files = []
    for path in sorted(_PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files.append((path.relative_to(_PACKAGE_DIR.parent).as_posix(), path.read_bytes()))
    return files


def harness_wheel() -> tuple[str, bytes] | None:
    """(file name, bytes) of a wheel of the running harness; None when its metadata is not installed."""
    try:
        distribution = metadata.distribution(HARNESS_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None
    version = distribution.version
    info = f"{HARNESS_DISTRIBUTION.replace('-', '_')}-{version}.dist-info"
    files = _package_files()
    files.append((f"{info}/METADATA", (distribution.read_text("METADATA") or "").encode()))
    entry_points = distribution.read_text("entry_points.txt")
    if entry_points:
        files.append((f"{info}/entry_points.txt", entry_points.encode()))
    files.append((f"{info}/WHEEL", _WHEEL_FILE.encode()))
    record = [_record_line(name, data) for name, data in files] + [f"{info}/RECORD,,"]
    files.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return wheel_name(version), packed.getvalue()
