"""Writing a cassette: refuse leftover secrets, then replace the file atomically."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from harness.cassette.atomic import write_atomically
from harness.cassette.formats import native
from harness.cassette.model import Cassette
from harness.cassette.secrets import KnownSecrets, find_secrets
from harness.errors import SecretLeakError


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
        listed = "; ".join(str(finding) for finding in findings[:5])
        more = f" (and {len(findings) - 5} more)" if len(findings) > 5 else ""
        raise SecretLeakError(
            f"refusing to write {path}: it still holds secrets after scrubbing: {listed}{more}"
        )
    write_atomically(path, native.dumps(cassette))
