"""Hostile files: every command answers with one line naming the file and the place, and exits non-zero.

Devices and FIFOs are refused before they are opened; integers too long to convert, duplicate JSON
keys and arrival times that are not finite or absurdly late are refused when the cassette loads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harness.cassette.load import MAX_ARRIVAL_SECONDS, MAX_CASSETTE_BYTES, load_cassette
from harness.cassette.model import RecordedStream
from harness.cli import main
from harness.errors import CassetteError
from harness.replay.chunking import Chunking
from harness.replay.options import ReplayOptions
from harness.replay.plan import MAX_TOTAL_WAIT_SECONDS, MAX_WAIT_SECONDS, plan_stream

EVENT = "event: done\ndata: [DONE]\n\n"


def _native(chunk_ms: str = "[0.0]", status: str = "200", extra: str = "") -> str:
    return (
        '{"harness_cassette": 1, "exchanges": [{"request": {"method": "POST", '
        '"url": "https://api.openai.com/v1/threads/runs", "headers": [], "body": "{}"}, '
        f'"response": {{"status": {status}, "reason": "OK", "headers": [], "stream": '
        f'{{"cut": null, "chunk_sizes": [{len(EVENT)}], "chunk_ms": {chunk_ms}, '
        f'"events": [{json.dumps(EVENT)}]}}}}}}]{extra}}}'
    )


LONG = "9" * 5000
FILES: dict[str, tuple[str, str, str]] = {
    # name: (content, the place named, the message)
    "long-integer.json": (_native(extra=f', "x": {LONG}'), "line 1, column 3", "an integer too long to read"),
    "long-status.json": (_native(status=LONG), "line 1, column 1", "an integer too long to read"),
    "long-integer.har": ('{"log": {"entries": [' + LONG + "]}}", "line 1, column 22", "too long to read"),
    "long-integer.jsonl": ('{"harness_jsonl": 1}\n{"a": ' + LONG + "}\n", "line 2, column 7", "too long"),
    "duplicate-key.json": (_native(status='200, "status": 500'), "", 'duplicate key "status"'),
    "duplicate-key.jsonl": ('{"harness_jsonl": 1}\n{"a": 1, "a": 2}\n', "line 2", 'duplicate key "a"'),
    "infinite-time.json": (
        _native("[Infinity]"),
        "exchanges[0].response.stream.chunk_times[0]",
        "arrives at inf s",
    ),
    "nan-time.json": (_native("[NaN]"), "exchanges[0].response.stream.chunk_ms[0]", "got nan"),
    "huge-time.json": (_native("[1e400]"), "exchanges[0].response.stream.chunk_times[0]", "arrives at inf s"),
    "late-time.json": (
        _native("[1e9]"),
        "exchanges[0].response.stream.chunk_times[0]",
        "arrives at 1000000.0 s",
    ),
    "negative-time.json": (_native("[-1]"), "exchanges[0].response.stream.chunk_ms[0]", "non-negative"),
}
COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "inspect": lambda path, out: ["inspect", str(path)],
    "validate": lambda path, out: ["validate", str(path)],
    "scrub": lambda path, out: ["scrub", "--check", str(path)],
    "diff": lambda path, out: ["diff", str(path), str(path)],
    "export": lambda path, out: ["export", "--format", "har", "-o", str(out / "x.har"), str(path)],
    "shrink": lambda path, out: ["shrink", "--check", "true", "--max-checks", "2", str(path)],
    "bundle": lambda path, out: ["bundle", "--output", str(out / "bundle"), str(path)],
}


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A FIFO no one writes to: opening it for reading would block forever. A helper thread opens
    the writing end, so that a reader that does open it gets an empty file (and the test fails)
    instead of hanging the suite."""
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    writer = threading.Thread(target=lambda: os.close(os.open(path, os.O_WRONLY)), daemon=True)
    writer.start()
    yield path
    if writer.is_alive():  # nobody opened it: release the writer
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    writer.join(timeout=10)


def _one_line_error(command: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The command's error line (``validate`` reports each file on a line of its own before it)."""
    code = main(command)
    captured = capsys.readouterr()
    assert code != 0
    assert "Traceback" not in captured.out + captured.err
    if command[0] == "validate":
        name, error = captured.out.strip().splitlines()
        assert name == f"{command[-1]}: FAILED (1 error)"
        return f"{name}: {error.strip()}"
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_hostile_file_is_one_clear_load_error(name: str, tmp_path: Path) -> None:
    content, place, message = FILES[name]
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(CassetteError) as caught:
        load_cassette(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)
    assert place in (caught.value.location or "")


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", ["long-integer.json", "duplicate-key.jsonl", "infinite-time.json"])
def test_every_command_answers_a_hostile_file_with_one_line(
    command: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_text(FILES[name][0])
    line = _one_line_error(COMMANDS[command](path, tmp_path), capsys)
    assert str(path) in line and FILES[name][2] in line


def test_a_symlink_to_a_device_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(CassetteError, match="is a character device, not a regular file"):
        load_cassette(link)
    line = _one_line_error(["inspect", str(link)], capsys)
    assert line.endswith(f"{link}: is a character device, not a regular file; refusing to read it")


def test_a_fifo_is_refused_without_opening_it(fifo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CassetteError, match=r"is a named pipe \(FIFO\), not a regular file"):
        load_cassette(fifo)
    for command in (["validate", str(fifo)], ["scrub", "--check", str(fifo)]):
        assert "named pipe" in _one_line_error(command, capsys)


def test_import_skips_a_fifo_and_a_device_with_the_reason(
    fifo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "zero.sse"
    link.symlink_to("/dev/zero")
    assert main(["import", "--cassette", str(tmp_path / "out.json"), str(fifo), str(link)]) == 1
    output = capsys.readouterr().out
    assert f"skipped   {fifo}: {fifo}: is a named pipe (FIFO), not a regular file" in output
    assert f"skipped   {link}: {link}: is a character device, not a regular file" in output


def test_arrival_times_up_to_the_limit_still_load(tmp_path: Path) -> None:
    path = tmp_path / "slow-but-real.json"
    path.write_text(_native(f"[{MAX_ARRIVAL_SECONDS * 1000}]"))
    stream = load_cassette(path).exchanges[0].response.stream
    assert stream is not None and stream.chunk_times == [MAX_ARRIVAL_SECONDS]


def _stream(times: list[float]) -> RecordedStream:
    frames = [EVENT.encode()] * len(times)
    return RecordedStream(frames, [len(frame) for frame in frames], times)


def test_a_replay_at_recorded_speed_waits_at_most_the_stated_maximum_per_read_and_in_all() -> None:
    times = [0.0, 1.0, 3000.0, 3001.0, *(3001.0 + 59 * n for n in range(1, 30))]
    plan = plan_stream(_stream(times), Chunking("recorded"), speed=1.0)
    assert plan.waits[:4] == [0.0, 1.0, MAX_WAIT_SECONDS, 1.0]
    assert max(plan.waits) == MAX_WAIT_SECONDS
    assert sum(plan.waits) == pytest.approx(MAX_TOTAL_WAIT_SECONDS)
    assert plan.waits[-1] == 0.0  # the budget is spent: the rest is served at once
    slower = plan_stream(_stream([0.0, 10.0]), Chunking("recorded"), speed=2.0)
    assert slower.waits == [0.0, 20.0]


@pytest.mark.parametrize("speed", ["inf", "nan", "-1"])
def test_a_replay_speed_that_is_not_a_finite_factor_is_refused(speed: str) -> None:
    with pytest.raises(ValueError, match=r"replay speed needs 0 \(instant\) or a positive factor"):
        ReplayOptions(speed=float(speed))


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b"{")
    os.truncate(path, MAX_CASSETTE_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(CassetteError, match=f"larger than {MAX_CASSETTE_BYTES} bytes; refusing to load"):
        load_cassette(path)


def test_serve_answers_a_hostile_file_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "long-integer.json"
    path.write_text(FILES["long-integer.json"][0])
    command = [sys.executable, "-m", "harness.cli", "serve", "--port", "0", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"harness serve: error: {path}: line 1, column 326: invalid JSON: an integer too long to read"
    ]
