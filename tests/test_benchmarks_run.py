"""The benchmarks keep working (they are not timed here: ratios are printed by `bench/run.py`)."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmarks_run_and_print_their_tables() -> None:
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--only", "cassette_load", "memory", "first_event"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for title in ("## Cassette load", "## Peak memory", "## Time to first event"):
        assert title in result.stdout
    assert "Machine: " in result.stdout


def test_the_suite_floor_serves_each_response_in_its_recorded_chunks(tmp_path: Path) -> None:
    """``bench/suite.py``'s floor (no recorder) must hand the SDK what the harness replays."""
    search_path = list(sys.path)
    try:  # the benchmark puts bench/ and the checkout on the path for its own imports
        floor_conftest = runpy.run_path(str(ROOT / "bench" / "suite.py"))["FLOOR_CONFTEST"]
    finally:
        sys.path[:] = search_path
    from harness.cassette import (
        Cassette,
        Exchange,
        RecordedRequest,
        RecordedResponse,
        RecordedStream,
        load_cassette,
        save_cassette,
    )

    chunks = [b"event: thread.run.created\ndata: {}\n\nevent: done\n", b"data: [DONE]\n", b"\n"]
    stream = RecordedStream.from_chunks(chunks, [0.0, 0.01, 0.02])
    exchanges = [
        Exchange(
            RecordedRequest("POST", "http://127.0.0.1/v1/threads", [], b"{}"),
            RecordedResponse(200, "OK", [("content-type", "application/json")], b'{"id": "thread_1"}'),
        ),
        Exchange(
            RecordedRequest("POST", "http://127.0.0.1/v1/threads/thread_1/runs", [], b"{}"),
            RecordedResponse(200, "OK", [("content-type", "text/event-stream")], stream=stream),
        ),
    ]
    path = tmp_path / "cassette.json"
    save_cassette(Cassette(exchanges), path)
    floor: dict[str, object] = {"__file__": str(tmp_path / "conftest.py")}
    exec(compile(floor_conftest, "conftest.py", "exec"), floor)
    served = floor["recorded_responses"](path)  # type: ignore[operator]

    replayed = [exchange.response for exchange in load_cassette(path).exchanges]
    assert served == [
        (
            response.status,
            list(response.headers),
            response.stream.chunks() if response.stream is not None else [response.body],
        )
        for response in replayed
    ]
    assert served[1][2] == chunks
