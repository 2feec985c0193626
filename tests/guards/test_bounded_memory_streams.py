"""Streams of many tiny events are read and printed without holding a copy of them per step.

Memory is Python's own count of what it allocates (``tracemalloc``), beyond what was held before,
so the bounds hold on any machine and under any load; ``bench/hostile_sizes.py`` measures whole
processes at hundreds of MB (the README's hostile-input table).
"""

from __future__ import annotations

import contextlib
import functools
import io
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from harness.cli import main
from harness.cli.checks import MAX_LISTED_PER_CODE, Finding, check_file
from harness.sse import iter_sse
from harness.sse.framing import windows

TINY = b"event: thread.message.delta\ndata: {}\n\n"


def _peak(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


class _Discard(io.TextIOBase):
    """Standard output that keeps nothing (what is printed is not the command's cost)."""

    def __init__(self) -> None:
        self.written = 0

    def write(self, text: str) -> int:
        self.written += len(text)
        return len(text)


def _printed(arguments: list[str]) -> int:
    out = _Discard()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(arguments)
    return out.written


def test_the_text_timeline_of_many_tiny_events_is_printed_as_it_is_rendered(tmp_path: Path) -> None:
    """The fold's views of each event (its data, text, status: 2.4 times the file) and a batch of
    the timeline at a time, not the timeline's lines, then them joined, then scrubbed (7.6 times
    the file when it was built whole)."""
    warm_up = tmp_path / "one.sse"
    warm_up.write_bytes(TINY)
    _printed(["inspect", str(warm_up), "--format", "text"])  # the modules it imports are not the file's cost
    path = tmp_path / "tiny.sse"
    path.write_bytes(TINY * 20_000)
    printed: list[int] = []
    peak = _peak(lambda: printed.append(_printed(["inspect", str(path), "--format", "text"])))
    assert printed[0] > len(TINY) * 20_000 * 0.8  # a line per event
    assert peak <= 4.8 * path.stat().st_size, f"{peak / path.stat().st_size:.2f} times the file"


def _print_into(printed: list[int], arguments: list[str]) -> None:
    printed.append(_printed(arguments))


def test_the_json_form_of_many_tiny_events_is_written_in_pieces(tmp_path: Path) -> None:
    """What 50,000 more events add to the peak: the fold's references to each event's name and
    object, not the JSON text whole and a copy of it per step (1.9 times the added events when it
    was). Measured as the difference of two sizes, so the pieces' own fixed size does not count."""
    warm_up = tmp_path / "one.sse"
    warm_up.write_bytes(TINY)
    _printed(["inspect", str(warm_up), "--format", "json"])  # the modules it imports are not the file's cost
    peaks = []
    for count in (50_000, 100_000):
        path = tmp_path / f"tiny-{count}.sse"
        path.write_bytes(TINY * count)
        arguments = ["inspect", str(path), "--format", "json"]
        printed: list[int] = []
        peaks.append(_peak(functools.partial(_print_into, printed, arguments)))
        assert printed[0] > count * len('    "thread.message.delta",\n')  # a line per event
    added = len(TINY) * 50_000
    assert peaks[1] - peaks[0] <= 0.8 * added, f"{(peaks[1] - peaks[0]) / added:.2f} times the added events"


def test_reading_many_tiny_events_one_at_a_time_keeps_no_list_of_them_nor_of_where_they_end() -> None:
    """What a streaming reader holds is the events of one chunk (4 KiB here): not an offset for
    every event decoded so far (36 bytes an event, most of the body again)."""
    body = TINY * 50_000
    counted: list[int] = []
    peak = _peak(lambda: counted.append(sum(1 for _ in iter_sse(windows(body, 4096)))))
    assert counted == [50_000]
    assert peak <= 0.05 * len(body), f"{peak / len(body):.3f} times the body"


def test_validating_a_raw_sse_stream_broken_in_every_event_holds_about_twice_the_file(
    tmp_path: Path,
) -> None:
    """The file's bytes, kept as the body, and where each event ends (8 bytes an event); each event
    decoded as the checks read it, and a hundred findings of each rule kept (2.3 times the file
    here). Splitting the bodies decoded every event first and kept a bytes object per frame (7.4)."""
    warm_up = tmp_path / "one.sse"
    warm_up.write_bytes(TINY)
    check_file(warm_up)  # the modules validation imports are not the file's cost
    path = tmp_path / "broken.sse"
    path.write_bytes(TINY * 5_000)
    found: list[list[Finding]] = []
    peak = _peak(lambda: found.append(check_file(path)))
    (findings,) = found
    assert sum(finding.count for finding in findings if finding.level == "error") == 5_001
    assert len(findings) <= 4 * MAX_LISTED_PER_CODE + 4
    assert peak <= 3 * path.stat().st_size, f"{peak / path.stat().st_size:.2f} times the file"
