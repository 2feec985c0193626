"""The one atomic writer: old content or new, the umask respected, leftovers of a killed write removed."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.cassette import load_cassette, save_cassette
from harness.cassette.atomic import (
    STALE_AFTER_SECONDS,
    OutputPathError,
    check_output_path,
    remove_stale_temporaries,
    write_atomically,
)
from harness.cassette.formats.raw_sse import read_sse
from tests.cassette_formats.support import CORPUS


@pytest.fixture
def umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_what_the_umask_allows(mask: int, expected: int, tmp_path: Path) -> None:
    os.umask(mask)
    path = tmp_path / "cassette.json"
    save_cassette(read_sse((CORPUS / "009-openai-dotnet-plain-text-run-sep2025.sse").read_bytes()), path)
    assert _mode(path) == expected


@pytest.mark.usefixtures("umask")
def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old")
    path.chmod(0o640)
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new" and _mode(path) == 0o640


def test_text_is_written_as_utf8_with_newlines_kept(tmp_path: Path) -> None:
    write_atomically(tmp_path / "t.txt", "héllo\nwörld\n")
    assert (tmp_path / "t.txt").read_bytes() == "héllo\nwörld\n".encode()


def test_a_failed_check_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "good.json"
    path.write_text("good")

    def refuse(written: Path) -> None:
        assert written.read_bytes() == b"bad"
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        write_atomically(path, b"bad", verify=refuse)
    assert path.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["good.json"]


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_leftovers_of_a_killed_write_are_removed_by_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "cassette.json"
    dead = tmp_path / f".cassette.json.{_dead_pid()}.abc123.tmp"
    dead.write_text("half a cassette")
    alive = tmp_path / f".cassette.json.{os.getppid()}.def456.tmp"  # a writer that still runs
    alive.write_text("being written")
    other = tmp_path / f".other.json.{_dead_pid()}.ghi789.tmp"  # beside another file: not ours
    other.write_text("x")

    write_atomically(path, b"{}")
    assert not dead.exists()
    assert alive.exists() and other.exists()
    assert path.read_bytes() == b"{}"

    stale = os.stat(alive).st_mtime + STALE_AFTER_SECONDS + 1
    assert remove_stale_temporaries(path, now=stale) == [alive]


def test_check_output_path_names_the_problem(tmp_path: Path) -> None:
    source = tmp_path / "source.json"
    source.write_text("{}")
    with pytest.raises(OutputPathError, match="is a directory"):
        check_output_path(tmp_path)
    with pytest.raises(OutputPathError, match="does not exist"):
        check_output_path(tmp_path / "missing" / "out.json")
    with pytest.raises(OutputPathError, match="is the file being read"):
        check_output_path(source, original=source)
    check_output_path(tmp_path / "new.json", original=source)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_check_output_path_refuses_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputPathError, match="is not writable"):
            check_output_path(folder / "out.json")
    finally:
        folder.chmod(0o700)


def test_load_reads_what_save_wrote(tmp_path: Path) -> None:
    cassette = read_sse((CORPUS / "010-openai-dotnet-function-requires-action-oct2025.sse").read_bytes())
    save_cassette(cassette, tmp_path / "c.json")
    assert load_cassette(tmp_path / "c.json").exchanges == cassette.exchanges
