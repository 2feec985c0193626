"""A cross-process lock per cassette, held from loading to saving while a test may record.

Two xdist workers recording the same shared cassette would otherwise each load it, record
their part and save: the last writer would win and the other's exchanges would be lost
(never a corrupt file: saves are atomic). With the lock the second worker waits, then loads
what the first saved. Lock files live in the temp directory, never beside the cassettes: in a
directory of the user's own (created mode 0700, and refused unless it is a real directory owned
by the user that no one else may write), opened without following symlinks, so another local
user cannot make a recording test truncate a file of theirs choosing.
"""

from __future__ import annotations

import hashlib
import os
import stat
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


class UnsafeLockDirectory(HarnessError):
    pass


def lock_directory(base: Path | None = None) -> Path:
    """The user's private lock directory under ``base`` (default: the temp directory)."""
    user = os.getuid() if hasattr(os, "getuid") else None
    name = LOCK_DIR_NAME if user is None else f"{LOCK_DIR_NAME}-{user}"
    return (Path(tempfile.gettempdir()) if base is None else base) / name


def _checked_directory(directory: Path) -> Path:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not hasattr(os, "getuid"):
        return directory
    info = os.lstat(directory)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise UnsafeLockDirectory(
            f"refusing to keep cassette locks in {directory}: it is not a directory of yours that only "
            "you may write (a symlink, another user's, or group/world-writable); remove it and rerun"
        )
    return directory


def lock_file_for(cassette: Path, base: Path | None = None) -> Path:
    digest = hashlib.sha256(str(cassette.resolve()).encode()).hexdigest()[:32]
    return lock_directory(base) / f"{digest}.lock"


def _open_lock(path: Path) -> IO[bytes]:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags, 0o600)
    except OSError as error:
        raise UnsafeLockDirectory(
            f"cannot open the cassette lock {path}: {error.strerror or error}"
        ) from None
    return os.fdopen(descriptor, "r+b")


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
def cassette_lock(cassette: Path, timeout: float = 300.0, base: Path | None = None) -> Iterator[None]:
    path = lock_file_for(cassette, base)
    _checked_directory(path.parent)
    deadline = time.monotonic() + timeout
    with _open_lock(path) as handle:
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
