"""``harness inspect``'s timeline, rendered as the events are folded (no event's view kept), is the
text rendered from a transcript that kept every event's views, byte for byte."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from harness.cassette.formats.raw_sse import iter_bodies
from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.cassette.save import save_cassette
from harness.cli import main
from harness.cli.inspect import _text_pieces
from harness.protocols.mixed import fold_bodies
from harness.scrub import scrub_message
from harness.sse import parse_sse
from harness.validation import fold_conversation

REAL = Path(__file__).parents[2] / "cassettes" / "real"
RAW = sorted(REAL.rglob("*.sse"))
URLS = {
    "assistants": "https://api.openai.com/v1/threads/thread_1/runs",
    "responses": "https://api.openai.com/v1/responses",
    "chat": "https://api.openai.com/v1/chat/completions",
}


def _printed(path: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["inspect", str(path)]) == 0
    return out.getvalue()


def _from_columns(path: Path) -> str:
    """The text rendered from a transcript folded keeping each event's views, then scrubbed whole."""
    if path.suffix == ".sse":
        transcript = fold_bodies(iter_bodies(iter(parse_sse(path.read_bytes()))), views=True)
    else:
        transcript = fold_conversation(load_cassette(path), views=True)
    return scrub_message("".join(_text_pieces(transcript, None)))


@pytest.mark.parametrize("path", RAW, ids=[path.name for path in RAW])
def test_each_real_capture_reads_the_same_rendered_as_folded(path: Path) -> None:
    assert _printed(path) == _from_columns(path)


def test_bodies_of_several_protocols_in_one_raw_file(tmp_path: Path) -> None:
    """A raw file mixing protocols (each part's streams counted apart), Responses streams that
    follow one another without a [DONE] between them (the fold cuts them apart)."""
    picked = [REAL / "018-simple-openai-v1-thread-and-run-function-requires-action.sse"]
    picked += sorted((REAL / "responses").glob("10[14]*.sse")) + sorted((REAL / "chat").glob("203*.sse"))
    picked += [REAL / "011-openai-dotnet-submit-tool-outputs-oct2025.sse"]
    path = tmp_path / "mixed.sse"
    path.write_bytes(b"".join(file.read_bytes() for file in picked))
    printed = _printed(path)
    assert printed.count("\n== ") == 2 and "\n== responses: streams " in printed  # two Responses streams
    assert printed == _from_columns(path)


def _stream(body: bytes) -> Exchange:
    request = RecordedRequest("POST", URLS["assistants"], body=b"{}")
    headers = [("content-type", "text/event-stream")]
    return Exchange(request, RecordedResponse(200, "OK", headers, stream=RecordedStream.from_body(body)))


def _deltas(count: int, text: str) -> bytes:
    """A message created, then ``count`` deltas appending ``text`` (numbered) to its one text part."""
    part = {"type": "text", "text": {"value": "", "annotations": []}}
    message = {"id": "msg_1", "object": "thread.message", "status": "in_progress", "content": [part]}
    pieces = [f"event: thread.message.created\ndata: {json.dumps(message)}\n\n"]
    for n in range(count):
        value = {"index": 0, "type": "text", "text": {"value": text.format(n=n)}}
        delta = {"id": "msg_1", "object": "thread.message.delta", "delta": {"content": [value]}}
        pieces.append(f"event: thread.message.delta\ndata: {json.dumps(delta)}\n\n")
    return "".join(pieces).encode()


def test_a_cassette_of_long_and_empty_streams(tmp_path: Path) -> None:
    """Timelines longer than a compressed block (each stream's lines cut back apart where they
    end), streams with no event, runs of deltas folded into one line, text that is not ASCII."""
    long_body = b"".join(
        f"event: thread.message.delta\ndata: {json.dumps({'id': f'msg_{n % 7}', 'delta': {}})}\n\n".encode()
        for n in range(4_000)
    )
    bodies = [long_body, b"", _deltas(3_000, "caf\u00e9 {n} "), b"", b"event: done\ndata: [DONE]\n\n", b""]
    path = tmp_path / "long.json"
    save_cassette(Cassette([_stream(body) for body in bodies]), path)
    printed = _printed(path)
    assert "stream 2: 0 events" in printed and "stream 6: 0 events" in printed
    assert '  #1-#3000 thread.message.delta x3000 msg_1 +"café 0 café 1 ' in printed
    assert printed.count("\n") > 4_000
    assert printed == _from_columns(path)


def test_keys_in_a_long_raw_stream_are_scrubbed_as_in_the_text_whole(tmp_path: Path) -> None:
    """Lines each showing a key, over several compressed blocks and scrubbed batches."""
    body = b"".join(
        f"event: thread.run.step.delta\ndata: {json.dumps({'note': f'sk-test-{n:024d}'})}\n\n".encode()
        for n in range(3_000)
    )
    path = tmp_path / "keys.sse"
    path.write_bytes(body + _deltas(2, "Bearer abcdefgh12345678{n} "))
    printed = _printed(path)
    assert printed.count("\n") > 3_000
    assert "sk-test-" not in printed and "abcdefgh12345678" not in printed
    assert printed == _from_columns(path)
