"""Shared helpers for the benchmarks: timing, tables, the machine line."""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def best_of(function: Callable[[], Any], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by a noisy machine)."""
    timings = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


def median_of(function: Callable[[], float], repeat: int = 5) -> float:
    return statistics.median(function() for _ in range(repeat))


def write_stream_cassette(
    path: Path, url: str, request_body: bytes, chunks: Sequence[bytes], gap: float = 0.0
) -> None:
    """A harness cassette holding one streamed response received as ``chunks``, ``gap`` s apart."""
    from harness.cassette import (
        Cassette,
        Exchange,
        RecordedRequest,
        RecordedResponse,
        RecordedStream,
        save_cassette,
    )

    stream = RecordedStream.from_chunks(list(chunks), [n * gap for n in range(len(chunks))])
    response = RecordedResponse(200, "OK", [("content-type", "text/event-stream")], stream=stream)
    save_cassette(Cassette([Exchange(RecordedRequest("POST", url, [], request_body), response)]), path)


def machine() -> str:
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.machine()}"
    )


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [list(map(str, header))] + [[_format(value) for value in row] for row in rows]
    widths = [max(len(row[column]) for row in cells) for column in range(len(header))]
    lines = [f"## {title}", ""]
    lines.append(
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells[0], widths, strict=True)) + " |"
    )
    lines.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    for row in cells[1:]:
        lines.append(
            "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"
        )
    return "\n".join(lines)


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def process_cost(
    command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """CPU seconds (user + system of the child) and wall seconds of one whole process."""
    import subprocess

    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"benchmark process failed: {' '.join(command)[:200]}\n{errors.decode()[-2000:]}")
    return usage.ru_utime + usage.ru_stime, wall


def interleaved(
    measures: dict[str, Callable[[], tuple[float, float]]], rounds: int = 5
) -> dict[str, list[tuple[float, float]]]:
    """Each measure once as a warm-up, then A B C ... A B C ... ``rounds`` times: every run's
    (CPU, wall) by name, in the order taken."""
    for measure in measures.values():
        measure()
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in measures}
    for _ in range(rounds):
        for name, measure in measures.items():
            runs[name].append(measure())
    return runs


def compared(a_runs: list[tuple[float, float]], b_runs: list[tuple[float, float]]) -> dict[str, float]:
    """Medians of CPU and wall for each side of interleaved runs, and the median (with min and
    max) of the pairwise CPU ratios A/B."""
    ratios = [a[0] / b[0] for a, b in zip(a_runs, b_runs, strict=True)]
    wall_ratios = [a[1] / b[1] for a, b in zip(a_runs, b_runs, strict=True)]
    return {
        "a_cpu": statistics.median(cpu for cpu, _ in a_runs),
        "a_wall": statistics.median(wall for _, wall in a_runs),
        "b_cpu": statistics.median(cpu for cpu, _ in b_runs),
        "b_wall": statistics.median(wall for _, wall in b_runs),
        "ratio": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "wall_ratio": statistics.median(wall_ratios),
    }


def paired(
    measure_a: Callable[[], tuple[float, float]], measure_b: Callable[[], tuple[float, float]], pairs: int = 5
) -> dict[str, float]:
    """A B A B ... ``pairs`` times after one warm-up of each, :func:`compared`."""
    runs = interleaved({"a": measure_a, "b": measure_b}, pairs)
    return compared(runs["a"], runs["b"])


def in_process_cost(function: Callable[[], Any]) -> tuple[float, float]:
    """CPU and wall seconds of one call in this process (garbage collected before)."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    function()
    return time.process_time() - cpu, time.perf_counter() - wall


def spread(result: dict[str, float]) -> str:
    return f"{result['ratio']:.3f} [{result['ratio_min']:.3f}-{result['ratio_max']:.3f}]"


PAIRED_HEADER = ["A", "A cpu s", "A wall s", "B", "B cpu s", "B wall s", "A/B cpu", "A/B wall"]


def paired_cells(result: dict[str, Any], a: str, b: str) -> list[Any]:
    """The cells under :data:`PAIRED_HEADER` for one :func:`paired` result."""
    return [
        a,
        result["a_cpu"],
        result["a_wall"],
        b,
        result["b_cpu"],
        result["b_wall"],
        spread(result),
        result["wall_ratio"],
    ]
