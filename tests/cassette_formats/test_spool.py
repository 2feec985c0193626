"""CassetteSpool: a cassette written an exchange at a time is the file save_cassette writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.cassette.save import save_cassette
from harness.cassette.spool import CassetteSpool
from harness.errors import SecretLeakError
from tests.cassette_formats.support import CORPUS, DATA, JSON_HEADERS, tool_call_cassette

FAKE_KEY = "sk-test-" + "a1B2c3D4" * 4
URL = "https://api.openai.com/v1/threads/runs"


FILES = sorted(path for path in DATA.iterdir() if path.suffix != ".md") + sorted(CORPUS.glob("*.sse"))[:5]


def _made() -> dict[str, Cassette]:
    """Cassettes of the shapes files read rarely hold: chunks, a non-ASCII body, no exchange."""
    chunked = RecordedStream.from_chunks([b'data: {"a": "\xc3\xa9"}\n', b"\ndata: 2\n\n"], [0.0, 0.25])
    request = RecordedRequest("POST", URL, [], "é".encode())
    return {
        "tool-calls": tool_call_cassette(),
        "chunked": Cassette([Exchange(request, RecordedResponse(200, stream=chunked))]),
        "metadata-only": Cassette([], metadata={"note": "empty"}),
        "empty": Cassette(),
    }


@pytest.mark.parametrize("name", [path.name for path in FILES] + list(_made()))
def test_a_cassette_spooled_an_exchange_at_a_time_is_the_file_save_cassette_writes(
    name: str, tmp_path: Path
) -> None:
    """A mix of cassettes: several formats read, streams cut in chunks, metadata and none."""
    made = _made()
    cassette = made[name] if name in made else load_cassette(next(p for p in FILES if p.name == name))
    save_cassette(cassette, tmp_path / "whole.json")
    with CassetteSpool() as spool:
        for exchange in cassette.exchanges:
            spool.add(exchange)
        spool.save(tmp_path / "spooled.json", cassette.metadata)
    assert (tmp_path / "spooled.json").read_bytes() == (tmp_path / "whole.json").read_bytes()


def _plain(url: str = URL, body: bytes = b'{"ok": true}') -> Exchange:
    return Exchange(RecordedRequest("GET", url), RecordedResponse(200, "OK", JSON_HEADERS, body))


def test_a_rollback_takes_back_what_was_added_since_the_checkpoint_and_clear_starts_anew(
    tmp_path: Path,
) -> None:
    kept, dropped = _plain(f"{URL}/kept"), _plain(f"{URL}/dropped", json.dumps({"echo": FAKE_KEY}).encode())
    with CassetteSpool() as spool:
        spool.add(kept)
        spool.checkpoint()
        spool.add(dropped)  # a secret too: taken back with its exchange
        spool.rollback()
        assert spool.count == 1
        spool.save(tmp_path / "one.json", {})
        spool.clear()
        spool.add(dropped)
        spool.rollback()
        spool.save(tmp_path / "none.json", {})
    assert [exchange.request.url for exchange in load_cassette(tmp_path / "one.json").exchanges] == [
        kept.request.url
    ]
    assert load_cassette(tmp_path / "none.json").exchanges == []


def test_a_spool_still_holding_secrets_is_refused_in_save_cassettes_words_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    """Secrets in the metadata and in seven exchanges (past the five a refusal names): the same
    message, the old file left as it was, no temporary file behind."""
    exchanges = [_plain(body=json.dumps({"echo": f"{FAKE_KEY}{n}"}).encode()) for n in range(7)]
    exchanges.insert(0, _plain())
    metadata = {"token": FAKE_KEY}
    path = tmp_path / "cassette.json"
    with pytest.raises(SecretLeakError) as whole:
        save_cassette(Cassette(exchanges, metadata=metadata), path)
    path.write_text("old content")
    with CassetteSpool() as spool:
        for exchange in exchanges:
            spool.add(exchange)
        with pytest.raises(SecretLeakError) as spooled:
            spool.save(path, metadata)
    assert str(spooled.value) == str(whole.value)
    assert "; exchange 2 response body" in str(spooled.value) and "(and 10 more)" in str(spooled.value)
    assert path.read_text() == "old content"
    assert list(tmp_path.iterdir()) == [path]
