"""A suite of replayed tests: the harness plugin vs pytest-recording with plain vcrpy cassettes,
and the harness suite under ``pytest -n 2`` vs ``-n 0``.

Both suites are the same parametrized test (the openai SDK consuming a streamed
run) with one small cassette per test, recorded once from a local server and then
replayed offline; only the replay sessions are timed, each in a fresh process.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from common import table  # noqa: E402

from tests.support.scripted_server import ScriptedServer, sse_answer  # noqa: E402

BODY = (ROOT / "cassettes" / "real" / "020-simple-openai-v2-submit-tool-outputs.sse").read_bytes()

TEST_MODULE = """
import os

import openai
import pytest

client = openai.OpenAI(api_key="sk-test-fake-suite-key", base_url=os.environ["SUITE_BASE_URL"], max_retries=0)


@pytest.mark.parametrize("number", range({tests}))
@pytest.mark.{marker}
def test_streamed_run(number):
    stream = client.beta.threads.runs.create(thread_id="thread_suite", assistant_id="asst_suite", stream=True)
    assert [event.event for event in stream][-1] == "thread.run.completed"
"""

HARNESS = ("run_cassette", ["-p", "no:recording"], "--run-record-mode")
RECORDING = ("vcr", ["-p", "no:run_harness"], "--record-mode")


def _session(
    folder: Path, plugin: tuple[str, list[str], str], mode: str, base_url: str, workers: int = 0
) -> float:
    _, disable, option = plugin
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *disable,
        f"{option}={mode}",
        "-W",
        "ignore::DeprecationWarning",
    ]
    if workers:
        command += ["-n", str(workers)]
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=folder,
        capture_output=True,
        text=True,
        env={"PATH": "", "SUITE_BASE_URL": base_url, "HOME": str(folder)},
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(
            f"{plugin[0]} suite failed ({mode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return elapsed


def _suite(folder: Path, plugin: tuple[str, list[str], str], tests: int) -> Path:
    folder.mkdir()
    (folder / "test_suite.py").write_text(TEST_MODULE.format(tests=tests, marker=plugin[0]))
    return folder


def run(quick: bool) -> list[dict[str, Any]]:
    tests = 100 if quick else 500
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary)
        harness_suite = _suite(base / "harness", HARNESS, tests)
        recording_suite = _suite(base / "recording", RECORDING, tests)
        with ScriptedServer(lambda method, path, body: sse_answer(BODY)) as server:
            _session(harness_suite, HARNESS, "once", server.base_url)
            _session(recording_suite, RECORDING, "once", server.base_url)
        offline = server.base_url  # stopped now; the same URL, since vcrpy matches on host and port
        harness_seconds = min(_session(harness_suite, HARNESS, "none", offline) for _ in range(2))
        recording_seconds = min(_session(recording_suite, RECORDING, "none", offline) for _ in range(2))
        parallel_seconds = min(_session(harness_suite, HARNESS, "none", offline, workers=2) for _ in range(2))
    rows.append(
        {
            "suite": f"{tests} replayed tests",
            "harness_s": harness_seconds,
            "other": "pytest-recording",
            "other_s": recording_seconds,
            "ratio": harness_seconds / recording_seconds,
        }
    )
    rows.append(
        {
            "suite": f"{tests} replayed tests, harness",
            "harness_s": parallel_seconds,
            "other": "same, -n 0",
            "other_s": harness_seconds,
            "ratio": parallel_seconds / harness_seconds,
        }
    )
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    return table(
        "Suite wall time (targets: harness / pytest-recording <= 1.0; -n 2 faster than -n 0)",
        ["suite", "harness s", "compared with", "their s", "ratio"],
        [[r["suite"], r["harness_s"], r["other"], r["other_s"], r["ratio"]] for r in rows],
    )


if __name__ == "__main__":
    print(render(run("--quick" in sys.argv)))
