"""Streams of many tiny events are read and printed without holding a copy of them per step.

Memory is Python's own count of what it allocates (``tracemalloc``), beyond what was held before,
so the bounds hold on any machine and under any load; ``bench/hostile_sizes.py`` measures whole
processes at hundreds of MB (the README's hostile-input table).
"""

from __future__ import annotations

import contextlib
import functools
import io
from pathlib import Path

from harness.cli import main
from harness.cli.checks import MAX_LISTED_PER_CODE, Finding, check_file
from harness.sse import iter_sse
from harness.sse.framing import windows
from tests.guards.memory import peak_memory

TINY = b"event: thread.message.delta\ndata: {}\n\n"


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


def _print_into(printed: list[int], arguments: list[str]) -> None:
    printed.append(_printed(arguments))


def _added_peak(form: str, tmp_path: Path, line: int) -> float:
    """What 50,000 more tiny events add to the peak of ``inspect --format FORM``, over their size:
    the difference of two sizes, so the pieces' and batches' own fixed size does not count."""
    warm_up = tmp_path / "one.sse"
    warm_up.write_bytes(TINY)
    _printed(["inspect", str(warm_up), "--format", form])  # the modules it imports are not the file's cost
    peaks = []
    for count in (50_000, 100_000):
        path = tmp_path / f"tiny-{count}.sse"
        path.write_bytes(TINY * count)
        arguments = ["inspect", str(path), "--format", form]
        printed: list[int] = []
        peaks.append(peak_memory(functools.partial(_print_into, printed, arguments)))
        assert printed[0] > count * line  # a line per event
    return (peaks[1] - peaks[0]) / (len(TINY) * 50_000)


def test_the_json_form_of_many_tiny_events_is_written_in_pieces(tmp_path: Path) -> None:
    """What more events add: the fold's references to each event's name and object, not the JSON
    text whole and a copy of it per step (1.9 times the added events when it was)."""
    added = _added_peak("json", tmp_path, len('    "thread.message.delta",\n'))
    assert added <= 0.8, f"{added:.2f} times the added events"


def test_the_text_timeline_of_many_tiny_events_is_rendered_as_they_are_folded(tmp_path: Path) -> None:
    """What more events add to the timeline: as to the JSON form, the fold's references to each
    event's name and object, and the timeline's lines compressed; not the fold's views of each event
    (its data, text and status: 2.2 times the added events when they were kept for the timeline),
    nor the timeline's lines, joined, then scrubbed (7.6 times when it was built whole)."""
    added = _added_peak("text", tmp_path, len("  #12345 thread.message.delta {}\n"))
    assert added <= 0.7, f"{added:.2f} times the added events"


def test_reading_many_tiny_events_one_at_a_time_keeps_no_list_of_them_nor_of_where_they_end() -> None:
    """What a streaming reader holds is the events of one chunk (4 KiB here): not an offset for
    every event decoded so far (36 bytes an event, most of the body again)."""
    body = TINY * 50_000
    counted: list[int] = []
    peak = peak_memory(lambda: counted.append(sum(1 for _ in iter_sse(windows(body, 4096)))))
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
    peak = peak_memory(lambda: found.append(check_file(path)))
    (findings,) = found
    assert sum(finding.count for finding in findings if finding.level == "error") == 5_001
    assert len(findings) <= 4 * MAX_LISTED_PER_CODE + 4
    assert peak <= 3 * path.stat().st_size, f"{peak / path.stat().st_size:.2f} times the file"
