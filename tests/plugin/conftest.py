"""pytester projects for the plugin tests: a conftest whose ``client`` fixture records from the
built-in emulator over HTTP on 127.0.0.1 (streams with small delays between events) when the
cassette may record, and points nowhere when it replays, so a replay that tried the network
would fail."""

from __future__ import annotations

from pathlib import Path

import hypothesis
import openai
import pytest
from openai.lib.streaming import AssistantEventHandler

import harness.emulator
import harness.playback.patches
import harness.snapshot


def _import_what_inner_sessions_use() -> None:
    """pytester forgets modules first imported inside an inner session; importing them here once
    keeps every inner session from importing (and assertion-rewriting) them again."""
    client = openai.OpenAI(api_key="sk-test-fake-warmup", base_url="http://127.0.0.1:9/v1")
    for resource in (
        client.beta.assistants,
        client.beta.threads,
        client.beta.threads.runs,
        client.beta.threads.messages,
        client.beta.threads.runs.steps,
    ):
        assert resource is not None
    # hypothesis: its pytest plugin imports it inside every inner session otherwise
    for loaded in (
        AssistantEventHandler,
        harness.emulator.Emulator,
        harness.snapshot.RunSnapshotExtension,
        harness.playback.patches.transport_patches,
        hypothesis.given,
    ):
        assert loaded is not None


_import_what_inner_sessions_use()

PROJECT_CONFTEST = '''
import os
import pathlib

import hypothesis
import openai
import pytest

from harness.emulator import Emulator, EmulatorServer, FixedClock

HITS = pathlib.Path(__file__).parent / "hits.log"
NOWHERE = "http://127.0.0.1:9/v1"
TOOL = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}}}}


class CountingEmulator(Emulator):
    def handle(self, request):
        with HITS.open("a") as log:
            log.write(f"{request.method} {request.path}\\n")
        return super().handle(request)


def _emulator():
    return CountingEmulator(
        scenario=os.environ.get("EMULATOR_SCENARIO", "tool-call"),
        seed=int(os.environ.get("EMULATOR_SEED", "1")),
        clock=FixedClock(float(os.environ.get("EMULATOR_CLOCK", FixedClock.DEFAULT_START))),
    )


@pytest.fixture
def client(run_cassette):
    if run_cassette.write_protected:
        yield openai.OpenAI(api_key="sk-test-fake-key", base_url=NOWHERE, max_retries=0)
        return
    with EmulatorServer(_emulator()) as server:
        yield openai.OpenAI(api_key="sk-test-fake-key", base_url=server.base_url, max_retries=0)


@pytest.fixture
def converse(client):
    """Stream a run, answer its tool calls, stream the rest; return the reply text."""

    def run(question="Weather in Paris?"):
        assistant = client.beta.assistants.create(model="gpt-4o", tools=[TOOL])
        thread = client.beta.threads.create(messages=[{"role": "user", "content": question}])
        with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
            stream.until_done()
            text = "".join(stream.text_deltas)
            run = stream.current_run
        while run.status == "requires_action":
            outputs = [{"tool_call_id": call.id, "output": "18C and sunny"}
                       for call in run.required_action.submit_tool_outputs.tool_calls]
            with client.beta.threads.runs.submit_tool_outputs_stream(
                    thread_id=thread.id, run_id=run.id, tool_outputs=outputs) as stream:
                text += "".join(stream.text_deltas)
                run = stream.current_run
        return text

    return run
'''

PROJECT_INI = """
[pytest]
filterwarnings =
    ignore::DeprecationWarning
"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A fresh project using the plugin (installed, so loaded through its entry point); CI unset,
    and not taken for an xdist worker when this suite itself runs under xdist."""
    for name in ("CI", "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)
    pytester.makeconftest(PROJECT_CONFTEST)
    pytester.makeini(PROJECT_INI)
    return pytester


def hits(project: pytest.Pytester) -> list[str]:
    """Requests the emulator answered (the network was used) since the last call."""
    log = Path(project.path) / "hits.log"
    if not log.exists():
        return []
    lines = log.read_text().splitlines()
    log.unlink()
    return lines


def cassettes(project: pytest.Pytester) -> list[str]:
    return sorted(str(path.relative_to(project.path)) for path in Path(project.path).rglob("*.json"))
