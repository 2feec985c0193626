"""The commands on Responses and Chat cassettes: inspect, validate, export and import, shrink, scrub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cassette.load import load_cassette
from harness.cli import main

REAL = Path(__file__).resolve().parents[2] / "cassettes" / "real"
FUNCTION_CALL = REAL / "responses" / "104-pydantic-ai-responses-reasoning-commentary-function-call.sse"
CHAT_TOOL = REAL / "chat" / "203-pydantic-ai-chat-tool-call-usage-chunk.sse"
BACKGROUND = REAL / "recordings" / "pydantic-ai-responses-background-resume.yaml"


def inspect_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["inspect", str(path), "--format", "json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_inspect_json_of_a_responses_stream(capsys: pytest.CaptureFixture[str]) -> None:
    data = inspect_json(FUNCTION_CALL, capsys)
    assert list(data) == ["protocol", "events", "responses", "final_response", "diagnostics"]
    assert data["protocol"] == "responses"
    final = data["final_response"]
    assert isinstance(final, dict)
    assert final["output"][2]["arguments"] == '{"country":"PotatoLand"}'
    assert data["diagnostics"] == []


def test_inspect_json_of_a_chat_stream(capsys: pytest.CaptureFixture[str]) -> None:
    data = inspect_json(CHAT_TOOL, capsys)
    assert list(data) == ["protocol", "events", "completions", "final_completion", "diagnostics"]
    assert data["protocol"] == "chat.completions"
    assert data["events"][-1] == "[DONE]"  # type: ignore[index]
    final = data["final_completion"]
    assert isinstance(final, dict)
    assert final["usage"]["total_tokens"] == 68
    assert final["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"] == '{"country":"UK"}'


def test_a_cassette_is_read_by_the_protocol_its_requests_name(capsys: pytest.CaptureFixture[str]) -> None:
    # the second exchange is GET /v1/responses/{id}?stream=true: a resumed stream of the same response
    data = inspect_json(BACKGROUND, capsys)
    assert data["protocol"] == "responses"
    assert data["diagnostics"] == []
    responses = data["responses"]
    assert isinstance(responses, list) and len(responses) == 1


def test_inspect_text_shows_each_protocols_timeline_the_same_way(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(FUNCTION_CALL)]) == 0
    out = capsys.readouterr().out
    assert "#23-#29 response.function_call_arguments.delta x7 fc_0fabc" in out
    assert 'get_capital({"country":"PotatoLand"})' in out
    assert "diagnostics: none" in out
    assert main(["inspect", str(REAL / "chat" / "201-openllmetry-chat-text.sse")]) == 0
    out = capsys.readouterr().out
    assert "#0-#24 chat.completion.chunk x25 chatcmpl-8uyu3UTmh4A6nKzDvuOPFeVUH3159#0" in out
    assert "#25 chat.completion.chunk chatcmpl-8uyu3UTmh4A6nKzDvuOPFeVUH3159#0 stop" in out
    assert '    content "Why did the developer break up with Opentelemetry?' in out


def test_a_cassette_mixing_protocols_is_shown_part_by_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed = tmp_path / "mixed.sse"
    mixed.write_bytes(FUNCTION_CALL.read_bytes() + CHAT_TOOL.read_bytes())
    assert (
        main(
            [
                "import",
                str(BACKGROUND),
                str(REAL / "recordings" / "openllmetry-chat-streaming.yaml"),
                "--cassette",
                str(tmp_path / "mixed.json"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    data = inspect_json(tmp_path / "mixed.json", capsys)
    assert data["protocol"] == "mixed"
    parts = data["parts"]
    assert isinstance(parts, list)
    assert [part["protocol"] for part in parts] == ["responses", "chat.completions"]


def test_validate_passes_real_streams_and_names_a_broken_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(FUNCTION_CALL), str(CHAT_TOOL)]) == 0
    broken = tmp_path / "broken.sse"
    text = FUNCTION_CALL.read_text(encoding="utf-8").replace(
        '"output_index":2,"sequence_number":23', '"output_index":9,"sequence_number":23'
    )
    broken.write_text(text, encoding="utf-8")
    assert main(["validate", str(broken)]) != 0
    out = capsys.readouterr()
    assert "output-index-out-of-range" in out.out + out.err


@pytest.mark.parametrize("form", ["vcrpy", "har", "jsonl"])
def test_export_then_import_keeps_every_byte(
    tmp_path: Path, form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / f"exported.{ {'vcrpy': 'yaml', 'har': 'har', 'jsonl': 'jsonl'}[form] }"
    assert main(["export", str(BACKGROUND), "--format", form, "-o", str(exported)]) == 0
    assert main(["import", str(exported), "--cassette", str(tmp_path / "back.json")]) == 0
    original = [b"".join(s.frames) for s in load_cassette(BACKGROUND).streams]
    assert [b"".join(s.frames) for s in load_cassette(tmp_path / "back.json").streams] == original


def test_shrink_keeps_a_responses_stream_well_formed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "r.sse"
    source.write_bytes(FUNCTION_CALL.read_bytes())
    out = tmp_path / "r.min.json"
    check = "! grep -q PotatoLand {}"
    assert main(["shrink", str(source), "--check", check, "--output", str(out)]) == 0
    capsys.readouterr()
    data = inspect_json(out, capsys)
    diagnostics = data["diagnostics"]
    assert isinstance(diagnostics, list)
    codes = {diagnostic["code"] for diagnostic in diagnostics}
    assert not codes & {"output-index-out-of-range", "delta-unknown-item", "delta-unknown-part"}
    assert "PotatoLand" in json.dumps(data["final_response"])
    assert len(data["events"]) < 33  # type: ignore[arg-type]


def test_a_raw_body_holding_two_responses_streams_reads_as_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `harness export --format sse` writes bodies one after the other; a Responses body has no
    # [DONE] line, so the next response's first event is where the next body starts
    two = REAL / "responses" / "105-pydantic-ai-responses-function-output-final-answer.sse"
    body = tmp_path / "two.sse"
    body.write_bytes(FUNCTION_CALL.read_bytes() + two.read_bytes())
    data = inspect_json(body, capsys)
    responses = data["responses"]
    assert isinstance(responses, list) and len(responses) == 2
    assert data["diagnostics"] == []
