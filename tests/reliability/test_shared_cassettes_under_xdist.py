"""Eight xdist workers recording into, then replaying from, one shared set of cassettes.

Every worker records the same conversations (the emulator is deterministic for a
seed and a fixed clock), all at once, into four shared cassette files. Writes are
atomic, so whichever worker writes last, each file is a complete cassette; the
second session replays every test from them with recording forbidden (CI=true).
"""

from __future__ import annotations

import sys

import pytest

from harness.cassette import load_cassette

WORKERS = 8
TESTS = 32
CASSETTES = 4

TEST_MODULE = f"""
import openai
import pytest

from harness import use_cassette
from harness.emulator import Emulator, EmulatorServer, FixedClock

SCENARIOS = ["text", "tool-call", "annotations", "unicode"]


@pytest.fixture(scope="session")
def base_url():
    with EmulatorServer(Emulator(seed=11, clock=FixedClock(), event_delay=0)) as server:
        yield server.base_url


@pytest.mark.parametrize("number", range({TESTS}))
def test_conversation(base_url, number):
    scenario = SCENARIOS[number % {CASSETTES}]
    with use_cassette(f"shared/{{scenario}}.json", allow_playback_repeats=True):
        client = openai.OpenAI(api_key="sk-test-fake-xdist-key", base_url=base_url, max_retries=0)
        assistant = client.beta.assistants.create(model="gpt-4o", metadata={{"emulator_scenario": scenario}})
        thread = client.beta.threads.create(messages=[{{"role": "user", "content": "hello"}}])
        with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
            stream.until_done()
            run = stream.get_final_run()
    assert run.status in ("completed", "requires_action")
"""


def test_eight_workers_record_and_replay_a_shared_cassette_set(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_shared=TEST_MODULE)
    monkeypatch.delenv("CI", raising=False)
    session = (sys.executable, "-m", "pytest", "-n", str(WORKERS), "-q", "-p", "no:cacheprovider")
    recording = pytester.run(*session, timeout=240)
    assert recording.ret == 0, recording.stdout.str()[-3000:]
    files = sorted((pytester.path / "shared").glob("*.json"))
    assert [path.name for path in files] == [
        "annotations.json",
        "text.json",
        "tool-call.json",
        "unicode.json",
    ]
    for path in files:
        cassette = load_cassette(path)  # complete and valid: no torn or mixed writes
        assert cassette.streams and all(stream.cut is None for stream in cassette.streams)
    assert not list((pytester.path / "shared").glob(".*.tmp"))
    monkeypatch.setenv("CI", "true")
    replay = pytester.run(*session, timeout=240)
    assert replay.ret == 0, replay.stdout.str()[-3000:]
    assert f"{TESTS} passed" in replay.stdout.str()
