"""``harness record --api responses|chat``: the built-in conversation over the other two APIs."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cassette import load_cassette
from harness.cli import main
from harness.emulator import API_SCENARIOS
from tests.cli.record_support import assert_one_line_error


@pytest.mark.parametrize(("api", "path"), [("responses", "/v1/responses"), ("chat", "/v1/chat/completions")])
def test_records_the_tool_round_trip_and_says_how_it_ended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], api: str, path: str
) -> None:
    cassette = tmp_path / f"{api}.json"
    assert main(["record", "--api", api, "--scenario", "parallel-tools", "--cassette", str(cassette)]) == 0
    out = capsys.readouterr().out
    protocol = "responses" if api == "responses" else "chat.completions"
    assert f"final: {protocol} conversation of 6 turns, completed" in out
    exchanges = load_cassette(cassette).exchanges
    assert [exchange.request.url.split("127.0.0.1:")[1].split("/", 1)[1] for exchange in exchanges] == [
        path.lstrip("/")
    ] * 2
    assert all(exchange.response.stream is not None for exchange in exchanges)


@pytest.mark.parametrize("api", ["responses", "chat"])
def test_every_scenario_of_the_api_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], api: str
) -> None:
    for scenario in API_SCENARIOS[api]:
        cassette = tmp_path / f"{scenario}.json"
        assert main(["record", "--api", api, "--scenario", scenario, "--cassette", str(cassette)]) == 0
        out = capsys.readouterr().out
        ending = scenario if scenario in ("error", "incomplete", "failed") else "completed"
        assert f" turns, {ending}" in out.splitlines()[-2], scenario


def test_a_scenario_the_api_cannot_play_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["record", "--api", "chat", "--scenario", "code-interpreter", "--cassette", "x.json"]) == 1
    line = assert_one_line_error(capsys.readouterr().err, "record")
    assert "unknown scenario 'code-interpreter' for --api chat; choose one of text," in line
