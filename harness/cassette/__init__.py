"""Cassettes: recorded HTTP exchanges whose streamed bodies keep their events, chunks and timing."""

from harness.cassette.load import load_cassette
from harness.cassette.model import (
    Cassette,
    Exchange,
    RecordedRequest,
    RecordedResponse,
    RecordedStream,
)
from harness.cassette.save import save_cassette

__all__ = [
    "Cassette",
    "Exchange",
    "RecordedRequest",
    "RecordedResponse",
    "RecordedStream",
    "load_cassette",
    "save_cassette",
]
