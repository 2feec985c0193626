"""Writing a cassette: refuse leftover secrets, then replace the file atomically.

:func:`save_cassette` writes the harness format; :func:`write_back` writes a
changed cassette over the file it was read from, in that file's format, and
first reads the new bytes back: a format that cannot hold what the cassette
holds is refused rather than written half.
"""

from __future__ import annotations

import gzip
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

from harness.cassette.atomic import write_atomically
from harness.cassette.formats import native
from harness.cassette.load import GZIP_MAGIC
from harness.cassette.model import Cassette
from harness.cassette.registry import export, format_named
from harness.cassette.secrets import KnownSecrets, SecretFinding, find_secrets
from harness.errors import HarnessError, SecretLeakError


class WriteBackError(HarnessError):
    """A cassette that cannot be written back in the format of its file; the file is left as it was."""


class _HeaderRules(Protocol):
    def header_names(self) -> frozenset[str]: ...


def save_cassette(
    cassette: Cassette,
    path: str | Path,
    *,
    rules: _HeaderRules | None = None,
    extra_headers: Iterable[str] = (),
    known: KnownSecrets | None = None,
) -> None:
    """Write ``cassette`` to ``path`` in the harness format.

    Raises :class:`SecretLeakError` (and writes nothing, leaving an old file
    as it was) when a secret by any rule of :mod:`harness.cassette.secrets`
    is still there, in an exchange or in the metadata. ``rules`` (a
    ``ScrubRules``) or ``extra_headers`` name more headers that must be
    redacted; ``known`` holds secret values learnt while recording.
    """
    path = Path(path)
    headers = set(extra_headers) | (rules.header_names() if rules is not None else set())
    findings = find_secrets(cassette.exchanges, headers, known=known, metadata=cassette.metadata)
    if findings:
        raise leak_refused(path, findings, len(findings))
    write_atomically(path, native.text_pieces(cassette))


LISTED_FINDINGS = 5  # the leftover secrets a refusal names; the rest are counted


def leak_refused(path: Path, first: Sequence[SecretFinding], total: int) -> SecretLeakError:
    """The refusal to write ``path``, naming the ``first`` leftover secrets found of ``total``."""
    listed = "; ".join(str(finding) for finding in first[:LISTED_FINDINGS])
    more = f" (and {total - LISTED_FINDINGS} more)" if total > LISTED_FINDINGS else ""
    return SecretLeakError(
        f"refusing to write {path}: it still holds secrets after scrubbing: {listed}{more}"
    )


def write_back(cassette: Cassette, path: Path) -> None:
    """Replace ``path`` with ``cassette`` in the format it was read from (``source_format``)."""
    entry = format_named(cassette.source_format)
    if entry.write is None:
        raise WriteBackError(
            f"{path}: the harness reads this {entry.name} cassette but cannot write that format back; "
            f"convert it first: harness import {path} --cassette NEW.json"
        )
    data = export(cassette, entry.name)
    compressed = _is_gzip(path)  # a ``*.yaml.gz`` cassette stays compressed
    if compressed:
        data = gzip.compress(data, mtime=0)

    def reads_back(written: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                content = written.read_bytes()
                back = entry.read(gzip.decompress(content) if compressed else content, path)
            except HarnessError as error:
                raise WriteBackError(
                    f"{path}: writing it back as {entry.name} failed ({error}); left unchanged"
                ) from None
        if back.exchanges != cassette.exchanges:
            raise WriteBackError(
                f"{path}: the {entry.name} format cannot hold everything this cassette holds; "
                f"left unchanged. Convert it first: harness import {path} --cassette NEW.json"
            )

    write_atomically(path, data, verify=reads_back)


def _is_gzip(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(2) == GZIP_MAGIC
    except OSError:
        return False
