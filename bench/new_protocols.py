"""Responses and Chat reconstruction as whole processes: the harness vs openai-python's accumulator.

Run ``python bench/new_protocols.py [--quick] [--pairs N]``. Each measurement is one fresh Python
process that imports its library, reads the same body file, decodes it and folds it: the harness
(``harness.protocols`` folds) against the SDK (``client.responses.stream`` / ``client.chat.completions
.stream`` over an ``httpx2.MockTransport`` serving the same bytes in 64 KiB chunks, so the SDK's own
SSE decoder and ``ResponseStreamState`` / ``ChatCompletionStreamState`` run). Both sides get one
unmeasured warm-up run (page cache, bytecode), then harness and SDK alternate, A B A B, for
``--pairs`` pairs; CPU time (user + system of the child) is the figure, wall time is shown beside it.
The ratio is the median of the pairwise SDK/harness CPU ratios, with their min and max.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import table

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 64 * 1024

HARNESS = """
import sys
from harness.sse import iter_sse
from harness.protocols.{module} import {function}
path = sys.argv[1]
def chunks():
    with open(path, "rb") as file:
        while piece := file.read({chunk}):
            yield piece
transcript = {function}([iter_sse(chunks())])
assert not transcript.diagnostics, transcript.diagnostics[:3]
"""

SDK = """
import sys, httpx2, openai
body = open(sys.argv[1], "rb").read()
def answer(request):
    pieces = [body[i : i + {chunk}] for i in range(0, len(body), {chunk})]
    return httpx2.Response(200, headers={{"content-type": "text/event-stream"}}, content=pieces)
client = openai.OpenAI(api_key="sk-test-fake-bench-key", base_url="http://bench.test/v1", max_retries=0,
                       http_client=httpx2.Client(transport=httpx2.MockTransport(answer)))
{call}
"""
SDK_CALLS = {
    "responses": (
        'with client.responses.stream(model="m", input="hi") as stream:\n'
        "    final = stream.get_final_response()"
    ),
    "chat": (
        'with client.chat.completions.stream(model="m", messages=[{"role": "user", "content": "hi"}]) as s:\n'
        "    final = s.get_final_completion()"
    ),
}
FOLDS = {"responses": ("responses_fold", "fold_responses"), "chat": ("chat_fold", "fold_chat")}


def responses_body(deltas: int) -> bytes:
    def event(payload: dict[str, Any]) -> str:
        return f"event: {payload['type']}\ndata: {json.dumps(payload, separators=(',', ':'))}\n\n"

    response = {
        "id": "resp_bench",
        "object": "response",
        "created_at": 1,
        "status": "in_progress",
        "output": [],
    }
    item = {"id": "msg_bench", "type": "message", "status": "in_progress", "content": [], "role": "assistant"}
    where = {"item_id": "msg_bench", "output_index": 0, "content_index": 0}
    parts = [
        event({"type": "response.created", "sequence_number": 0, "response": response}),
        event({"type": "response.output_item.added", "sequence_number": 1, "output_index": 0, "item": item}),
        event(
            {
                "type": "response.content_part.added",
                "sequence_number": 2,
                **where,
                "part": {"type": "output_text", "annotations": [], "text": ""},
            }
        ),
    ]
    pieces = [f" word{n}" if n % 5 else f" W\u00f6rd{n}," for n in range(deltas)]
    for n, piece in enumerate(pieces):
        parts.append(
            event(
                {
                    "type": "response.output_text.delta",
                    "sequence_number": 3 + n,
                    **where,
                    "delta": piece,
                    "logprobs": [],
                    "obfuscation": "abcdef",
                }
            )
        )
    text = "".join(pieces)
    done_part = {"type": "output_text", "annotations": [], "text": text}
    done_item = {**item, "status": "completed", "content": [done_part]}
    seq = 3 + deltas
    parts.append(event({"type": "response.output_text.done", "sequence_number": seq, **where, "text": text}))
    parts.append(
        event(
            {
                "type": "response.output_item.done",
                "sequence_number": seq + 1,
                "output_index": 0,
                "item": done_item,
            }
        )
    )
    final = {**response, "status": "completed", "output": [done_item]}
    parts.append(event({"type": "response.completed", "sequence_number": seq + 2, "response": final}))
    return "".join(parts).encode()


def chat_body(chunks: int) -> bytes:
    def line(delta: dict[str, Any], finish: str | None = None) -> str:
        payload = {
            "id": "chatcmpl-bench",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
            "usage": None,
            "obfuscation": "abc",
        }
        return f"data: {json.dumps(payload, separators=(',', ':'))}\n\n"

    parts = [line({"role": "assistant", "content": ""})]
    parts.extend(line({"content": f" word{n}" if n % 5 else f" W\u00f6rd{n},"}) for n in range(chunks))
    parts.append(line({}, "stop"))
    parts.append("data: [DONE]\n\n")
    return "".join(parts).encode()


def measure(script: str, path: Path) -> tuple[float, float]:
    """CPU seconds (user + system of the child) and wall seconds of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"benchmark process failed: {script[:80]!r}")
    return usage.ru_utime + usage.ru_stime, wall


def compare(kind: str, size: int, pairs: int, folder: Path) -> dict[str, Any]:
    body = responses_body(size) if kind == "responses" else chat_body(size)
    path = folder / f"{kind}-{size}.sse"
    path.write_bytes(body)
    module, function = FOLDS[kind]
    harness = HARNESS.format(module=module, function=function, chunk=CHUNK)
    sdk = SDK.format(chunk=CHUNK, call=SDK_CALLS[kind])
    measure(harness, path)
    measure(sdk, path)
    ours, theirs = [], []
    for _ in range(pairs):
        ours.append(measure(harness, path))
        theirs.append(measure(sdk, path))
    ratios = [their[0] / our[0] for our, their in zip(ours, theirs, strict=True)]
    return {
        "kind": kind,
        "size": size,
        "mb": len(body) / 1e6,
        "harness_cpu": statistics.median(cpu for cpu, _ in ours),
        "harness_wall": statistics.median(wall for _, wall in ours),
        "sdk_cpu": statistics.median(cpu for cpu, _ in theirs),
        "sdk_wall": statistics.median(wall for _, wall in theirs),
        "ratio": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
    }


def scaling(kind: str, sizes: list[int], pairs: int, folder: Path) -> dict[str, Any]:
    """Harness-only CPU time at each size (median of ``pairs`` runs), to check the fold stays linear."""
    module, function = FOLDS[kind]
    harness = HARNESS.format(module=module, function=function, chunk=CHUNK)
    times = []
    for size in sizes:
        path = folder / f"{kind}-{size}.sse"
        path.write_bytes(responses_body(size) if kind == "responses" else chat_body(size))
        measure(harness, path)
        times.append(statistics.median(measure(harness, path)[0] for _ in range(pairs)))
    return {"kind": kind, "sizes": sizes, "cpu": times}


def run(quick: bool, pairs: int = 5, kinds: tuple[str, ...] = ("responses", "chat")) -> list[dict[str, Any]]:
    size = 10_000 if quick else 100_000
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        for kind in kinds:
            rows.append(compare(kind, size, pairs, folder))
            print(f"({kind} {size}: SDK/harness {rows[-1]['ratio']:.1f})", file=sys.stderr, flush=True)
        sizes = [10_000, 100_000] if quick else [100_000, 1_000_000]
        for kind in kinds:
            rows.append(scaling(kind, sizes, 3, folder))
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    pairs = [row for row in rows if "ratio" in row]
    scales = [row for row in rows if "cpu" in row]
    text = table(
        "Responses and Chat reconstruction, whole processes (target: SDK/harness CPU >= 20x at 100k)",
        [
            "stream",
            "events",
            "MB",
            "harness CPU s",
            "harness wall s",
            "SDK CPU s",
            "SDK wall s",
            "SDK/harness CPU (median, min-max)",
        ],
        [
            [
                r["kind"],
                r["size"],
                r["mb"],
                r["harness_cpu"],
                r["harness_wall"],
                r["sdk_cpu"],
                r["sdk_wall"],
                f"{r['ratio']:.1f} ({r['ratio_min']:.1f}-{r['ratio_max']:.1f})",
            ]
            for r in pairs
        ],
    )
    lines = []
    for r in scales:
        small, big = r["sizes"]
        lines.append(
            f"{r['kind']}: harness CPU {r['cpu'][0]:.3g} s at {small}, {r['cpu'][1]:.3g} s at {big}: "
            f"x{r['cpu'][1] / r['cpu'][0]:.2f} for x{big // small} events (process start-up included)"
        )
    return text + "\n\n" + "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10k events instead of 100k")
    parser.add_argument("--pairs", type=int, default=5, help="A B pairs per comparison (default 5)")
    parser.add_argument("--kinds", nargs="*", choices=("responses", "chat"), default=["responses", "chat"])
    options = parser.parse_args()
    print(render(run(options.quick, options.pairs, tuple(options.kinds))))
