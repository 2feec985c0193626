"""Writing a file so that readers see the old content or the new, never half of either.

Every file the harness writes goes through :func:`write_atomically`: the data
goes to a temporary file beside the target (``.NAME.PID.RANDOM.tmp``), is
flushed to disk and renamed over the target. The new file gets the mode of
the file it replaces, or for a new file what the process umask allows
(``0o666 & ~umask``, as ``open()`` would give it), not ``mkstemp``'s 0600.
A process killed before the rename leaves its temporary file behind; the
next write beside it removes those whose writer is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from harness.errors import HarnessError

# A temporary file whose writing process still exists is left alone, unless it is this old.
STALE_AFTER_SECONDS = 24 * 3600
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp\Z")


class OutputPathError(HarnessError):
    """A path the harness was asked to write to that cannot take the file."""


def check_output_path(output: Path, *, original: Path | None = None) -> None:
    """Raise :class:`OutputPathError` unless a file can be written at ``output``.

    ``original`` is a file the command reads and promises not to change.
    """
    if output.is_dir():
        raise OutputPathError(f"{output} is a directory; give a file path")
    parent = output.parent
    if not parent.is_dir():
        raise OutputPathError(f"{output}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise OutputPathError(f"{output}: the directory {parent} is not writable")
    if original is not None and output.exists() and original.exists() and output.samefile(original):
        raise OutputPathError(f"{output} is the file being read, which this command never changes")


def write_atomically(
    path: str | Path,
    data: bytes | str | Iterable[str],
    *,
    verify: Callable[[Path], None] | None = None,
) -> None:
    """Write ``data`` (text is written as UTF-8 with ``\\n`` line ends) to ``path`` atomically.

    ``data`` may be text in pieces (an iterator), written as they come rather than held whole.

    ``verify`` is called with the complete temporary file before it replaces
    ``path``; whatever it raises leaves ``path`` untouched. A crash or Ctrl-C
    before the rename leaves the old file as it was; two writers racing leave
    one complete file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    pieces = [data] if isinstance(data, (bytes, str)) else data
    mode = _mode_for(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as file:
            for piece in pieces:
                file.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            file.flush()
            os.fsync(file.fileno())
        if verify is not None:
            verify(Path(temporary))
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~current_umask()


def current_umask() -> int:
    # The only portable way to read the umask is to set it; it is put back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_stale_temporaries(path: Path, *, now: float | None = None) -> list[Path]:
    """Remove temporary files that an interrupted write of ``path`` left; return what was removed."""
    removed: list[Path] = []
    moment = time.time() if now is None else now
    try:
        candidates = list(path.parent.glob(f".{glob_escape(path.name)}.*.tmp"))
    except OSError:
        return removed
    for candidate in candidates:
        match = _TEMPORARY.match(candidate.name)
        if match is None or match["name"] != path.name:
            continue
        try:
            age = moment - candidate.stat().st_mtime
        except FileNotFoundError:
            continue
        if _process_exists(int(match["pid"])) and age < STALE_AFTER_SECONDS:
            continue
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
            removed.append(candidate)
    return removed


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _process_exists(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
