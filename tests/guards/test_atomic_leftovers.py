"""Which leftover temporaries the next atomic write removes: only its own file's, and not those of a
writer that may still be running (one the operating system will not name, or with an impossible id)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.cassette.atomic import remove_stale_temporaries, write_atomically

DEAD_PID = 4_000_000  # above Linux's pid_max: no such process


def _leftover(path: Path, pid: int) -> Path:
    temporary = path.parent / f".{path.name}.{pid}.abc123.tmp"
    temporary.write_text("half")
    return temporary


def test_a_leftover_of_a_longer_file_name_is_not_taken_for_ours(tmp_path: Path) -> None:
    path = tmp_path / "cassette.json"
    longer = _leftover(tmp_path / "cassette.json.old", DEAD_PID)
    ours = _leftover(path, DEAD_PID)
    write_atomically(path, "new")
    assert longer.exists() and not ours.exists()


def test_a_writer_id_too_large_for_the_system_counts_as_running(tmp_path: Path) -> None:
    path = tmp_path / "cassette.json"
    huge = _leftover(path, 2**70)
    assert remove_stale_temporaries(path) == []
    assert huge.exists()


def test_a_writer_the_system_will_not_signal_counts_as_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # another user's process: the tests may run as root, whom the system answers for every process
    def not_permitted(pid: int, signal: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    path = tmp_path / "cassette.json"
    foreign = _leftover(path, 4242)
    monkeypatch.setattr(os, "kill", not_permitted)
    assert remove_stale_temporaries(path) == []
    assert foreign.exists()
