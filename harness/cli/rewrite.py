"""Writing a changed cassette back over its file, in the format it was read from.

The harness writes its own format, vcrpy YAML / JSON, Ruby VCR YAML,
cassetter YAML, HAR, jsonl and raw ``.sse``. Before replacing the file the
new bytes are read back: a format that cannot hold what the cassette holds
is refused rather than written half.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from harness.cassette.export import export
from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette
from harness.cli.errors import CommandError
from harness.errors import CassetteError

_SAME_NAME = ("harness", "har", "jsonl", "sse")


def exporter_for(cassette: Cassette, path: Path) -> str:
    """The exporter that writes ``cassette`` back in the format of ``path``; CommandError if none."""
    name = cassette.source_format
    if name in _SAME_NAME:
        return name
    looks_json = path.read_bytes().lstrip()[:1] in (b"{", b"[")
    if name == "vcrpy":
        return "vcrpy-json" if looks_json else "vcrpy"
    if name in ("ruby-vcr", "cassetter") and not looks_json and path.suffix.lower() != ".toml":
        return name
    raise CommandError(
        f"{path}: the harness reads this {name} cassette but cannot write that format back; "
        f"convert it first: harness import {path} --cassette NEW.json"
    )


def write_back(cassette: Cassette, path: Path, exporter: str) -> None:
    """Replace ``path`` atomically with ``cassette`` exported by ``exporter``, keeping the file's mode."""
    data = export(cassette, exporter)
    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        _check_reads_back(cassette, Path(temporary), path, exporter)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _check_reads_back(cassette: Cassette, written: Path, path: Path, exporter: str) -> None:
    # The temporary file's name hides the format from sniffers that look at the suffix.
    probe = written.with_name(written.name + path.suffix)
    os.link(written, probe)
    try:
        back = load_cassette(probe)
    except CassetteError as error:
        raise CommandError(
            f"{path}: writing it back as {exporter} failed ({error.reason}); left unchanged"
        ) from None
    finally:
        probe.unlink()
    if back.exchanges != cassette.exchanges:
        raise CommandError(
            f"{path}: the {exporter} format cannot hold everything this cassette holds; "
            f"left unchanged. Convert it first: harness import {path} --cassette NEW.json"
        )
