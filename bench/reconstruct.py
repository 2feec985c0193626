"""Reconstruction speed: decode + reconstruct vs the openai SDK's accumulator vs a bare ``json.loads`` floor.

Run ``python bench/reconstruct.py [--quick]``. Every row is measured side by side in one process on
the same bytes: a run stream with N text deltas of one message (the shape of the real corpus).
"""

from __future__ import annotations

import argparse
import gc
import json
import time
import warnings
from collections.abc import Callable
from typing import Any

from common import table

from harness.reconstruct import reconstruct
from harness.sse import ServerSentEvent, encode_events, iter_sse

CHUNK = 64 * 1024
SDK_LIMIT = 100_000  # beyond this the SDK takes minutes (it re-dumps the whole message on every delta)


def _run(status: str) -> dict[str, Any]:
    return {
        "id": "run_bench",
        "object": "thread.run",
        "created_at": 1761861531,
        "assistant_id": "asst_bench",
        "thread_id": "thread_bench",
        "status": status,
        "model": "gpt-4o",
        "instructions": None,
        "tools": [],
        "metadata": {},
        "usage": None,
        "required_action": None,
        "last_error": None,
    }


def _message(status: str, text: str | None) -> dict[str, Any]:
    content = [] if text is None else [{"type": "text", "text": {"value": text, "annotations": []}}]
    return {
        "id": "msg_bench",
        "object": "thread.message",
        "created_at": 1761861531,
        "assistant_id": "asst_bench",
        "thread_id": "thread_bench",
        "run_id": "run_bench",
        "status": status,
        "incomplete_details": None,
        "incomplete_at": None,
        "completed_at": None,
        "role": "assistant",
        "content": content,
        "attachments": [],
        "metadata": {},
    }


def stream_body(deltas: int) -> bytes:
    fragments = [f" word{n}" if n % 5 else f" Wörd{n}," for n in range(deltas)]
    events = [
        ServerSentEvent(name, json.dumps(data))
        for name, data in [
            ("thread.run.created", _run("queued")),
            ("thread.run.in_progress", _run("in_progress")),
            ("thread.message.created", _message("in_progress", None)),
        ]
    ]
    first = True
    for fragment in fragments:
        text: dict[str, Any] = {"value": fragment, "annotations": []} if first else {"value": fragment}
        first = False
        events.append(
            ServerSentEvent(
                "thread.message.delta",
                json.dumps(
                    {
                        "id": "msg_bench",
                        "object": "thread.message.delta",
                        "delta": {"content": [{"index": 0, "type": "text", "text": text}]},
                    },
                    ensure_ascii=False,
                ),
            )
        )
    events.append(
        ServerSentEvent("thread.message.completed", json.dumps(_message("completed", "".join(fragments))))
    )
    events.append(ServerSentEvent("thread.run.completed", json.dumps(_run("completed"))))
    events.append(ServerSentEvent("done", "[DONE]"))
    return encode_events(events)


def data_lines(body: bytes) -> list[str]:
    return [line[6:] for line in body.decode().split("\n") if line.startswith("data: {")]


def harness_decode_and_reconstruct(body: bytes) -> Any:
    return reconstruct(iter_sse(body[start : start + CHUNK] for start in range(0, len(body), CHUNK)))


def json_floor(lines: list[str]) -> None:
    loads = json.loads
    for line in lines:
        loads(line)


def sdk_accumulate(body: bytes) -> Any:
    import httpx2
    import openai
    from openai.lib.streaming import AssistantEventHandler

    def answer(request: httpx2.Request) -> httpx2.Response:
        chunks = [body[start : start + CHUNK] for start in range(0, len(body), CHUNK)]
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=chunks)

    client = openai.OpenAI(
        api_key="sk-test-fake-bench-key",
        base_url="http://bench.test/v1",
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(answer)),
    )
    handler = AssistantEventHandler()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        manager = client.beta.threads.runs.stream(
            thread_id="thread_bench", assistant_id="asst_bench", event_handler=handler
        )
    with manager as stream:
        return stream.get_final_messages()


def best_time(function: Callable[[Any], Any], argument: Any, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        function(argument)
        best = min(best, time.perf_counter() - started)
    return best


def run(quick: bool) -> list[dict[str, Any]]:
    sizes = [1_000, 10_000, 100_000] + ([] if quick else [1_000_000])
    rows: list[dict[str, Any]] = []
    for deltas in sizes:
        body = stream_body(deltas)
        lines = data_lines(body)
        repeats = 5 if deltas <= 10_000 else 3 if deltas <= 100_000 else 2
        harness_seconds = best_time(harness_decode_and_reconstruct, body, repeats)
        floor_seconds = best_time(json_floor, lines, repeats)
        sdk_seconds = best_time(sdk_accumulate, body, 1) if deltas <= SDK_LIMIT else None
        rows.append(
            {
                "deltas": deltas,
                "bytes": len(body),
                "harness_s": harness_seconds,
                "json_floor_s": floor_seconds,
                "sdk_s": sdk_seconds,
                "harness_over_floor": harness_seconds / floor_seconds,
                "sdk_over_harness": sdk_seconds / harness_seconds if sdk_seconds else None,
            }
        )
    by_size = {row["deltas"]: row["harness_s"] for row in rows}
    for big, small in ((100_000, 10_000), (1_000_000, 100_000)):
        if big in by_size and small in by_size:
            rows.append(
                {
                    "scaling": f"{big}/{small}",
                    "harness_time_ratio": by_size[big] / by_size[small],
                    "linear_would_be": big / small,
                }
            )
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    sizes = [row for row in rows if "deltas" in row]
    scaling = [row for row in rows if "scaling" in row]
    text = table(
        "Reconstruction (targets: >= 20x faster than the SDK at 100k; <= 3x the json.loads floor)",
        ["deltas", "MB", "harness s", "json floor s", "SDK s", "harness/floor", "SDK/harness"],
        [
            [
                r["deltas"],
                r["bytes"] / 1e6,
                r["harness_s"],
                r["json_floor_s"],
                r["sdk_s"] or "-",
                r["harness_over_floor"],
                r["sdk_over_harness"] or "-",
            ]
            for r in sizes
        ],
    )
    lines = [
        f"time {r['scaling']}: {r['harness_time_ratio']:.2f} (linear: {r['linear_would_be']:g}; "
        f"target <= {1.1 * r['linear_would_be']:g})"
        for r in scaling
    ]
    return text + ("\n\n" + "\n".join(lines) if lines else "")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip N = 1M")
    print(render(run(parser.parse_args().quick)))
