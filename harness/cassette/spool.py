"""Writing a harness cassette an exchange at a time, for a reader that hands them over one by one.

:class:`CassetteSpool` checks each exchange for leftover secrets (by the rules
:func:`~harness.cassette.save.save_cassette` checks them) and writes its text
to an anonymous temporary file as :func:`~harness.cassette.formats.native.text_pieces`
would, then lets it go; :meth:`CassetteSpool.save` writes the cassette, the
metadata at its head (known only once the file read ends), through
:func:`~harness.cassette.atomic.write_atomically`: the file written is
byte-identical to ``save_cassette``'s, and refused in the same words when a
secret is left. A cassette of many exchanges is never held whole, nor its text.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

from harness.cassette.atomic import write_atomically
from harness.cassette.formats import native
from harness.cassette.model import Exchange
from harness.cassette.save import LISTED_FINDINGS, leak_refused
from harness.cassette.secrets import KnownSecrets, SecretFinding, find_secrets

_READ_BYTES = 64 * 1024


class CassetteSpool:
    """The exchanges added so far, as text in a temporary file, and the leftover secrets in them.

    :meth:`checkpoint` keeps what was added; :meth:`rollback` takes back what was added since (a
    file read that turns out not to be imported); :meth:`clear` starts a new cassette."""

    def __init__(self, extra_headers: Iterable[str] = (), *, known: KnownSecrets | None = None) -> None:
        self._headers = frozenset(extra_headers)
        self._known = known
        # unnamed where the system allows it: a process killed while writing leaves nothing behind
        self._file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by close())
        self.count = 0
        self._findings: list[SecretFinding] = []  # the first few found
        self._found = 0  # how many were found
        self._kept = (0, 0, 0, 0)  # position, count, listed, found at the last checkpoint

    def add(self, exchange: Exchange) -> None:
        """Check ``exchange`` for secrets and write its text; the spool keeps no reference to it."""
        self.add_all([exchange])

    def add_all(self, exchanges: Sequence[Exchange]) -> None:
        """:meth:`add` each of ``exchanges``: all checked, then all written (a batch at a time costs
        a third less than an exchange at a time, each step's code staying warm)."""
        found = find_secrets(exchanges, self._headers, known=self._known)
        self._found += len(found)
        room = LISTED_FINDINGS - len(self._findings)
        self._findings.extend(
            replace(finding, exchange=self.count + (finding.exchange or 0)) for finding in found[:room]
        )
        write = self._file.write
        for exchange in exchanges:
            for piece in native.exchange_pieces(exchange, self.count):  # a long stream's text never whole
                write(piece.encode("utf-8"))
            self.count += 1

    def checkpoint(self) -> None:
        self._kept = (self._file.tell(), self.count, len(self._findings), self._found)

    def rollback(self) -> None:
        position, self.count, listed, self._found = self._kept
        del self._findings[listed:]
        self._file.seek(position)
        self._file.truncate()

    def clear(self) -> None:
        self._kept = (0, 0, 0, 0)
        self.rollback()

    def save(self, path: str | Path, metadata: dict[str, Any]) -> None:
        """Write the cassette of the exchanges added, with ``metadata``, to ``path`` atomically.

        Raises :class:`~harness.errors.SecretLeakError` (writing nothing, an old file left as it
        was) when a secret is left in the metadata or an exchange, naming them as
        ``save_cassette`` does."""
        path = Path(path)
        ahead = find_secrets([], self._headers, known=self._known, metadata=metadata)
        if ahead or self._found:
            raise leak_refused(path, [*ahead, *self._findings], len(ahead) + self._found)
        write_atomically(path, self._pieces(metadata))

    def _pieces(self, metadata: dict[str, Any]) -> Iterator[str]:
        yield native.head_text(metadata)
        self._file.flush()
        self._file.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()  # a read may end inside a character
        while block := self._file.read(_READ_BYTES):
            yield decoder.decode(block)
        yield decoder.decode(b"", final=True)
        yield native.tail_text(self.count)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> CassetteSpool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
