"""A suite of replayed tests: the harness plugin vs pytest-recording with plain vcrpy cassettes,
both against a floor with no recorder at all, and the harness suite under ``pytest -n 2`` vs
``-n 0``.

The suites are the same parametrized test (the openai SDK holding a tool-calling
conversation: four requests, two streamed runs) with one cassette per test, recorded
once from the emulator on loopback and then replayed offline. The floor runs the same test
with neither plugin: a ``conftest.py`` reads each test's harness cassette with ``json.loads``
at set-up and a monkeypatched ``HTTPTransport`` hands the SDK the recorded responses in their
recorded chunks, with no matching, scrubbing or checks. It is what any recorder's session costs
at the least, so ``floor / pytest-recording`` bounds the ratio a recorder can reach here.
Only the replay sessions are measured, each a fresh process, A B C A B C over the rounds after
one warm-up of each: CPU time of the child with wall time beside it, and the median pairwise
ratio with its min-max.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from common import (  # noqa: E402
    PAIRED_HEADER,
    compared,
    interleaved,
    paired,
    paired_cells,
    process_cost,
    table,
)

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


# The floor: each test's recorded responses, in their recorded chunks, straight to the SDK.
FLOOR_CONFTEST = """
import importlib
import itertools
import json
from pathlib import Path

import pytest

CASSETTES = Path(__file__).resolve().parent.parent / "harness" / "cassettes" / "test_suite"


def pytest_configure(config):
    config.addinivalue_line("markers", "floor: replayed by the floor's transport")


def recorded_responses(path):
    \"\"\"(status, headers, chunks) of each exchange of a harness cassette (text bodies only).\"\"\"
    responses = []
    for exchange in json.loads(path.read_bytes())["exchanges"]:
        response = exchange["response"]
        stream = response.get("stream")
        if stream is None:
            chunks = [response["body"].encode()]
        else:
            body = "".join(stream["events"]).encode()
            ends = list(itertools.accumulate(stream["chunk_sizes"]))
            chunks = [body[start:end] for start, end in zip([0, *ends], ends)]
        responses.append((response["status"], [tuple(pair) for pair in response["headers"]], chunks))
    return responses


@pytest.fixture(autouse=True)
def _floor(request, monkeypatch):
    waiting = recorded_responses(CASSETTES / f"{request.node.name}.json")
    for name in ("httpx", "httpx2"):  # whichever the installed SDK sends with
        library = importlib.import_module(name)
        monkeypatch.setattr(library.HTTPTransport, "handle_request", _handler(library, waiting))


STREAM_CLASSES = {}


def _handler(library, waiting):
    if library not in STREAM_CLASSES:

        class Chunks(library.SyncByteStream):
            def __init__(self, chunks):
                self.chunks = chunks

            def __iter__(self):
                return iter(self.chunks)

        STREAM_CLASSES[library] = Chunks
    chunks_class = STREAM_CLASSES[library]

    def handle_request(transport, outgoing):
        status, headers, chunks = waiting.pop(0)
        return library.Response(status, headers=headers, stream=chunks_class(chunks), request=outgoing)

    return handle_request
"""


def _emulator() -> Emulator:
    return Emulator(scenario="tool-call", seed=1, clock=FixedClock(), event_delay=0.0)


HARNESS = ("run_cassette", ["-p", "no:recording"], "--run-record-mode")
RECORDING = ("vcr", ["-p", "no:run_harness"], "--record-mode")
FLOOR = ("floor", ["-p", "no:run_harness", "-p", "no:recording"], "")


def _command(plugin: tuple[str, list[str], str], mode: str, workers: int = 0) -> list[str]:
    _, disable, option = plugin
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *disable]
    command += [f"{option}={mode}"] if option else []
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
        floor_suite = _suite(base / "floor", FLOOR, tests)
        (floor_suite / "conftest.py").write_text(FLOOR_CONFTEST)
        with EmulatorServer(_emulator()) as server:
            _session(harness_suite, HARNESS, "once", server.base_url)
            _session(recording_suite, RECORDING, "once", server.base_url)
        offline = server.base_url  # stopped now; the same URL, since vcrpy matches on host and port
        runs = interleaved(
            {
                "harness": lambda: _session(harness_suite, HARNESS, "none", offline),
                "recording": lambda: _session(recording_suite, RECORDING, "none", offline),
                "floor": lambda: _session(floor_suite, FLOOR, "", offline),
            },
            pairs,
        )
        parallel = paired(
            lambda: _session(harness_suite, HARNESS, "none", offline, workers=2),
            lambda: _session(harness_suite, HARNESS, "none", offline),
            pairs,
        )
    return [
        {
            "suite": f"{tests} replayed tests",
            "a": "harness",
            "b": "pytest-recording",
            "tests": tests,
            **compared(runs["harness"], runs["recording"]),
        },
        {
            "suite": f"{tests} replayed tests",
            "a": "floor (no recorder)",
            "b": "pytest-recording",
            "tests": tests,
            **compared(runs["floor"], runs["recording"]),
        },
        {
            "suite": f"{tests} replayed tests",
            "a": "harness",
            "b": "floor (no recorder)",
            "tests": tests,
            **compared(runs["harness"], runs["floor"]),
        },
        {
            "suite": f"{tests} replayed tests, -n 2",
            "a": "harness",
            "b": "harness -n 0",
            "tests": tests,
            **parallel,
        },
    ]


def render(rows: list[dict[str, Any]]) -> str:
    over_floor = next(r for r in rows if r["b"] == "floor (no recorder)")
    per_test = (over_floor["a_cpu"] - over_floor["b_cpu"]) / over_floor["tests"] * 1000
    return (
        table(
            "Suite of replayed conversations "
            "(target: harness/pytest-recording CPU <= 0.83, i.e. >= 1.2x faster)",
            ["suite", *PAIRED_HEADER],
            [[r["suite"], *paired_cells(r, r["a"], r["b"])] for r in rows],
        )
        + f"\n\nThe harness over the floor: {per_test:.2f} ms CPU a test (medians of the sessions)."
    )


if __name__ == "__main__":
    print(render(run("--quick" in sys.argv)))
