"""The real Responses and Chat streams in cassettes/real/: readable by the importer, clean, secret-free."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openai
import pytest

from harness.cassette.load import load_cassette
from harness.cassette.secrets import find_secrets
from harness.cli import main
from harness.protocols.chat_fold import fold_chat
from harness.protocols.responses_fold import fold_responses
from harness.sse import parse_sse

from .sdk_streams import sdk_completion, sdk_response

REAL = Path(__file__).resolve().parents[2] / "cassettes" / "real"
RESPONSES = sorted((REAL / "responses").glob("*.sse"))
CHAT = sorted((REAL / "chat").glob("*.sse"))
RECORDINGS = {
    "openllmetry-chat-streaming.yaml": ["chat/201-openllmetry-chat-text.sse"],
    "openllmetry-chat-tools-streaming.yaml": ["chat/202-openllmetry-chat-tool-call.sse"],
    "pydantic-ai-responses-web-search-annotation.yaml": [
        "responses/102-pydantic-ai-responses-web-search-url-citation.sse"
    ],
    "pydantic-ai-responses-background-resume.yaml": [
        "responses/108-pydantic-ai-responses-background-queued.sse",
        "responses/109-pydantic-ai-responses-background-resume-starting-after.sse",
    ],
    "openai-dotnet-responses-function-call-streaming.json": [
        "responses/112-openai-dotnet-responses-function-call-aug2025.sse"
    ],
}


def test_the_corpus_is_large_enough_and_listed_in_sources() -> None:
    assert len(RESPONSES) >= 10 and len(CHAT) >= 5
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    for path in [*RESPONSES, *CHAT, *(REAL / "recordings").iterdir()]:
        assert path.name in sources, path.name
    assert (REAL / "LICENSES" / "pydantic-pydantic-ai-LICENSE.txt").is_file()
    assert (REAL / "LICENSES" / "traceloop-openllmetry-LICENSE.txt").is_file()
    assert (REAL / "LICENSES" / "openai-openai-python-LICENSE.txt").is_file()


# openai-python's inline-snapshot recordings are named by the sha256 of their bytes
OPENAI_PYTHON_RECORDINGS = {
    "206": "ca015b8b1ebaac98be76f2f855f8694b77f608de5e2a3799276be06ce3fbb15b",
    "207": "0a00cd46c61030ff70241d432dcf4aa41fc428937c231e17c3460f3237f6a018",
    "208": "be1089999ca5f1e63b149447f1613bdb9c4a2ad8262027d158cc94e6f9765164",
    "209": "a0c4f0be184e8234cdc0e3abae5dfafc1d712c253b42bafe07991b3058541016",
    "210": "69363a555f8ea9b6eee0bb022af0afcd22d4f0e85418ab38ee24d2a570a84ff0",
    "211": "453df473e96274dd8ab61ab4d13dfcc25dc2f57a5e05eb5cc46c70b51d8845c2",
}


@pytest.mark.parametrize("number", list(OPENAI_PYTHON_RECORDINGS))
def test_openai_python_recordings_are_the_upstream_bytes(number: str) -> None:
    import hashlib

    upstream = OPENAI_PYTHON_RECORDINGS[number]
    (path,) = (REAL / "chat").glob(f"{number}-openai-python-*.sse")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == upstream
    assert f"{upstream}.bin" in (REAL / "SOURCES.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(RECORDINGS))
def test_each_recording_imports_to_the_bodies_kept_beside_it(name: str) -> None:
    cassette = load_cassette(REAL / "recordings" / name)
    assert cassette.source_format == ("test-proxy" if name.endswith(".json") else "vcrpy")
    bodies = [b"".join(stream.frames) for stream in cassette.streams]
    assert bodies == [(REAL / body).read_bytes() for body in RECORDINGS[name]]


# the failures the server itself reported (notes, never warnings), by file number
REPORTED_FAILURES = {"111": ["error-event", "response-failed"]}


@pytest.mark.parametrize("path", RESPONSES, ids=lambda path: path.name[:3])
def test_real_responses_streams_fold_without_a_diagnostic(path: Path) -> None:
    transcript = fold_responses([parse_sse(path.read_bytes())])
    expected = REPORTED_FAILURES.get(path.name[:3], [])
    assert [diagnostic.code for diagnostic in transcript.diagnostics] == expected
    assert transcript.final_response is not None
    assert transcript.final_response["status"] == ("failed" if expected else "completed")
    assert main(["validate", "--strict", str(path)]) == 0


def test_a_real_error_event_is_followed_by_the_failed_response_the_harness_applies() -> None:
    # The API sends `error` (insufficient_quota) and then the response's own terminal object,
    # response.failed. openai-python raises APIError at the error event; the harness reports the
    # error and still takes response.failed as the final state (not as an event after the end).
    body = (
        REAL / "responses" / "111-swiftagent-responses-error-event-then-failed-insufficient-quota.sse"
    ).read_bytes()
    sdk = sdk_response(body)
    assert sdk.final is None
    assert isinstance(sdk.errors[0], openai.APIError)
    assert "exceeded your current quota" in str(sdk.errors[0])
    transcript = fold_responses([parse_sse(body)])
    assert transcript.event_names == ["response.created", "response.in_progress", "error", "response.failed"]
    final = transcript.final_response
    assert final is not None
    assert final["status"] == "failed"
    assert final["error"]["code"] == "insufficient_quota"
    assert [(d.code, d.event) for d in transcript.diagnostics] == [("error-event", 2), ("response-failed", 3)]


@pytest.mark.parametrize("path", CHAT, ids=lambda path: path.name[:3])
def test_real_chat_streams_fold_without_a_diagnostic(path: Path) -> None:
    transcript = fold_chat([parse_sse(path.read_bytes())])
    assert transcript.diagnostics == []
    assert transcript.final_completion is not None
    assert transcript.final_completion["choices"][0]["finish_reason"] in {"stop", "tool_calls", "length"}
    assert main(["validate", "--strict", str(path)]) == 0


def _chat(name: str) -> dict[str, Any]:
    final = fold_chat([parse_sse((REAL / "chat" / name).read_bytes())]).final_completion
    assert final is not None
    return final


def test_the_real_chat_corpus_holds_refusals_logprobs_several_choices_and_a_length_stop() -> None:
    finals = [_chat(path.name) for path in CHAT]
    choices = [c for final in finals for c in final["choices"]]
    assert any(c["message"].get("refusal") for c in choices)
    assert any((c.get("logprobs") or {}).get("content") for c in choices)
    assert any((c.get("logprobs") or {}).get("refusal") for c in choices)
    assert any(len(final["choices"]) > 1 for final in finals)
    assert any(len(c["message"].get("tool_calls") or []) > 1 for c in choices)
    assert {c["finish_reason"] for c in choices} >= {"stop", "tool_calls", "length"}
    assert sum(1 for final in finals if final.get("usage")) >= 5


def test_a_real_refusal_keeps_its_text_and_its_token_logprobs() -> None:
    (choice,) = _chat("207-openai-python-chat-refusal-logprobs.sse")["choices"]
    assert choice["message"]["content"] is None
    assert choice["message"]["refusal"] == "I'm sorry, I cannot assist with that request."
    tokens = [entry["token"] for entry in choice["logprobs"]["refusal"]]
    assert "".join(tokens) == choice["message"]["refusal"]
    assert choice["logprobs"]["content"] is None


def test_real_interleaved_choices_are_kept_apart_by_index() -> None:
    choices = _chat("209-openai-python-chat-n3-interleaved-choices-refusal.sse")["choices"]
    assert [c["index"] for c in choices] == [0, 1, 2]
    assert choices[0]["message"]["content"] == '{"city":"San Francisco","temperature":63,"units":"f"}'
    assert choices[1]["message"]["content"] == '{"city":"San Francisco","temperature":58.6,"units":"f"}'
    assert choices[2]["message"]["content"] is None
    assert choices[2]["message"]["refusal"].startswith("I'm sorry, but I can't accurately provide")


def test_real_parallel_tool_calls_are_joined_by_their_index() -> None:
    (choice,) = _chat("211-openai-python-chat-parallel-tool-calls.sse")["choices"]
    calls = choice["message"]["tool_calls"]
    assert [(call["id"], call["function"]["name"]) for call in calls] == [
        ("call_lQnnsesjFMWMQ5IeWPHzR4th", "GetWeatherArgs"),
        ("call_2xjOUgaCdiwAcl9ZBL9LyMUU", "get_stock_price"),
    ]
    assert [call["function"]["arguments"] for call in calls] == [
        '{"city": "Edinburgh", "country": "UK", "units": "c"}',
        '{"ticker": "AAPL", "exchange": "NASDAQ"}',
    ]
    assert choice["finish_reason"] == "tool_calls"


def test_a_real_length_stop_is_given_where_the_sdk_raises() -> None:
    # max_tokens=1: the API ends the choice with finish_reason "length"; openai-python's
    # get_final_completion() raises LengthFinishReasonError (its own test expects that). The harness
    # gives the truncated completion, usage included.
    body = (REAL / "chat" / "210-openai-python-chat-finish-reason-length.sse").read_bytes()
    sdk = sdk_completion(body)
    assert sdk.final is None
    assert isinstance(sdk.errors[0], openai.LengthFinishReasonError)
    final = _chat("210-openai-python-chat-finish-reason-length.sse")
    assert final["choices"][0]["finish_reason"] == "length"
    assert final["choices"][0]["message"]["content"] == '{"'
    assert final["usage"] == {"prompt_tokens": 17, "completion_tokens": 1, "total_tokens": 18}


def test_harness_import_reads_every_real_body_and_keeps_its_stream_text(tmp_path: Path) -> None:
    # every .sse and raw bodies under their upstream kinds of name (.bin, .txt); the import scrubs,
    # and scrubbing must leave a secret-free stream's bytes as they are
    source = tmp_path / "source"
    source.mkdir()
    expected = {path.stem: path.read_bytes() for path in [*RESPONSES, *CHAT]}
    expected["upstream-bin"] = expected["206-openai-python-chat-refusal-structured-output"]
    expected["upstream-txt"] = expected["210-openai-python-chat-finish-reason-length"]
    for stem, body in expected.items():
        suffix = {"upstream-bin": ".bin", "upstream-txt": ".txt"}.get(stem, ".sse")
        (source / f"{stem}{suffix}").write_bytes(body)
    out = tmp_path / "out"
    assert main(["import", str(source), "--out-dir", str(out)]) == 0
    imported = {path.stem: load_cassette(path) for path in out.iterdir()}
    assert set(imported) == set(expected)
    for stem, cassette in imported.items():
        assert [b"".join(stream.frames) for stream in cassette.streams] == [expected[stem]], stem


@pytest.mark.parametrize(
    "path", [*RESPONSES, *CHAT, *sorted((REAL / "recordings").iterdir())], ids=lambda p: p.name
)
def test_no_fixture_holds_a_key_shaped_string(path: Path) -> None:
    assert find_secrets(load_cassette(path).exchanges) == []


def test_gzip_compressed_cassettes_and_raw_bodies_of_any_suffix_are_read(tmp_path: Path) -> None:
    import gzip

    recording = (REAL / "recordings" / "openllmetry-chat-tools-streaming.yaml").read_bytes()
    expected = (REAL / "chat" / "202-openllmetry-chat-tool-call.sse").read_bytes()
    (tmp_path / "tools.yaml.gz").write_bytes(gzip.compress(recording))
    loaded = load_cassette(tmp_path / "tools.yaml.gz")
    assert loaded.source_format == "vcrpy"
    assert [b"".join(stream.frames) for stream in loaded.streams] == [expected]
    for suffix in (".txt", ".bin"):
        (tmp_path / f"body{suffix}").write_bytes(expected)
        assert [b"".join(s.frames) for s in load_cassette(tmp_path / f"body{suffix}").streams] == [expected]


@pytest.mark.parametrize(
    ("content", "message"),
    [("corrupt", "corrupt"), ("truncated", "truncated")],
)
def test_broken_gzip_gets_a_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    import gzip

    from harness.errors import CassetteError

    packed = bytearray(gzip.compress(b"interactions: []\n" * 100))
    if content == "corrupt":
        packed[10:18] = b"\xff" * 8
    else:
        del packed[-12:]
    (tmp_path / "bad.yaml.gz").write_bytes(bytes(packed))
    with pytest.raises(CassetteError, match=message) as raised:
        load_cassette(tmp_path / "bad.yaml.gz")
    assert "bad.yaml.gz" in str(raised.value) and "\n" not in str(raised.value)
