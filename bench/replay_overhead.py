"""Replaying a recorded stream through the openai SDK: the harness vs a bare httpx2.MockTransport.

Both serve the same bytes in the same chunks to the same SDK call
(``runs.stream`` with an ``AssistantEventHandler`` to the end); the difference
is the harness's own cost per replay: cassette matching and its byte stream. Measured in one
process, warm (one run of each first), A B A B over the pairs: CPU time with wall time beside it,
and the median pairwise ratio with its min-max. The harness side is measured twice: through the
global patching (``use_cassette``) and through an injected ``cassette.transport()``.
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

from common import in_process_cost, paired, spread, table, write_stream_cassette
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

        def injected() -> Any:
            with use_cassette(path, record_mode="none", patch=False) as cassette:
                client = httpx2.Client(transport=cassette.transport())
                sdk = openai.OpenAI(
                    api_key="sk-test-fake-bench", base_url=BASE, max_retries=0, http_client=client
                )
                return _drive(sdk)

        pairs = 7 if deltas <= 1_000 else 5
        patched = paired(
            lambda: in_process_cost(replay), lambda: in_process_cost(lambda: _drive(bare)), pairs
        )
        transport = paired(
            lambda: in_process_cost(injected), lambda: in_process_cost(lambda: _drive(bare)), pairs
        )
    return {"deltas": deltas, "patched": patched, "transport": transport}


def run(quick: bool) -> list[dict[str, Any]]:
    return [_measure(deltas) for deltas in ([1_000] if quick else [1_000, 10_000])]


def render(rows: list[dict[str, Any]]) -> str:
    return table(
        "Replay through the openai SDK vs a bare MockTransport "
        "(target: CPU ratio <= 1.05; median [min-max] of pairs)",
        [
            "deltas",
            "harness as",
            "harness cpu s",
            "harness wall s",
            "MockTransport cpu s",
            "wall s",
            "harness/mock cpu",
        ],
        [
            [
                r["deltas"],
                how,
                r[key]["a_cpu"],
                r[key]["a_wall"],
                r[key]["b_cpu"],
                r[key]["b_wall"],
                spread(r[key]),
            ]
            for r in rows
            for key, how in (("patched", "use_cassette"), ("transport", "cassette.transport()"))
        ],
    )


if __name__ == "__main__":
    print(render(run("--quick" in sys.argv)))
