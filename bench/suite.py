"""A suite of replayed tests: the harness plugin vs pytest-recording with plain vcrpy cassettes,
and the harness suite under ``pytest -n 2`` vs ``-n 0``.

Both suites are the same parametrized test (the openai SDK holding a tool-calling
conversation: four requests, two streamed runs) with one cassette per test, recorded
once from the emulator on loopback and then replayed offline. Only the replay sessions
are measured, each a fresh process, A B A B over the pairs after one warm-up of each:
CPU time of the child with wall time beside it, and the median pairwise ratio with its
min-max.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from common import PAIRED_HEADER, paired, paired_cells, process_cost, table  # noqa: E402

from harness.emulator import Emulator, EmulatorServer, FixedClock  # noqa: E402

# One tool-calling conversation per test: create an assistant and a thread, stream the run to its
# tool call, submit the output and stream the rest (four requests, two of them streams).
TEST_MODULE = """
import os
import warnings

import openai
import pytest

warnings.simplefilter("ignore", DeprecationWarning)
client = openai.OpenAI(api_key="sk-test-fake-suite-key", base_url=os.environ["SUITE_BASE_URL"], max_retries=0)
TOOL = {{"type": "function", "function": {{"name": "get_weather", "parameters": {{"type": "object"}}}}}}


@pytest.mark.parametrize("number", range({tests}))
@pytest.mark.{marker}
def test_conversation(number):
    metadata = {{"scenario": "tool-call"}}
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[TOOL], metadata=metadata)
    thread = client.beta.threads.create(messages=[{{"role": "user", "content": "Weather in Paris?"}}])
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
        run = stream.current_run
    while run.status == "requires_action":
        calls = run.required_action.submit_tool_outputs.tool_calls
        outputs = [{{"tool_call_id": call.id, "output": "18C"}} for call in calls]
        with client.beta.threads.runs.submit_tool_outputs_stream(
            thread_id=thread.id, run_id=run.id, tool_outputs=outputs
        ) as stream:
            stream.until_done()
            run = stream.current_run
    assert run.status == "completed"
"""


def _emulator() -> Emulator:
    return Emulator(scenario="tool-call", seed=1, clock=FixedClock(), event_delay=0.0)


HARNESS = ("run_cassette", ["-p", "no:recording"], "--run-record-mode")
RECORDING = ("vcr", ["-p", "no:run_harness"], "--record-mode")


def _command(plugin: tuple[str, list[str], str], mode: str, workers: int = 0) -> list[str]:
    _, disable, option = plugin
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *disable, f"{option}={mode}"]
    command += ["-W", "ignore::DeprecationWarning"]
    return command + (["-n", str(workers)] if workers else [])


def _session(
    folder: Path, plugin: tuple[str, list[str], str], mode: str, base_url: str, workers: int = 0
) -> tuple[float, float]:
    environment = {"PATH": "", "SUITE_BASE_URL": base_url, "HOME": str(folder)}
    return process_cost(_command(plugin, mode, workers), cwd=folder, env=environment)


def _suite(folder: Path, plugin: tuple[str, list[str], str], tests: int) -> Path:
    folder.mkdir()
    (folder / "test_suite.py").write_text(TEST_MODULE.format(tests=tests, marker=plugin[0]))
    return folder


def run(quick: bool) -> list[dict[str, Any]]:
    tests = 50 if quick else 200
    pairs = 3 if quick else 5
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary)
        harness_suite = _suite(base / "harness", HARNESS, tests)
        recording_suite = _suite(base / "recording", RECORDING, tests)
        with EmulatorServer(_emulator()) as server:
            _session(harness_suite, HARNESS, "once", server.base_url)
            _session(recording_suite, RECORDING, "once", server.base_url)
        offline = server.base_url  # stopped now; the same URL, since vcrpy matches on host and port
        against_recording = paired(
            lambda: _session(harness_suite, HARNESS, "none", offline),
            lambda: _session(recording_suite, RECORDING, "none", offline),
            pairs,
        )
        parallel = paired(
            lambda: _session(harness_suite, HARNESS, "none", offline, workers=2),
            lambda: _session(harness_suite, HARNESS, "none", offline),
            pairs,
        )
    return [
        {"suite": f"{tests} replayed tests", "other": "pytest-recording", **against_recording},
        {"suite": f"{tests} replayed tests, harness -n 2", "other": "same, -n 0", **parallel},
    ]


def render(rows: list[dict[str, Any]]) -> str:
    return table(
        "Suite of replayed conversations (target: harness/pytest-recording CPU <= 0.83, i.e. >= 1.2x faster)",
        ["suite", *PAIRED_HEADER],
        [[r["suite"], *paired_cells(r, "harness", r["other"])] for r in rows],
    )


if __name__ == "__main__":
    print(render(run("--quick" in sys.argv)))
