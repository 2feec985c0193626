"""A cassette mixing protocols (an Assistants run conversation, a Responses and a Chat Completions
one in one file): every stream is read by the protocol it speaks, in the plugin's transcript and
snapshot, ``inspect``, ``validate``, ``diff``, ``export``/``import``, ``shrink``, ``serve`` and the
conversation readers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openai
import pytest

from harness import load_cassette
from harness.cli import main
from harness.cli.api_conversations import drive_chat, drive_responses
from harness.cli.conversation import FAKE_KEY, drive_conversation
from harness.conversation import MixedProtocols, conversation_of
from harness.protocols import by_name
from harness.serve import ReplayServer
from harness.shrink.wellformed import protocol_problems
from tests.support.mixed import APIS, PROTOCOLS, record_apis

pytest_plugins = ["pytester"]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return record_apis(tmp_path_factory.mktemp("mixed"))


@pytest.fixture
def mixed(recorded: dict[str, Path]) -> Path:
    return recorded["mixed"]


def inspect_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["inspect", str(path), "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


SNAPSHOT_TEST = """
import pytest

from harness.protocols.mixed import MixedTranscript


@pytest.mark.run_cassette("mixed.json")
def test_mixed(run_cassette, run_snapshot):
    transcript = run_cassette.transcript
    assert isinstance(transcript, MixedTranscript)
    assert transcript.protocols == ["assistants", "responses", "chat.completions"]
    assert run_snapshot == transcript
"""


def test_the_snapshot_shows_each_stream_under_its_protocol(pytester: pytest.Pytester, mixed: Path) -> None:
    (pytester.path / "mixed.json").write_bytes(mixed.read_bytes())
    pytester.makepyfile(test_mixed=SNAPSHOT_TEST)
    pytester.runpytest_subprocess("--snapshot-update", "-p", "no:randomly").assert_outcomes(passed=1)
    (stored,) = (pytester.path / "__snapshots__").glob("*.runs")
    text = stored.read_text()
    assert "protocol: mixed (assistants, responses, chat.completions)" in text
    assert "assistants (streams 1, 2):" in text
    assert "responses (streams 3, 4):" in text
    assert "chat.completions (streams 5, 6):" in text
    assert "    response.output_text.delta x" in text and "    chat.completion.chunk" in text
    assert "resp_" not in text and "chatcmpl-" not in text  # ids are placeholders in every part
    assert text.count("diagnostics: none") == 3
    pytester.runpytest_subprocess("-p", "no:randomly").assert_outcomes(passed=1)


def test_inspect_json_names_each_part_its_protocol_and_streams(
    mixed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = inspect_json(mixed, capsys)
    assert data["protocol"] == "mixed"
    assert data["protocols"] == list(PROTOCOLS)
    assert [(part["protocol"], part["streams"]) for part in data["parts"]] == [
        ("assistants", [0, 1]),
        ("responses", [2, 3]),
        ("chat.completions", [4, 5]),
    ]
    finals = [part_final(data, 0)["status"], part_final(data, 1)["status"], part_final(data, 2)["object"]]
    assert finals == ["completed", "completed", "chat.completion"]
    assert len(data["events"]) == sum(len(part["events"]) for part in data["parts"])
    assert data["events"][0] == "thread.run.created" and data["events"][-1] == "[DONE]"
    assert data["diagnostics"] == []


def part_final(data: dict[str, Any], number: int) -> dict[str, Any]:
    final: dict[str, Any] = next(v for k, v in data["parts"][number].items() if k.startswith("final_"))
    return final


def test_inspect_text_heads_each_part_with_its_streams(
    mixed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["inspect", str(mixed)]) == 0
    out = capsys.readouterr().out
    headers = [line for line in out.splitlines() if line.startswith("==")]
    assert headers == [
        "== assistants: streams 1, 2 of the cassette ==",
        "== responses: streams 3, 4 of the cassette ==",
        "== chat.completions: streams 5, 6 of the cassette ==",
    ]


def test_validate_diff_and_a_round_trip_read_each_stream_by_its_protocol(
    mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--strict", str(mixed)]) == 0
    edited = tmp_path / "edited.json"
    edited.write_text(mixed.read_text().replace("Thanks", "Thonks"))
    capsys.readouterr()
    assert main(["diff", str(mixed), str(edited)]) == 1
    changed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("+ ")]
    assert any("response.output[0].content[0].text" in line for line in changed)  # Responses fields
    assert any("content[0].text.value" in line for line in changed)  # an Assistants message
    assert any("choices[0].delta.content" in line for line in changed)  # a chat chunk

    for form in ("vcrpy", "har", "sse"):  # a raw .sse body keeps each stream apart too
        exported, back = tmp_path / f"mixed.{form}", tmp_path / f"back-{form}.json"
        assert main(["export", str(mixed), "--format", form, "-o", str(exported)]) == 0
        assert main(["import", str(exported), "--cassette", str(back)]) == 0
        assert main(["diff", str(mixed), str(back)]) == 0
        assert inspect_json(back, capsys)["protocols"] == list(PROTOCOLS)
    raw = inspect_json(tmp_path / "mixed.sse", capsys)  # inspect's streaming read of a raw body
    assert raw["protocols"] == list(PROTOCOLS)
    assert [part["streams"] for part in raw["parts"]] == [[0, 1], [2, 3], [4, 5]]


def test_shrink_keeps_every_protocol_well_formed(mixed: Path, tmp_path: Path) -> None:
    output = tmp_path / "small.json"
    check = "! grep -q 'Paris' {}"  # the "bug": the cassette mentions Paris
    argv = ["shrink", str(mixed), "--check", check, "--output", str(output), "--max-checks", "150"]
    assert main(argv) == 0
    small = load_cassette(output)
    assert len(small.exchanges) < len(load_cassette(mixed).exchanges)
    assert protocol_problems(small) == frozenset()
    assert main(["validate", "--strict", str(output)]) == 0  # every stream keeps its end


def test_each_protocol_reads_its_own_conversation_out_of_a_mixed_cassette(recorded: dict[str, Path]) -> None:
    exchanges = load_cassette(recorded["mixed"]).exchanges
    for api, name in zip(APIS, PROTOCOLS, strict=True):
        alone = conversation_of(load_cassette(recorded[api]))
        assert by_name(name).conversation(exchanges) == alone
        assert alone.status == "completed" and any(turn.kind == "tool_call" for turn in alone.turns)
    with pytest.raises(MixedProtocols, match=re.escape("assistants, responses, chat.completions")):
        conversation_of(exchanges)


def test_serve_replays_every_protocol_of_a_mixed_cassette_to_the_sdk(mixed: Path) -> None:
    with ReplayServer([mixed]) as server:
        with openai.OpenAI(api_key=FAKE_KEY, base_url=server.base_url, max_retries=0, timeout=10) as client:
            outcome = drive_conversation(client, "tool-call")
            statuses = [drive_responses(client, "tool-call"), drive_chat(client, "tool-call")]
        assert server.app.unplayed == []
    assert outcome.error is None and outcome.runs[-1]["status"] == "completed"
    assert statuses == ["completed", "stop"]


@pytest.mark.parametrize(("api", "end"), [("responses", "response.completed"), ("chat", "[DONE]")])
def test_shrink_keeps_the_end_of_a_responses_or_chat_stream(
    recorded: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], api: str, end: str
) -> None:
    """A missing end is only a warning to ``validate`` for these protocols; shrink still keeps it."""
    output = tmp_path / "small.json"
    argv = ["shrink", str(recorded[api]), "--check", "! grep -q 'Paris' {}", "--output", str(output)]
    assert main([*argv, "--max-checks", "150"]) == 0
    assert main(["validate", "--strict", str(output)]) == 0
    assert inspect_json(output, capsys)["events"][-1] == end
