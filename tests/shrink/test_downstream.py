"""``harness shrink`` as a downstream project uses it: a pytest check over the plugin's marker."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from harness import load_cassette

BUGGY_TEST = """
import os

import pytest

CASSETTE = os.environ.get("HARNESS_CASSETTE", "bug.json")


def reply_text(events):
    # the project's bug: the last piece of the reply is dropped
    deltas = [event.data.delta for event in events if event.event == "thread.message.delta"]
    return "".join(delta.content[0].text.value for delta in deltas[:-1])


@pytest.mark.run_cassette(CASSETTE)
def test_reply(run_emulator):
    client = run_emulator.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hello [deltas:5]"}])
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        events = list(stream)
        messages = stream.get_final_messages()
    assert reply_text(events) == messages[0].content[0].text.value
"""
LEAN = "-p no:cacheprovider -p no:hypothesispytest -p no:recording -p no:anyio -p no:xdist"


def test_shrink_keeps_the_assertion_failure_and_never_a_missing_request(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CI", "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "HARNESS_CASSETTE"):
        monkeypatch.delenv(name, raising=False)
    pytester.makepyfile(test_bug=BUGGY_TEST)
    pytester.makeini("[pytest]\nfilterwarnings = ignore::DeprecationWarning\n")
    pytester.runpytest_subprocess(*LEAN.split()).assert_outcomes(failed=1)  # records bug.json, fails
    recorded = Path(pytester.path) / "cassettes" / "test_bug" / "bug.json"
    check = f"{shlex.quote(sys.executable)} -m pytest test_bug.py -x -q {LEAN} --run-record-mode=none"

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "shrink",
            str(recorded),
            "--check",
            check,
            "--max-checks",
            "14",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=pytester.path,
    )

    assert done.returncode == 0, done.stderr
    # each check is a pytest run: the first few candidates (whole exchanges dropped) fail on a request
    # missing from the cassette, with pytest's exit status 1 too, and are refused
    assert "failure kept: FAILED test_bug.py::test_reply - AssertionError: assert " in done.stdout
    assert "failed another way and were not kept (first: FAILED test_bug.py::test_reply - " in done.stdout
    shrunk = recorded.with_name("bug.min.json")
    assert len(load_cassette(shrunk).exchanges) == 3  # every request the test makes is still there
    monkeypatch.setenv("HARNESS_CASSETTE", str(shrunk))
    replayed = pytester.runpytest_subprocess(*LEAN.split(), "--run-record-mode=none")
    replayed.assert_outcomes(failed=1)
    replayed.stdout.fnmatch_lines(["FAILED test_bug.py::test_reply - AssertionError: assert *"])
