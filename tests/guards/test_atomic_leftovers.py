"""Which leftover temporaries the next atomic write removes: only its own file's, and not those of a
writer that may still be running (one the operating system will not name, or with an impossible id)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cassette.atomic import remove_stale_temporaries, write_atomically

DEAD_PID = 4_000_000  # above Linux's pid_max: no such process
# A writer that takes the default action for SIGHUP (a run under nohup would pass on an ignored one).
WRITER = """
import signal, time
signal.signal(signal.SIGHUP, signal.SIG_DFL)
print("ready", flush=True)
time.sleep(120)
"""


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


def test_asking_whether_a_writer_still_runs_never_signals_it(tmp_path: Path) -> None:
    writer = subprocess.Popen([sys.executable, "-c", WRITER], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
        path = tmp_path / "cassette.json"
        kept = _leftover(path, writer.pid)
        assert remove_stale_temporaries(path) == [] and kept.exists()
    finally:
        writer.terminate()
        writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGTERM  # ended by us, not by a signal sent while asking


def test_a_leftover_removed_by_another_writer_meanwhile_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cassette.json"
    gone = tmp_path / f".{path.name}.{os.getpid()}.vanished.tmp"  # listed, then removed by another writer
    dead = _leftover(path, DEAD_PID)
    monkeypatch.setattr(Path, "glob", lambda self, pattern: iter([gone, dead]))
    assert remove_stale_temporaries(path) == [dead]


def test_a_folder_that_cannot_be_listed_does_not_stop_the_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # root lists every folder: the operating system's refusal is given
    def refuse(self: Path, pattern: str) -> list[Path]:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "glob", refuse)
    assert remove_stale_temporaries(tmp_path / "cassette.json") == []
    write_atomically(tmp_path / "cassette.json", "new")
    assert (tmp_path / "cassette.json").read_text() == "new"
