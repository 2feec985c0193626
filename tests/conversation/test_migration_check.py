"""The migration check: one emulator scenario recorded over Assistants runs, Responses and Chat
Completions (``harness record --api``) tells one conversation; a changed tool argument does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness import use_cassette
from harness.cassette import load_cassette, save_cassette
from harness.cli import main
from harness.cli.api_conversations import RESPONSES_TOOLS, drive_responses
from harness.cli.conversation import USER_MESSAGE, tool_output
from harness.conversation import MixedProtocols, Turn, conversation_of
from harness.emulator import API_SCENARIOS, scenarios
from harness.emulator.running import RunningEmulator, deterministic_emulator

APIS = ("assistants", "responses", "chat")
SHARED = [
    s for s in API_SCENARIOS["responses"] if s in API_SCENARIOS["assistants"] and s in API_SCENARIOS["chat"]
]


def _record(tmp_path: Path, api: str, scenario: str, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / f"{api}-{scenario}.json"
    assert main(["record", "--api", api, "--scenario", scenario, "--cassette", str(path)]) == 0
    capsys.readouterr()
    return path


@pytest.mark.parametrize("scenario", SHARED)
def test_one_scenario_over_every_api_is_one_conversation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scenario: str
) -> None:
    views = {api: conversation_of(load_cassette(_record(tmp_path, api, scenario, capsys))) for api in APIS}
    assert views["assistants"].protocol == "assistants"
    assert {api: view.to_dict() for api, view in views.items()} == {
        api: views["assistants"].to_dict() for api in APIS
    }
    assert views["assistants"].turns[0] == Turn("user", "What should I wear today?")


def test_the_failed_status_over_runs_and_responses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs, responses = (
        conversation_of(load_cassette(_record(tmp_path, api, "failed", capsys))) for api in APIS[:2]
    )
    assert runs == responses and runs.status == "failed"


def test_tool_calls_keep_their_names_parsed_arguments_and_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    view = conversation_of(load_cassette(_record(tmp_path, "chat", "parallel-tools", capsys)))
    kinds = [turn.kind for turn in view.turns]
    assert kinds == ["user", "tool_call", "tool_call", "tool_output", "tool_output", "assistant"]
    assert view.turns[1] == Turn(
        "tool_call", name="get_current_weather", arguments={"location": "Paris, France"}
    )
    assert view.turns[4].name == "get_local_time"
    assert view.status == "completed"


def test_diff_conversation_says_same_across_protocols(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = (_record(tmp_path, api, "tool-call", capsys) for api in ("assistants", "responses"))
    assert main(["diff", "--conversation", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("same conversation: 4 turns, final status completed")
    assert "assistants" in out and "responses" in out


def test_a_changed_tool_argument_is_reported_readably(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _record(tmp_path, "assistants", "tool-call", capsys)
    monkeypatch.setitem(scenarios._SAMPLE_STRINGS, "location", ["Lima, Peru", "Lima, Peru"])
    new = _record(tmp_path, "chat", "tool-call", capsys)
    assert main(["diff", "--conversation", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert f"{old} (assistants) and {new} (chat.completions) tell different conversations:" in out
    assert "turn 2 differs:" in out
    assert f'  {old}: tool call get_current_weather({{"location": "Paris, France"}})' in out
    assert f'  {new}: tool call get_current_weather({{"location": "Lima, Peru"}})' in out
    assert """  argument 'location': "Paris, France" -> "Lima, Peru\"""" in out


def test_a_different_ending_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _record(tmp_path, "responses", "text", capsys), _record(tmp_path, "responses", "error", capsys)
    assert main(["diff", "--conversation", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "final status: " in out and " completed, " in out and " error" in out


def test_a_cassette_mixing_protocols_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runs, chat = (load_cassette(_record(tmp_path, api, "text", capsys)) for api in ("assistants", "chat"))
    runs.exchanges.extend(chat.exchanges)
    mixed = tmp_path / "mixed.json"
    save_cassette(runs, mixed)
    with pytest.raises(MixedProtocols, match="mixes protocols"):
        conversation_of(load_cassette(mixed))
    assert main(["diff", "--conversation", str(mixed), str(mixed)]) == 2
    assert "mixes protocols" in capsys.readouterr().err


def test_the_view_as_json_has_no_protocol_or_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    view = conversation_of(load_cassette(_record(tmp_path, "responses", "tool-call", capsys)))
    text = json.dumps(view.to_dict())
    assert "call_" not in text and "resp_" not in text and "responses" not in text
    assert view.to_dict()["turns"][1] == {
        "kind": "tool_call",
        "name": "get_current_weather",
        "arguments": {"location": "Paris, France"},
    }


def test_responses_chained_by_input_items_count_each_turn_once(tmp_path: Path) -> None:
    """Without ``previous_response_id`` the client resends the conversation so far: the view
    reads only what is new, so it equals the chained conversation's."""
    chained = tmp_path / "chained.json"
    resent = tmp_path / "resent.json"
    with RunningEmulator(deterministic_emulator(scenario="tool-call")) as emulator:
        client = emulator.client()
        with use_cassette(chained, record_mode="all"):
            drive_responses(client, "tool-call")
        with use_cassette(resent, record_mode="all"):
            first = client.responses.create(
                model="gpt-4o", input=USER_MESSAGE, tools=RESPONSES_TOOLS, stream=False
            )
            calls = [item for item in first.output if item.type == "function_call"]
            history: list[Any] = [{"role": "user", "content": USER_MESSAGE}, *(c.model_dump() for c in calls)]
            outputs = [
                {
                    "type": "function_call_output",
                    "call_id": c.call_id,
                    "output": tool_output(c.name, c.arguments),
                }
                for c in calls
            ]
            list(client.responses.create(model="gpt-4o", input=history + outputs, store=False, stream=True))
    assert conversation_of(load_cassette(resent)) == conversation_of(load_cassette(chained))


@pytest.mark.parametrize("api", APIS)
def test_a_raw_sse_body_tells_the_assistant_side(
    api: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A raw ``.sse`` export keeps no request, so no user turn and no tool output: what the
    server said (tool calls, the answer, the final status) is still the conversation's."""
    recorded = _record(tmp_path, api, "tool-call", capsys)
    body = tmp_path / f"{api}.sse"
    assert main(["export", str(recorded), "--format", "sse", "-o", str(body)]) == 0
    full, raw = (conversation_of(load_cassette(path)).to_dict() for path in (recorded, body))
    server_side = [turn for turn in full["turns"] if turn["kind"] in ("tool_call", "assistant")]
    assert server_side and raw["turns"] == server_side
    assert raw["status"] == full["status"] == "completed"
