"""Loading a cassette that holds a 100k-delta stream: the harness format vs vcrpy's YAML.

vcrpy's cassette holds the same stream as one body string (its usual layout);
both are loaded through their library's own loader, side by side.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from vcr.persisters.filesystem import FilesystemPersister
from vcr.request import Request
from vcr.serialize import serialize
from vcr.serializers import yamlserializer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, table, write_stream_cassette
from reconstruct import stream_body

from harness.cassette import load_cassette

URL = "https://api.openai.com/v1/threads/thread_bench/runs"


def write_both(folder: Path, deltas: int) -> tuple[Path, Path]:
    body = stream_body(deltas)
    chunks = [body[start : start + 4096] for start in range(0, len(body), 4096)]
    ours = folder / "harness.json"
    write_stream_cassette(ours, URL, b'{"stream": true}', chunks, gap=0.001)
    theirs = folder / "vcrpy.yaml"
    vcr_response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {"content-type": ["text/event-stream"]},
        "body": {"string": body.decode()},
    }
    text = serialize(
        {"requests": [Request("POST", URL, '{"stream": true}', {})], "responses": [vcr_response]},
        yamlserializer,
    )
    theirs.write_text(text)
    return ours, theirs


def run(quick: bool) -> list[dict[str, Any]]:
    deltas = 20_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as folder:
        ours, theirs = write_both(Path(folder), deltas)
        harness_seconds = best_of(lambda: load_cassette(ours))
        vcrpy_seconds = best_of(lambda: FilesystemPersister.load_cassette(theirs, yamlserializer))
        return [
            {
                "deltas": deltas,
                "harness_s": harness_seconds,
                "vcrpy_yaml_s": vcrpy_seconds,
                "ratio": harness_seconds / vcrpy_seconds,
                "harness_mb": ours.stat().st_size / 1e6,
                "vcrpy_mb": theirs.stat().st_size / 1e6,
            }
        ]


def render(rows: list[dict[str, Any]]) -> str:
    return table(
        "Cassette load (target: ratio <= 1.0)",
        ["deltas", "harness s", "vcrpy YAML s", "ratio", "harness MB", "vcrpy MB"],
        [
            [r["deltas"], r["harness_s"], r["vcrpy_yaml_s"], r["ratio"], r["harness_mb"], r["vcrpy_mb"]]
            for r in rows
        ],
    )


if __name__ == "__main__":
    print(render(run("--quick" in sys.argv)))
