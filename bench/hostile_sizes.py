"""Large hostile inputs: peak memory and CPU time of ``harness inspect`` at two sizes (is it linear?).

``python bench/hostile_sizes.py [--scale 1.0]``. Each file is written to a temporary directory and
inspected in a fresh process; peak RSS comes from ``getrusage`` of that child. Nothing here passes
or fails: the README's hostile-input table quotes the last run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

EVENT = b"event: thread.message.delta\ndata: {}\n\n"


def _long_line(path: Path, megabytes: int) -> None:
    with path.open("wb") as handle:
        handle.write(b"event: thread.message.delta\ndata: ")
        block = b"x" * (1 << 20)
        for _ in range(megabytes):
            handle.write(block)
        handle.write(b"\n\n")


def _tiny_events(path: Path, count: int) -> None:
    with path.open("wb") as handle:
        for _ in range(count // 1000):
            handle.write(EVENT * 1000)


def _har(path: Path, entries: int) -> None:
    entry = {
        "request": {"method": "POST", "url": "https://api.openai.com/v1/threads/runs", "headers": []},
        "response": {
            "status": 200,
            "headers": [{"name": "content-type", "value": "text/event-stream"}],
            "content": {"mimeType": "text/event-stream", "text": "event: done\ndata: [DONE]\n\n"},
        },
    }
    text = json.dumps(entry)
    with path.open("w") as handle:
        handle.write('{"log": {"version": "1.2", "entries": [')
        handle.write(",".join([text] * entries))
        handle.write("]}}")


KINDS: list[tuple[str, str, Callable[[Path, int], None], int]] = [
    ("one long line (MB)", "line.sse", _long_line, 100),
    ("tiny events", "events.sse", _tiny_events, 1_000_000),
    ("HAR entries", "entries.har", _har, 100_000),
]


_MEASURED = """
import contextlib, io, json, resource, sys, time
from harness.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["inspect", sys.argv[1]])
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps([code, usage.ru_maxrss // 1024, time.process_time()]), file=sys.stderr)
"""


def _inspect(path: Path) -> tuple[int, float, float, int]:
    """Peak RSS (MB) and CPU seconds of one ``harness inspect`` in a fresh process, wall seconds, exit."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(path)], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    try:
        code, rss, cpu = json.loads(result.stderr.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return 0, 0.0, wall, result.returncode  # killed (out of memory?) before it could report
    return rss, cpu, wall, code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size (default 1)")
    scale = parser.parse_args(argv).scale
    print("| input | size | file MB | peak RSS MB | CPU s | wall s | exit |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for label, name, write, size in KINDS:
            for factor in (0.5, 1.0):
                count = max(1, int(size * scale * factor))
                path = Path(folder) / name
                write(path, count)
                megabytes = path.stat().st_size / 1e6
                rss, cpu, wall, code = _inspect(path)
                print(f"| {label} | {count:,} | {megabytes:.0f} | {rss} | {cpu:.1f} | {wall:.1f} | {code} |")
                path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
