"""Replaying a recorded stream through the openai SDK: the harness vs a bare httpx2.MockTransport.

Both serve the same bytes in the same chunks to the same SDK call
(``runs.stream`` with an ``AssistantEventHandler`` to the end); the difference
is the harness's own cost per replay: cassette matching and its byte stream.
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

import httpx2
import openai
from openai.lib.streaming import AssistantEventHandler

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, table, write_stream_cassette
from reconstruct import stream_body

from harness import use_cassette

BASE = "http://bench.test/v1"
CHUNK = 4096


def _drive(client: openai.OpenAI) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with client.beta.threads.runs.stream(
            thread_id="thread_bench", assistant_id="asst_bench", event_handler=AssistantEventHandler()
        ) as stream:
            return stream.get_final_run()


def _measure(deltas: int) -> dict[str, Any]:
    body = stream_body(deltas)
    chunks = [body[start : start + CHUNK] for start in range(0, len(body), CHUNK)]

    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=iter(chunks))

    bare = openai.OpenAI(
        api_key="sk-test-fake-bench",
        base_url=BASE,
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(answer)),
    )
    replaying = openai.OpenAI(api_key="sk-test-fake-bench", base_url=BASE, max_retries=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "replay.json"
        write_stream_cassette(
            path,
            f"{BASE}/threads/thread_bench/runs",
            b'{"assistant_id": "asst_bench", "stream": true}',
            chunks,
        )

        def replay() -> Any:
            with use_cassette(path, record_mode="none"):
                return _drive(replaying)

        repeat = 5 if deltas <= 1_000 else 3
        bare_seconds = best_of(lambda: _drive(bare), repeat)
        harness_seconds = best_of(replay, repeat)
    return {
        "deltas": deltas,
        "mock_s": bare_seconds,
        "harness_s": harness_seconds,
        "overhead_pct": 100 * (harness_seconds / bare_seconds - 1),
    }


def run(quick: bool) -> list[dict[str, Any]]:
    return [_measure(deltas) for deltas in ([1_000] if quick else [1_000, 10_000])]


def render(rows: list[dict[str, Any]]) -> str:
    return table(
        "Replay through the openai SDK vs a bare MockTransport (target: overhead <= 10%)",
        ["deltas", "MockTransport s", "harness replay s", "overhead %"],
        [[r["deltas"], r["mock_s"], r["harness_s"], r["overhead_pct"]] for r in rows],
    )


if __name__ == "__main__":
    print(render(run("--quick" in sys.argv)))
