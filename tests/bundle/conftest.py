from __future__ import annotations

from pathlib import Path

import pytest

from harness import load_cassette, save_cassette
from harness.shrink import shrink_cassette
from tests.shrink.recording import record_conversation
from tests.shrink.toy_parser import ToyParser, exposes


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: builds a fresh virtual environment (about a minute)")


@pytest.fixture(scope="session")
def report_cassette(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bug report's cassette: a recorded conversation shrunk to the events on which a toy parser
    wipes a message at an ``error`` event."""
    directory = tmp_path_factory.mktemp("bundle")
    recorded = directory / "recorded.json"
    record_conversation(recorded, [("text", 30), ("error", None)])
    result = shrink_cassette(load_cassette(recorded), exposes(ToyParser(error_resets_message=True)))
    path = directory / "report.json"
    save_cassette(result.cassette, path)
    return path
