"""Peak memory while replaying and reconstructing a long stream, against its size on disk.

A child process (so the peak is its own) replays the cassette through httpx with
the harness, decodes events as they arrive and folds them into a transcript.
The figure is the peak resident memory above the child's start, after imports.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import table, write_stream_cassette
from reconstruct import stream_body

CHILD = r"""
import json, sys
import httpx
from harness import use_cassette
from harness.reconstruct import StreamFolder
from harness.sse import iter_sse

def status_kib(field):
    # /proc, not getrusage: ru_maxrss survives exec and would report the parent's peak
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))

start = status_kib("VmRSS")
folder = StreamFolder()
with use_cassette(sys.argv[1], record_mode="none"), httpx.Client() as client:
    with client.stream("POST", "http://127.0.0.1:9/v1/threads/t/runs", content=b"{}") as response:
        for event in iter_sse(response.iter_raw()):
            folder.feed(event)
folder.end_stream()
transcript = folder.transcript()
assert transcript.final_run is not None and transcript.final_run["status"] == "completed"
print(json.dumps({"start_kib": start, "peak_kib": status_kib("VmHWM")}))
"""


def run(quick: bool) -> list[dict[str, Any]]:
    deltas = 100_000 if quick else 1_000_000
    body = stream_body(deltas)
    chunks = [body[start : start + 16384] for start in range(0, len(body), 16384)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.json"
        write_stream_cassette(path, "http://x/v1/threads/t/runs", b"{}", chunks)
        del body, chunks
        size = path.stat().st_size
        output = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
        ).stdout
    measured = json.loads(output)
    extra = (measured["peak_kib"] - measured["start_kib"]) * 1024
    return [{"deltas": deltas, "file_mb": size / 1e6, "peak_extra_mb": extra / 1e6, "ratio": extra / size}]


def render(rows: list[dict[str, Any]]) -> str:
    return table(
        "Peak memory replaying + reconstructing (target: <= 2.5x the file size, issue 12)",
        ["deltas", "cassette MB", "peak memory MB", "ratio"],
        [[r["deltas"], r["file_mb"], r["peak_extra_mb"], r["ratio"]] for r in rows],
    )


if __name__ == "__main__":
    print(render(run("--quick" in sys.argv)))
