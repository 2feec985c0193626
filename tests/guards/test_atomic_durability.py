"""What an atomic write leaves behind besides the file: the process umask as it was, the data on disk
before the new file replaces the old, and a live writer's temporary kept for a day."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.cassette.atomic import remove_stale_temporaries, write_atomically

DAY = 24 * 3600


def test_the_process_umask_is_left_as_it_was(tmp_path: Path) -> None:
    previous = os.umask(0o077)
    try:
        write_atomically(tmp_path / "new.json", "x")
        (tmp_path / "later.txt").write_text("y")
        assert stat.S_IMODE((tmp_path / "later.txt").stat().st_mode) == 0o600
    finally:
        os.umask(previous)


def test_the_data_is_on_disk_before_the_new_file_replaces_the_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cassette.json"
    path.write_text("old")
    payload = b"x" * 100  # small: it would sit in the file object's buffer unless flushed
    events: list[str] = []
    sync, replace = os.fsync, os.replace

    def recorded_sync(fd: int) -> None:
        events.append(f"sync {os.fstat(fd).st_size}")
        sync(fd)

    def recorded_replace(source: str | Path, target: str | Path) -> None:
        events.append(f"replace {Path(target).name}")
        replace(source, target)

    monkeypatch.setattr(os, "fsync", recorded_sync)
    monkeypatch.setattr(os, "replace", recorded_replace)
    write_atomically(path, payload)
    assert events == [f"sync {len(payload)}", "replace cassette.json"]
    assert path.read_bytes() == payload


@pytest.fixture
def writer() -> Iterator[subprocess.Popen[bytes]]:
    """A live process of the test's own, standing for another writer (asking whether it is alive
    must never signal it; a real process of the session could be hurt)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield process
    process.kill()
    process.wait()


def test_a_live_writers_temporary_is_kept_for_a_day(tmp_path: Path, writer: subprocess.Popen[bytes]) -> None:
    path = tmp_path / "cassette.json"
    alive = path.parent / f".{path.name}.{writer.pid}.abc123.tmp"
    alive.write_text("being written")
    written = alive.stat().st_mtime
    assert remove_stale_temporaries(path, now=written + DAY - 30) == []
    assert remove_stale_temporaries(path, now=written + DAY + 30) == [alive]
    assert writer.poll() is None, "the writer was signalled"


def test_a_live_writers_temporary_exactly_a_day_old_is_removed(
    tmp_path: Path, writer: subprocess.Popen[bytes]
) -> None:
    path = tmp_path / "cassette.json"
    alive = path.parent / f".{path.name}.{writer.pid}.abc123.tmp"
    alive.write_text("being written")
    assert remove_stale_temporaries(path, now=alive.stat().st_mtime + DAY) == [alive]
    assert writer.poll() is None, "the writer was signalled"
