"""The cross-process cassette lock cannot be turned against another file by a planted symlink."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.pytest_plugin.locking import UnsafeLockDirectory, cassette_lock, lock_directory, lock_file_for

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership and O_NOFOLLOW")


def test_a_symlink_planted_at_the_lock_path_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    cassette = tmp_path / "c.json"
    lock = lock_file_for(cassette, tmp_path)
    lock.parent.mkdir(mode=0o700)
    lock.symlink_to(victim)

    with (
        pytest.raises(UnsafeLockDirectory, match="cannot open the cassette lock"),
        cassette_lock(cassette, base=tmp_path),
    ):
        pass
    assert victim.read_text() == "precious"


def test_a_lock_directory_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    lock_directory(tmp_path).symlink_to(elsewhere)

    with (
        pytest.raises(UnsafeLockDirectory, match="not a directory of yours"),
        cassette_lock(tmp_path / "c.json", base=tmp_path),
    ):
        pass
    assert list(elsewhere.iterdir()) == []


def test_a_group_writable_lock_directory_is_refused(tmp_path: Path) -> None:
    directory = lock_directory(tmp_path)
    directory.mkdir()
    directory.chmod(0o777)

    with pytest.raises(UnsafeLockDirectory), cassette_lock(tmp_path / "c.json", base=tmp_path):
        pass


def test_the_lock_is_taken_in_a_private_directory(tmp_path: Path) -> None:
    with cassette_lock(tmp_path / "c.json", base=tmp_path):
        lock = lock_file_for(tmp_path / "c.json", tmp_path)
        assert lock.exists()
        assert lock.parent.stat().st_mode & 0o077 == 0
