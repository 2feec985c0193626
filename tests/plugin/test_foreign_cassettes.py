"""The marker takes any cassette a user already holds, by name or by path, in the format it has."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "cassette_formats" / "data"
VCRPY = DATA / "vcrpy-function-requires-action.yaml"

LEGACY_TEST = """
import openai
import pytest

@pytest.mark.run_cassette({name!r})
def test_legacy():
    client = openai.OpenAI(api_key="sk-test-fake-key", base_url="http://127.0.0.1:9/v1", max_retries=0)
    stream = client.beta.threads.create_and_run(
        assistant_id="asst_BFMmpHsel3a7MuFuKKY9i5uG",
        stream=True,
        tools=[{{"type": "function", "function": {{"name": "get_weather"}}}}],
    )
    names = [event.event for event in stream]
    assert names[0] == "thread.created" and names[-1] == "thread.run.requires_action"
"""


def _legacy_project(project: pytest.Pytester, name: str, where: Path) -> bytes:
    where.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(VCRPY, where)
    project.makepyfile(test_legacy=LEGACY_TEST.format(name=name))
    return where.read_bytes()


@pytest.mark.parametrize("mode", ["once", "none"])
def test_a_vcrpy_yaml_cassette_by_name_replays_as_it_is(project: pytest.Pytester, mode: str) -> None:
    cassette = Path(project.path) / "cassettes" / "test_legacy" / "legacy.yaml"
    before = _legacy_project(project, "legacy.yaml", cassette)

    project.runpytest(f"--run-record-mode={mode}").assert_outcomes(passed=1)

    assert cassette.read_bytes() == before
    assert not list(Path(project.path).rglob("*.json"))


def test_a_vcrpy_yaml_cassette_by_absolute_path(project: pytest.Pytester, tmp_path: Path) -> None:
    cassette = tmp_path / "elsewhere" / "recorded.yaml"
    before = _legacy_project(project, str(cassette), cassette)

    project.runpytest().assert_outcomes(passed=1)

    assert cassette.read_bytes() == before


def test_a_vcrpy_yaml_cassette_by_path_relative_to_the_test(project: pytest.Pytester) -> None:
    cassette = Path(project.path) / "fixtures" / "vcr" / "legacy.yml"
    before = _legacy_project(project, "fixtures/vcr/legacy.yml", cassette)

    project.runpytest().assert_outcomes(passed=1)

    assert cassette.read_bytes() == before


def test_an_existing_file_with_an_unknown_suffix_is_used_as_it_is(project: pytest.Pytester) -> None:
    cassette = Path(project.path) / "cassettes" / "test_legacy" / "legacy.cassette"
    _legacy_project(project, "legacy.cassette", cassette)

    project.runpytest("--run-record-mode=none").assert_outcomes(passed=1)


def test_recording_a_new_cassette_in_a_foreign_format_is_refused(project: pytest.Pytester) -> None:
    project.makepyfile(test_legacy=LEGACY_TEST.format(name="missing.yaml"))

    result = project.runpytest()

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*cassette 'missing.yaml' was not found (looked at *)*records only its own format (.json)*"
            "'missing.json'*harness import*"
        ]
    )
    assert not list(Path(project.path).rglob("missing*"))


def test_recording_into_an_existing_foreign_cassette_is_refused(project: pytest.Pytester) -> None:
    cassette = Path(project.path) / "cassettes" / "test_legacy" / "legacy.yaml"
    before = _legacy_project(project, "legacy.yaml", cassette)
    project.makepyfile(
        test_legacy="""
        import httpx
        import pytest

        @pytest.mark.run_cassette("legacy.yaml")
        def test_new_request():
            transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True}))
            with httpx.Client(transport=transport) as client:
                client.get("http://example.test/v1/assistants")
        """
    )

    result = project.runpytest("--run-record-mode=new_episodes")

    result.stdout.fnmatch_lines(["*legacy.yaml is a vcrpy cassette*harness import*"])
    assert cassette.read_bytes() == before
