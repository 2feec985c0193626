"""Parser regression mode: one test instance per chunking, one cassette, one snapshot."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import cassettes, hits

CHUNKED_TEST = """
import pytest

@pytest.mark.run_cassette(chunkings=["recorded", "byte", "random:5", "whole"])
def test_reply(converse, run_cassette, run_chunking, run_snapshot):
    assert "18C and sunny" in converse()
    assert str(run_cassette.options.replay.chunking) == run_chunking
    assert run_snapshot == run_cassette.transcript
"""


def test_each_chunking_replays_the_one_cassette_recorded_by_the_first(project: pytest.Pytester) -> None:
    project.makepyfile(test_chunks=CHUNKED_TEST)

    result = project.runpytest("-v", "--snapshot-update")

    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "*test_reply?chunking=recorded? PASSED*",
            "*test_reply?chunking=byte? PASSED*",
            "*test_reply?chunking=random:5? PASSED*",
            "*test_reply?chunking=whole? PASSED*",
        ]
    )
    assert cassettes(project) == ["cassettes/test_chunks/test_reply.json"]
    assert len([line for line in hits(project) if line.endswith("/runs")]) == 1  # recorded once
    snapshots = (project.path / "__snapshots__" / "test_chunks.runs").read_text()
    assert snapshots.count("# name: ") == 1 and "# name: test_reply\n" in snapshots
    project.runpytest("--run-record-mode=none").assert_outcomes(passed=4)


def test_a_parser_that_depends_on_chunk_boundaries_fails_under_some_chunkings(
    project: pytest.Pytester,
) -> None:
    project.makepyfile(
        test_parser="""
        import httpx2
        import pytest

        def naive_event_names(response):
            # a buggy parser: treats every read as whole lines
            return [line[7:] for chunk in response.iter_bytes()
                    for line in chunk.decode().split("\\n") if line.startswith("event: ")]

        @pytest.mark.run_cassette(chunkings=["event", "byte", "whole"])
        def test_naive_parser(client, run_cassette):
            assistant = client.beta.assistants.create(model="gpt-4o")
            thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
            with httpx2.Client() as http:
                with http.stream("POST", f"{client.base_url}threads/{thread.id}/runs",
                                 json={"assistant_id": assistant.id, "stream": True}) as response:
                    names = naive_event_names(response)
            assert names[-1] == "done" and "thread.run.requires_action" in names
    """
    )

    result = project.runpytest("-v")

    result.stdout.fnmatch_lines(
        ["*chunking=event? PASSED*", "*chunking=byte? FAILED*", "*chunking=whole? PASSED*"]
    )


def test_the_command_line_turns_every_cassette_test_into_a_regression_test(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_all="""
        import pytest

        @pytest.mark.run_cassette
        def test_reply(converse):
            assert "sunny" in converse()

        def test_without_cassette():
            pass
    """
    )

    result = project.runpytest("-v", "--run-replay-chunking=all")

    result.assert_outcomes(passed=6)
    for chunking in ("recorded", "event", "byte", "random", "whole"):
        result.stdout.fnmatch_lines([f"*test_reply?chunking={chunking}? PASSED*"])
    result.stdout.fnmatch_lines(["*test_all.py::test_without_cassette PASSED*"])
