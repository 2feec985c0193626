"""Time to first event while recording a stream whose events are 50 ms apart.

Side by side against the same local server (127.0.0.1): no recorder at all,
the harness recorder (tees the stream), and vcrpy's recorder (which reads the
whole body before the client sees any of it).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import vcr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from common import table  # noqa: E402

from harness import use_cassette  # noqa: E402
from harness.sse import iter_sse  # noqa: E402
from tests.support.scripted_server import ScriptedServer, sse_answer  # noqa: E402

GAP = 0.05
BODY = (ROOT / "cassettes" / "real" / "010-openai-dotnet-function-requires-action-oct2025.sse").read_bytes()


def _first_and_total(url: str) -> tuple[float, float]:
    with httpx.Client() as client:
        started = time.perf_counter()
        first = None
        with client.stream("POST", url, json={"stream": True}) as response:
            for _ in iter_sse(response.iter_raw()):
                if first is None:
                    first = time.perf_counter() - started
        return first or 0.0, time.perf_counter() - started


def run(quick: bool) -> list[dict[str, Any]]:
    rounds = 2 if quick else 5
    results: dict[str, list[tuple[float, float]]] = {"no recorder": [], "harness": [], "vcrpy": []}
    with (
        ScriptedServer(lambda method, path, body: sse_answer(BODY, GAP)) as server,
        tempfile.TemporaryDirectory() as folder,
    ):
        url = f"{server.base_url}/threads/runs"
        for number in range(rounds):
            results["no recorder"].append(_first_and_total(url))
            with use_cassette(Path(folder) / f"h{number}.json", record_mode="all"):
                results["harness"].append(_first_and_total(url))
            with vcr.use_cassette(str(Path(folder) / f"v{number}.yaml"), record_mode="all"):
                results["vcrpy"].append(_first_and_total(url))
    baseline = statistics.median(first for first, _ in results["no recorder"])
    return [
        {
            "recorder": name,
            "first_ms": 1000 * statistics.median(f for f, _ in pairs),
            "total_ms": 1000 * statistics.median(t for _, t in pairs),
            "delta_ms": 1000 * (statistics.median(f for f, _ in pairs) - baseline),
        }
        for name, pairs in results.items()
    ]


def render(rows: list[dict[str, Any]]) -> str:
    return table(
        "Time to first event while recording, 50 ms between events (target: harness within 5 ms "
        "of no recorder)",
        ["recorder", "first event ms", "whole stream ms", "vs no recorder ms"],
        [[r["recorder"], r["first_ms"], r["total_ms"], r["delta_ms"]] for r in rows],
    )


if __name__ == "__main__":
    print(render(run("--quick" in sys.argv)))
