"""Writing a cassette: refuse leftover secrets, then replace the file atomically."""

from __future__ import annotations

from pathlib import Path

from harness.cassette.atomic import write_atomically
from harness.cassette.formats import native
from harness.cassette.model import Cassette
from harness.errors import SecretLeakError
from harness.scrub import ScrubRules, find_secrets


def save_cassette(cassette: Cassette, path: str | Path, *, rules: ScrubRules | None = None) -> None:
    """Write ``cassette`` to ``path`` in the harness format.

    Raises :class:`SecretLeakError` (and writes nothing) when a key-shaped
    string or an unredacted secret header is still there.
    """
    path = Path(path)
    findings = find_secrets(cassette.exchanges, rules)
    if findings:
        listed = "; ".join(str(finding) for finding in findings[:5])
        more = f" (and {len(findings) - 5} more)" if len(findings) > 5 else ""
        raise SecretLeakError(
            f"refusing to write {path}: it still holds secrets after scrubbing: {listed}{more}"
        )
    write_atomically(path, native.dumps(cassette))
