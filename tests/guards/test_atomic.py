"""Atomic writes: the old file or the new, the right mode, and temporaries cleaned up after a crash."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cassette.atomic import (
    STALE_AFTER_SECONDS,
    OutputPathError,
    check_output_path,
    glob_escape,
    remove_stale_temporaries,
    write_atomically,
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _leftover(path: Path, pid: int) -> Path:
    temporary = path.parent / f".{path.name}.{pid}.abc123.tmp"
    temporary.write_text("half")
    return temporary


def _dead_pid() -> int:
    pid = 4_000_000  # above Linux's pid_max: no such process
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    return pid


def test_text_and_bytes_are_written_whole_into_new_directories(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "cassette.json"
    write_atomically(path, "héllo\n")
    assert path.read_bytes() == "héllo\n".encode()
    write_atomically(path, b"\x00\xff")
    assert path.read_bytes() == b"\x00\xff"
    assert list(path.parent.iterdir()) == [path]


def test_a_new_file_gets_the_umask_mode_and_a_replaced_file_keeps_its_own(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        fresh = tmp_path / "fresh.json"
        write_atomically(fresh, "x")
        assert _mode(fresh) == 0o640
    finally:
        os.umask(previous)
    existing = tmp_path / "existing.json"
    existing.write_text("old")
    existing.chmod(0o604)
    write_atomically(existing, "new")
    assert _mode(existing) == 0o604 and existing.read_text() == "new"


def test_a_failed_verification_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "cassette.json"
    path.write_text("old")
    seen: list[bytes] = []

    def refuse(temporary: Path) -> None:
        seen.append(temporary.read_bytes())
        raise ValueError("does not read back")

    with pytest.raises(ValueError, match="does not read back"):
        write_atomically(path, "new", verify=refuse)
    assert seen == [b"new"]
    assert path.read_text() == "old" and list(tmp_path.iterdir()) == [path]
    write_atomically(path, "newer", verify=lambda temporary: None)
    assert path.read_text() == "newer"


def test_temporaries_of_dead_writers_are_removed_by_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "cassette.json"
    dead = _leftover(path, _dead_pid())
    alive = _leftover(path, os.getpid())
    other = _leftover(tmp_path / "other.json", _dead_pid())
    unrelated = tmp_path / ".cassette.json.notes.tmp"
    unrelated.write_text("keep")
    write_atomically(path, "new")
    assert not dead.exists()
    assert alive.exists() and other.exists() and unrelated.exists()


def test_a_live_writers_temporary_is_removed_only_once_stale(tmp_path: Path) -> None:
    path = tmp_path / "cassette.json"
    alive = _leftover(path, os.getpid())
    written = alive.stat().st_mtime
    assert remove_stale_temporaries(path, now=written + STALE_AFTER_SECONDS - 60) == []
    assert remove_stale_temporaries(path, now=written + STALE_AFTER_SECONDS + 60) == [alive]
    assert not alive.exists()
    assert remove_stale_temporaries(tmp_path / "missing" / "x.json") == []


def test_names_with_glob_characters_are_matched_literally(tmp_path: Path) -> None:
    path = tmp_path / "run[1]*?.json"
    dead = _leftover(path, _dead_pid())
    lookalike = _leftover(tmp_path / "run1xy.json", _dead_pid())
    assert remove_stale_temporaries(path) == [dead]
    assert lookalike.exists()
    assert glob_escape("a[b]*?") == "a[[]b][*][?]"


def test_output_paths_that_cannot_take_the_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputPathError, match="is a directory; give a file path"):
        check_output_path(tmp_path)
    with pytest.raises(OutputPathError, match=r"the directory .* does not exist"):
        check_output_path(tmp_path / "missing" / "x.json")
    source = tmp_path / "in.json"
    source.write_text("{}")
    with pytest.raises(OutputPathError, match="is the file being read, which this command never changes"):
        check_output_path(source, original=source)
    check_output_path(tmp_path / "out.json", original=source)
    check_output_path(source)


_CRASHING_WRITER = """
import os, sys
from harness.cassette.atomic import write_atomically
write_atomically(sys.argv[1], "half", verify=lambda temporary: os._exit(9))
"""


def test_a_writer_killed_before_the_rename_leaves_the_old_file_and_the_next_write_cleans_up(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cassette.json"
    path.write_text("old")
    crashed = subprocess.run([sys.executable, "-c", _CRASHING_WRITER, str(path)], timeout=120, check=False)
    assert crashed.returncode == 9
    assert path.read_text() == "old"
    (leftover,) = [item for item in tmp_path.iterdir() if item != path]
    assert leftover.name.startswith(".cassette.json.") and leftover.name.endswith(".tmp")
    write_atomically(path, "new")
    assert list(tmp_path.iterdir()) == [path] and path.read_text() == "new"


def test_a_directory_that_cannot_be_written_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the tests may run as root, whom permissions do not stop: the operating system's answer is given
    monkeypatch.setattr(os, "access", lambda path, mode: mode != os.W_OK)
    with pytest.raises(
        OutputPathError, match=f"{tmp_path / 'x.json'}: the directory {tmp_path} is not writable"
    ):
        check_output_path(tmp_path / "x.json")
