"""Fuzz targets shared by the hypothesis tests and the long atheris runs (``fuzz_atheris.py``).

Each target takes arbitrary bytes and must either succeed or raise one of the
harness's documented errors: anything else escaping is a bug.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from harness.cassette import load_cassette
from harness.errors import CassetteError
from harness.reconstruct import reconstruct
from harness.reconstruct.codes import INTERNAL_ERROR
from harness.sse import SSEDecoder, encode_events, parse_sse, split_frames

SUFFIXES = (".json", ".yaml", ".yml", ".har", ".jsonl", ".toml", ".sse", ".txt")


def decode_target(data: bytes) -> None:
    """Any bytes decode; any split gives the same events; frames cover the bytes exactly."""
    events = parse_sse(data)
    decoder = SSEDecoder()
    middle = len(data) // 2
    split = decoder.feed(data[:middle]) + decoder.feed(data[middle:]) + decoder.close()
    assert split == events
    assert b"".join(split_frames(data)) == data
    reencoded = encode_events(event for event in events if "\r" not in event.data and "\r" not in event.event)
    assert parse_sse(reencoded) == [e for e in events if "\r" not in e.data and "\r" not in e.event]


def reconstruct_target(data: bytes) -> None:
    """Whatever the events say, reconstruction returns a transcript, never raises and never needs
    its safety net (an ``internal-error`` diagnostic is a handler that crashed)."""
    transcript = reconstruct(parse_sse(data))
    transcript.to_dict()
    assert INTERNAL_ERROR not in transcript.diagnostic_codes()


def load_target(data: bytes, suffix: str = ".json") -> None:
    """Any file content loads or fails with CassetteError naming the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzzed{suffix}"
        path.write_bytes(data)
        try:
            cassette = load_cassette(path)
        except CassetteError as error:
            assert str(path) in str(error)
            return
        for stream in cassette.streams:
            transcript = reconstruct(stream.events())
            transcript.to_dict()
            assert INTERNAL_ERROR not in transcript.diagnostic_codes()
