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
