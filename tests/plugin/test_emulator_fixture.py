"""``run_emulator``: the built-in emulator as a fixture, recorded from with no hand-wiring."""

from __future__ import annotations

from pathlib import Path

import pytest

RECORDED_TESTS = """
import asyncio

import pytest

TOOL = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}}}}


@pytest.fixture
def run_emulator_config():
    return {"scenario": "tool-call"}


def ask(client):
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[TOOL])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Weather in Paris?"}])
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
        run = stream.current_run
    outputs = [{"tool_call_id": call.id, "output": "18C"}
               for call in run.required_action.submit_tool_outputs.tool_calls]
    with client.beta.threads.runs.submit_tool_outputs_stream(
            thread_id=thread.id, run_id=run.id, tool_outputs=outputs) as stream:
        stream.until_done()
        return stream.current_run


@pytest.mark.run_cassette
def test_weather(run_emulator, run_cassette, run_snapshot):
    assert ask(run_emulator.client()).status == "completed"
    assert run_snapshot == run_cassette.transcript


@pytest.mark.run_cassette
def test_weather_async(run_emulator, run_cassette):
    async def ask_async():
        client = run_emulator.async_client()
        thread = await client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
        assistant = await client.beta.assistants.create(model="gpt-4o", tools=[TOOL])
        async with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
            await stream.until_done()
            return await stream.get_final_run()

    assert asyncio.run(ask_async()).status == "requires_action"
    assert run_cassette.streams
"""


def _snapshot(project: pytest.Pytester) -> bytes:
    (snapshot,) = Path(project.path).rglob("__snapshots__/*")
    return snapshot.read_bytes()


def test_recording_again_from_the_emulator_gives_the_identical_snapshot(project: pytest.Pytester) -> None:
    project.makepyfile(test_emulated=RECORDED_TESTS)
    project.runpytest("--snapshot-update").assert_outcomes(passed=2)
    cassette = Path(project.path) / "cassettes" / "test_emulated" / "test_weather.json"
    first = _snapshot(project)
    assert b"get_weather" in cassette.read_bytes() and b"thread.run.requires_action" in first

    project.runpytest("--run-record-mode=all").assert_outcomes(passed=2)
    assert _snapshot(project) == first

    project.runpytest("--run-record-mode=none").assert_outcomes(passed=2)


def test_the_emulator_stops_with_its_test(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_stops="""
        import httpx
        import pytest

        URLS = []

        def test_serves(run_emulator):
            URLS.append(run_emulator.base_url)
            assert httpx.get(run_emulator.base_url + "/assistants", timeout=5).status_code == 200

        def test_stopped_after():
            with pytest.raises(httpx.ConnectError):
                httpx.get(URLS[0] + "/assistants", timeout=5)

        def test_one_per_session(run_emulator_session, request):
            assert request.getfixturevalue("run_emulator_session") is run_emulator_session
            assert run_emulator_session.base_url.startswith("http://127.0.0.1:")
        """
    )
    project.runpytest("-p", "no:randomly").assert_outcomes(passed=3)


def test_a_bad_emulator_option_fails_with_one_paragraph(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_bad="""
        import pytest

        @pytest.mark.parametrize("run_emulator_config", [{"scenario": "chatty"}, {"sed": 1}])
        def test_it(run_emulator):
            pass
        """
    )
    result = project.runpytest()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*run_emulator_config: unknown scenario 'chatty'; choose from*",
            "*run_emulator_config: unknown emulator option(s) 'sed'; known: *",
        ],
        consecutive=False,
    )
    assert "Traceback" not in result.stdout.str() and "deterministic_emulator" not in result.stdout.str()


def test_a_marked_test_with_chunkings_needs_no_cassette_fixture(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_chunked="""
        import pytest

        @pytest.mark.run_cassette(chunkings=["recorded", "byte"])
        def test_create(run_emulator):
            assistant = run_emulator.client().beta.assistants.create(model="gpt-4o")
            assert assistant.id.startswith("asst_")
        """
    )
    result = project.runpytest("-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*test_create?chunking=recorded? PASSED*", "*test_create?chunking=byte? PASSED*"]
    )
