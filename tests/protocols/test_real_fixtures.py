"""The real Responses and Chat streams in cassettes/real/: readable by the importer, clean, secret-free."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cassette.load import load_cassette
from harness.protocols.chat_fold import fold_chat
from harness.protocols.responses_fold import fold_responses
from harness.sse import parse_sse

try:  # secret detection is moving out of the scrubber (issue 14); either home is the product's rule
    from harness.cassette.secrets import find_secrets  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - depends on which side landed first
    from harness.scrub import find_secrets  # type: ignore[no-redef,unused-ignore]

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
}


def test_the_corpus_is_large_enough_and_listed_in_sources() -> None:
    assert len(RESPONSES) >= 10 and len(CHAT) >= 5
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    for path in [*RESPONSES, *CHAT, *(REAL / "recordings").iterdir()]:
        assert path.name in sources, path.name
    assert (REAL / "LICENSES" / "pydantic-pydantic-ai-LICENSE.txt").is_file()
    assert (REAL / "LICENSES" / "traceloop-openllmetry-LICENSE.txt").is_file()


@pytest.mark.parametrize("name", list(RECORDINGS))
def test_each_recording_imports_to_the_bodies_kept_beside_it(name: str) -> None:
    cassette = load_cassette(REAL / "recordings" / name)
    assert cassette.source_format == "vcrpy"
    bodies = [b"".join(stream.frames) for stream in cassette.streams]
    assert bodies == [(REAL / body).read_bytes() for body in RECORDINGS[name]]


@pytest.mark.parametrize("path", RESPONSES, ids=lambda path: path.name[:3])
def test_real_responses_streams_fold_without_a_diagnostic(path: Path) -> None:
    transcript = fold_responses([parse_sse(path.read_bytes())])
    assert transcript.diagnostics == []
    assert transcript.final_response is not None
    assert transcript.final_response["status"] == "completed"


@pytest.mark.parametrize("path", CHAT, ids=lambda path: path.name[:3])
def test_real_chat_streams_fold_without_a_diagnostic(path: Path) -> None:
    transcript = fold_chat([parse_sse(path.read_bytes())])
    assert transcript.diagnostics == []
    assert transcript.final_completion is not None
    assert transcript.final_completion["choices"][0]["finish_reason"] in {"stop", "tool_calls"}


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
