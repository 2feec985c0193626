"""A cross-process lock per cassette, held from loading to saving while a test may record.

Two xdist workers recording the same shared cassette would otherwise each load it, record
their part and save: the last writer would win and the other's exchanges would be lost
(never a corrupt file: saves are atomic). With the lock the second worker waits, then loads
what the first saved. Lock files live in the temp directory, never beside the cassettes.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from harness.errors import HarnessError

LOCK_DIR_NAME = "pytest-run-harness-locks"
_POLL_SECONDS = 0.05


class CassetteLockTimeout(HarnessError):
    pass


def lock_file_for(cassette: Path) -> Path:
    digest = hashlib.sha256(str(cassette.resolve()).encode()).hexdigest()[:32]
    return Path(tempfile.gettempdir()) / LOCK_DIR_NAME / f"{digest}.lock"


def _try_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def cassette_lock(cassette: Path, timeout: float = 300.0) -> Iterator[None]:
    path = lock_file_for(cassette)
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    with open(path, "a+b") as handle:
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise CassetteLockTimeout(
                    f"waited {timeout:.0f}s for another test to finish recording {cassette} "
                    f"(its process id is in {path})"
                )
            time.sleep(_POLL_SECONDS)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()} {cassette}\n".encode())
            handle.flush()
            yield
        finally:
            _unlock(handle)
