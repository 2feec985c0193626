"""``harness inspect --format json`` as a user runs it: whole processes, side by side.

Run ``python bench/inspect_process.py [--quick]`` (or ``python bench/run.py --only inspect_process``).
Each comparison runs the two commands in A B A B order (the order flips every pair) on the same
file, for at least 5 pairs, and reports CPU time (user + system of the child, which is what the
machine's other load disturbs least) with wall time beside it, and the median pairwise ratio with
its min-max. Every process runs once before timing, so all of them start warm (files cached).

* ``harness``: ``harness inspect FILE --format json``, output to /dev/null.
* ``sdk``: a script feeding the same bytes through the openai SDK's ``AssistantEventHandler``
  (``client.beta.threads.runs.stream`` over an ``httpx2.MockTransport``) and printing the final
  messages as JSON.
* ``json``: a bare script doing the same job by hand: read the event names and ``data:`` lines,
  ``json.loads`` each, join the message text, print the same JSON shape.

Also: 1M deltas against 100k, as processes and in-process (decode + fold), and the peak memory of
``inspect`` at 1M against the file's size.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from common import table
from reconstruct import harness_decode_and_reconstruct, stream_body

HERE = Path(__file__).resolve().parent
_SCRIPT = Path(sys.executable).with_name("harness")
HARNESS = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "harness.cli"]

SDK_SCRIPT = """
import json, sys, warnings
import httpx2, openai
from openai.lib.streaming import AssistantEventHandler
body = open(sys.argv[1], "rb").read()
CHUNK = 64 * 1024
def answer(request):
    chunks = [body[start : start + CHUNK] for start in range(0, len(body), CHUNK)]
    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=chunks)
client = openai.OpenAI(api_key="sk-test-fake-bench-key", base_url="http://bench.test/v1", max_retries=0,
                       http_client=httpx2.Client(transport=httpx2.MockTransport(answer)))
handler = AssistantEventHandler()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    manager = client.beta.threads.runs.stream(thread_id="thread_bench", assistant_id="asst_bench",
                                              event_handler=handler)
with manager as stream:
    messages = stream.get_final_messages()
    run = stream.current_run
json.dump({"final_run": run.model_dump() if run else None, "messages": [m.model_dump() for m in messages]},
          sys.stdout, indent=2, ensure_ascii=False)
"""

JSON_SCRIPT = """
import json, sys
names, runs, messages, texts = [], {}, {}, {}
name = None
with open(sys.argv[1], "rb") as file:
    for line in file:
        if line.startswith(b"event: "):
            name = line[7:].rstrip(b"\\n").decode()
            names.append(name)
        elif line.startswith(b"data: {"):
            data = json.loads(line[6:])
            if name == "thread.message.delta":
                for part in data["delta"].get("content", []):
                    texts.setdefault(data["id"], []).append(part["text"]["value"])
            elif name.startswith("thread.message."):
                messages[data["id"]] = data
            elif name.startswith("thread.run."):
                runs[data["id"]] = data
for message_id, pieces in texts.items():
    message = messages[message_id]
    if not message["content"]:
        message["content"] = [{"type": "text", "text": {"value": "".join(pieces), "annotations": []}}]
final = list(runs.values())[-1] if runs else None
json.dump({"events": names, "final_run": final, "runs": list(runs.values()), "run_steps": [],
           "messages": list(messages.values()), "diagnostics": []}, sys.stdout, indent=2, ensure_ascii=False)
"""


# Children write bytecode caches as a user's interpreter does (a test run may have turned it off).
_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
# Peak memory is read by a small launcher: a child forked from this (large) process would count
# this process's pages in its peak until it execs.
_PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)"
)


def peak_memory(command: list[str]) -> int:
    """Peak resident memory of ``command``, in bytes."""
    done = subprocess.run([sys.executable, "-c", _PEAK, *command], capture_output=True, env=_ENV, check=True)
    return int(done.stdout)


def _timed(command: list[str]) -> tuple[float, float, int]:
    """CPU seconds (user + system), wall seconds and peak RSS in bytes of one child process."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE, env=_ENV)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if status != 0:
        raise RuntimeError(f"{command} failed ({status}): {stderr[-400:]}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss * 1024


def compare(first: list[str], second: list[str], pairs: int) -> dict[str, Any]:
    """A B A B ... (the order flips each pair); ratios are second/first per pair."""
    _timed(first), _timed(second)  # warm: files cached, bytecode compiled
    cpu_a: list[float] = []
    cpu_b: list[float] = []
    wall_a: list[float] = []
    wall_b: list[float] = []
    for pair in range(pairs):
        order = [(first, cpu_a, wall_a), (second, cpu_b, wall_b)]
        for command, cpus, walls in order if pair % 2 == 0 else reversed(order):
            cpu, wall, _ = _timed(command)
            cpus.append(cpu)
            walls.append(wall)
    ratios = [b / a for a, b in zip(cpu_a, cpu_b, strict=True)]
    wall_ratios = [b / a for a, b in zip(wall_a, wall_b, strict=True)]
    return {
        "a_cpu": statistics.median(cpu_a),
        "b_cpu": statistics.median(cpu_b),
        "a_wall": statistics.median(wall_a),
        "b_wall": statistics.median(wall_b),
        "ratio": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "wall_ratio": statistics.median(wall_ratios),
    }


def _in_process(function: Callable[[], Any]) -> float:
    gc.collect()
    started = time.process_time()
    function()
    return time.process_time() - started


def in_process_scaling(small: bytes, big: bytes, pairs: int) -> dict[str, Any]:
    ratios: list[float] = []
    for pair in range(pairs):
        runs = [small, big] if pair % 2 == 0 else [big, small]
        seconds = {len(body): _in_process(partial(harness_decode_and_reconstruct, body)) for body in runs}
        ratios.append(seconds[len(big)] / seconds[len(small)])
    return {"ratio": statistics.median(ratios), "ratio_min": min(ratios), "ratio_max": max(ratios)}


def run(quick: bool) -> list[dict[str, Any]]:
    pairs = 5
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        scripts = Path(folder)
        (scripts / "sdk.py").write_text(SDK_SCRIPT)
        (scripts / "json_by_hand.py").write_text(JSON_SCRIPT)
        sizes = [10_000, 100_000] if quick else [100_000, 1_000_000]
        files = {}
        for deltas in sizes:
            files[deltas] = scripts / f"{deltas}.sse"
            files[deltas].write_bytes(stream_body(deltas))
        small, big = sizes
        inspect = {
            deltas: [*HARNESS, "inspect", str(path), "--format", "json"] for deltas, path in files.items()
        }
        sdk = [sys.executable, str(scripts / "sdk.py"), str(files[small])]
        by_hand = [sys.executable, str(scripts / "json_by_hand.py"), str(files[small])]
        rows.append(
            {
                "what": f"SDK process / harness inspect, {small:,} deltas",
                **compare(inspect[small], sdk, pairs),
            }
        )
        rows.append(
            {
                "what": f"json.loads script / harness inspect, {small:,} deltas",
                **compare(inspect[small], by_hand, pairs),
            }
        )
        rows.append(
            {
                "what": f"harness inspect {big:,} / {small:,} deltas",
                **compare(inspect[small], inspect[big], pairs),
            }
        )
        scaling = in_process_scaling(files[small].read_bytes(), files[big].read_bytes(), pairs)
        rows.append({"what": f"in-process decode + fold {big:,} / {small:,} deltas", **scaling})
        peak = peak_memory(inspect[big])
        size = files[big].stat().st_size
        rows.append(
            {
                "what": f"peak memory of inspect, {big:,} deltas",
                "peak_mb": peak / 1e6,
                "file_mb": size / 1e6,
                "ratio": peak / size,
            }
        )
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    timed = [row for row in rows if "a_cpu" in row]
    text = table(
        "harness inspect --format json as a process (targets: SDK/harness >= 20; json/harness >= 1; "
        "1M/100k <= 11)",
        [
            "comparison",
            "A cpu s",
            "B cpu s",
            "B/A cpu (median)",
            "min-max",
            "A wall s",
            "B wall s",
            "B/A wall",
        ],
        [
            [
                r["what"],
                r["a_cpu"],
                r["b_cpu"],
                r["ratio"],
                f"{r['ratio_min']:.3g}-{r['ratio_max']:.3g}",
                r["a_wall"],
                r["b_wall"],
                r["wall_ratio"],
            ]
            for r in timed
        ],
    )
    for row in rows:
        if "a_cpu" not in row and "peak_mb" not in row:
            spread = f"{row['ratio_min']:.3g}-{row['ratio_max']:.3g}"
            text += f"\n\n{row['what']}: CPU ratio {row['ratio']:.3g} (min-max {spread}; target <= 11)"
        elif "peak_mb" in row:
            sizes = f"{row['peak_mb']:.0f} MB for a {row['file_mb']:.0f} MB file"
            text += f"\n\n{row['what']}: {sizes} ({row['ratio']:.2f}x; target <= 2)"
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k deltas instead of 100k and 1M")
    print(render(run(parser.parse_args().quick)))
