"""A cassette saved by an editor that writes UTF-8's byte-order mark first reads as without it."""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import pytest

from harness.cassette.formats.http_parts import looks_like_event_stream
from harness.cassette.formats.native import SMALL_FILE_BYTES
from harness.cassette.load import load_cassette
from harness.cassette.model import RecordedStream
from harness.cassette.registry import export, format_named, writable_formats
from harness.errors import CassetteError
from tests.cassette_formats.support import corpus_body, tool_call_cassette

MARK = b"\xef\xbb\xbf"


def _with_mark(data: bytes, path: Path) -> Path:
    path.write_bytes(MARK + data)
    return path


@pytest.mark.parametrize("format_name", writable_formats())
def test_every_format_reads_the_same_with_a_byte_order_mark(format_name: str, tmp_path: Path) -> None:
    suffix = format_named(format_name).suffix
    data = export(tool_call_cassette(), format_name)
    plain = tmp_path / f"plain{suffix}"
    plain.write_bytes(data)
    marked = _with_mark(data, tmp_path / f"marked{suffix}")
    back = load_cassette(marked)
    assert back.source_format == load_cassette(plain).source_format
    assert back.exchanges == load_cassette(plain).exchanges


def test_a_large_harness_cassette_with_a_mark_reads_as_without(tmp_path: Path) -> None:
    """Past the size parsed whole, the events lists are cut out of the bytes: the mark must not
    shift them."""
    cassette = tool_call_cassette()
    exchange = cassette.exchanges[0]
    body = corpus_body("010") * 60
    stream = RecordedStream.from_chunks([body], [0.5])
    long = dataclasses.replace(exchange, response=dataclasses.replace(exchange.response, stream=stream))
    data = export(dataclasses.replace(cassette, exchanges=[long]), "harness")
    assert len(data) > SMALL_FILE_BYTES
    plain = tmp_path / "plain.json"
    plain.write_bytes(data)
    back = load_cassette(_with_mark(data, tmp_path / "marked.json"))
    assert back.exchanges == load_cassette(plain).exchanges


def test_a_gzipped_cassette_with_a_mark_inside_reads(tmp_path: Path) -> None:
    data = export(tool_call_cassette(), "vcrpy")
    path = tmp_path / "cassette.yaml.gz"
    path.write_bytes(gzip.compress(MARK + data))
    assert load_cassette(path).exchanges == load_cassette(_plain(data, tmp_path / "plain.yaml")).exchanges


def test_errors_after_a_mark_name_the_same_line(tmp_path: Path) -> None:
    """The mark is not a line: a conflict marker or a JSON error is found where it is without it."""
    text = export(tool_call_cassette(), "harness").decode()
    lines = text.splitlines(keepends=True)
    broken = "".join([*lines[:3], "<<<<<<< HEAD\n", *lines[3:]]).encode()
    with pytest.raises(CassetteError) as plain:
        load_cassette(_plain(broken, tmp_path / "plain.json"))
    with pytest.raises(CassetteError) as marked:
        load_cassette(_with_mark(broken, tmp_path / "marked.json"))
    assert "line 4" in str(marked.value)
    assert str(marked.value).replace("marked.json", "plain.json") == str(plain.value)


def _plain(data: bytes, path: Path) -> Path:
    path.write_bytes(data)
    return path


def test_a_mark_alone_is_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match="empty"):
        load_cassette(_with_mark(b"", tmp_path / "cassette.json"))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (MARK + b"data: {}\n\n", True),
        (MARK + b"\r\nevent: done\n\n", True),
        (MARK + b": comment\n\n", True),
        (b"\r\n\r\ndata: {}\n\n", True),
        (MARK + b'{"data": 1}', False),
        (MARK + MARK + b"data: {}\n\n", False),
        (b"\xbb\xef\xbfdata: {}\n\n", False),  # the mark's bytes in another order are no mark
    ],
)
def test_a_body_without_content_type_is_sniffed_past_one_mark(body: bytes, expected: bool) -> None:
    assert looks_like_event_stream([], body) is expected
