"""Every hiding place of ``hiding_places.PLACES``, recorded through the pytest plugin and through
``harness record --script``: no 12 characters of any planted secret in any file the run wrote, nor
in anything it printed (pytest output, junit XML, snapshots, logs, and the output of inspect,
validate, scrub, diff, export, bundle and serve on the cassettes it recorded)."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import subprocess
from pathlib import Path

import httpx
import pytest

from harness.cli import main
from harness.serve import ReplayServer
from tests.cli.record_support import harness_command
from tests.reliability.hiding_places import DRIVER, PLACES, SCRIPT, SECRETS, route
from tests.support.scripted_server import Scripted, ScriptedServer

WINDOW = 12

PLUGIN_TEST = """
import os

import openai
import pytest

from planted_driver import drive


@pytest.mark.run_cassette
def test_planted(run_cassette, run_snapshot):
    client = openai.OpenAI(base_url=os.environ["PLANTED_BASE_URL"], max_retries=0, timeout=20)
    drive(client)
    assert run_snapshot == run_cassette.transcript
"""


LOGGING_CONFTEST = """
import logging

HANDLER = logging.FileHandler("harness-and-vcr.log")
for name in ("harness", "vcr"):
    logging.getLogger(name).addHandler(HANDLER)
    logging.getLogger(name).setLevel(logging.DEBUG)
"""


def _environment(base_url: str) -> dict[str, str]:
    return {
        "PLANTED": json.dumps(SECRETS),
        "PLANTED_BASE_URL": base_url,
        "OPENAI_API_KEY": SECRETS["env_api_key"],
        "OPENAI_ORG_ID": SECRETS["organization"],
        "OPENAI_PROJECT_ID": SECRETS["project"],
    }


def _started(serve: object) -> tuple[ScriptedServer, list[Scripted]]:
    """The echoing server, and the answers it gave."""
    answers: list[Scripted] = []

    def answer(method: str, path: str, body: bytes) -> Scripted:
        answers.append(route(server)(method, path, body))
        return answers[-1]

    server: ScriptedServer = serve(answer)  # type: ignore[operator]
    return server, answers


def _traveled(server: ScriptedServer, answers: list[Scripted]) -> dict[str, str]:
    """What went over the wire, decoded: every planted secret must be in there, or the test proves nothing."""
    sent = [f"{request.path} {request.headers} {request.body.decode()}" for request in server.requests]
    received = [
        gzip.decompress(body) if ("content-encoding", "gzip") in answer.headers else body
        for answer in answers
        for body in [b"".join(piece for _, piece in answer.pieces)]
    ]
    return {"wire": json.dumps(sent) + str(answers) + b"".join(received).decode()}


def _assert_clean(recorded: Path, haystacks: dict[str, str], traveled: dict[str, str]) -> None:
    assert set(_leaks(traveled)) == set(PLACES)
    assert _leaks(haystacks) == {}
    cassette = recorded.read_text()
    assert "compressed " in cassette and "content-encoding" not in cassette.lower()  # stored decoded


def _leaks(haystacks: dict[str, str]) -> dict[str, list[str]]:
    """Each hiding place whose secret left a piece of WINDOW characters, with where it was found."""
    found: dict[str, list[str]] = {}
    for place, name in PLACES.items():
        secret = SECRETS[name]
        pieces = {secret[start : start + WINDOW] for start in range(len(secret) - WINDOW + 1)}
        where = sorted(source for source, text in haystacks.items() if any(piece in text for piece in pieces))
        if where:
            found[place] = where
    return found


def _written(folder: Path, inputs: set[Path]) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): path.read_bytes().decode("utf-8", "replace")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path not in inputs and ".pyc" not in path.name
    }


def _run_quietly(arguments: list[str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        with contextlib.suppress(SystemExit):
            main(arguments)
    return out.getvalue() + err.getvalue()


def _commands_on(cassette: Path, work: Path) -> dict[str, str]:
    """What the harness commands print about a recorded cassette (their files land under ``work``)."""
    commands = [
        ["inspect", str(cassette)],
        ["inspect", str(cassette), "--format", "json"],
        ["validate", str(cassette)],
        ["scrub", "--check", str(cassette)],
        ["diff", str(cassette), str(cassette)],
        ["bundle", str(cassette), "--output", str(work / "report.bundle")],
        *(
            ["export", str(cassette), "--format", name, "-o", str(work / f"out.{name}")]
            for name in ("har", "jsonl", "sse")
        ),
    ]
    printed = {"harness " + " ".join(command[:2]): _run_quietly(command) for command in commands}
    printed["harness serve log"] = _serve_log(cassette)
    return printed


def _serve_log(cassette: Path) -> str:
    """``harness serve``'s request log, for requests carrying the secrets in headers and queries."""
    lines: list[str] = []
    with ReplayServer(cassette, log=lines.append) as server, httpx.Client(timeout=10) as client:
        query = {
            "api-key": SECRETS["query_api_key"],
            "sig": SECRETS["query_sig"],
            "x": SECRETS["query_shaped"],
        }
        response = client.post(
            f"{server.base_url}/threads",
            params=query,
            headers={"authorization": "Bearer " + SECRETS["env_api_key"], "api-key": SECRETS["azure_header"]},
            json={"metadata": {"api_key": SECRETS["body_nested"]}},
        )
        lines.append(response.text)
    return "\n".join(lines)


def test_nothing_planted_leaks_through_the_plugin(
    pytester: pytest.Pytester, serve: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = pytester
    for name in ("CI", "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)
    server, answers = _started(serve)
    for name, value in _environment(server.base_url).items():
        monkeypatch.setenv(name, value)
    driver = project.path / "planted_driver.py"
    driver.write_text(DRIVER)
    project.makepyfile(test_planted=PLUGIN_TEST)
    project.makeconftest(LOGGING_CONFTEST)
    monkeypatch.syspath_prepend(str(project.path))
    recorded = project.runpytest("--snapshot-update", "--junitxml=recorded.xml")
    recorded.assert_outcomes(passed=1)
    # Replayed offline, the same requests (keys and all) must still find their recordings; a miss
    # prints the live request in the failure and in the junit XML, which CI systems publish.
    monkeypatch.setenv("PLANTED_BASE_URL", "http://127.0.0.1:9/v1")
    replayed = project.runpytest("--run-record-mode=none", "--junitxml=replayed.xml")
    printed = {
        "pytest output, recording": "\n".join([*recorded.outlines, *recorded.errlines]),
        "pytest output, replaying": "\n".join([*replayed.outlines, *replayed.errlines]),
    }
    (cassette,) = (project.path / "cassettes").rglob("*.json")
    printed |= _commands_on(cassette, project.path)

    _assert_clean(cassette, printed | _written(project.path, {driver}), _traveled(server, answers))
    replayed.assert_outcomes(passed=1)  # the replay matched requests holding the secrets
    assert (project.path / "__snapshots__").is_dir() and (project.path / "recorded.xml").is_file()


def test_nothing_planted_leaks_through_harness_record(tmp_path: Path, serve: object) -> None:
    server, answers = _started(serve)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "planted_driver.py").write_text(DRIVER)
    (inputs / "script.py").write_text(SCRIPT)
    work = tmp_path / "work"
    work.mkdir()
    cassette = work / "planted.json"
    base_url = server.base_url.replace("://", "://planted:" + SECRETS["url_password"] + "@", 1)
    environment = {**os.environ, **_environment(base_url), "PYTHONPATH": str(inputs)}
    result = subprocess.run(
        [
            *harness_command(),
            "record",
            "--script",
            str(inputs / "script.py"),
            "--base-url",
            base_url,
            "--cassette",
            str(cassette),
        ],
        cwd=work,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    printed = {"harness record output": result.stdout + result.stderr} | _commands_on(cassette, work)

    _assert_clean(cassette, printed | _written(work, set()), _traveled(server, answers))
