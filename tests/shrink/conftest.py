from __future__ import annotations

from pathlib import Path

import pytest

from harness import load_cassette, save_cassette
from tests.shrink.recording import BIG_CONVERSATION, record_conversation, split_inside_multibyte_argument


@pytest.fixture(scope="session")
def big_cassette_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A recorded conversation of thousands of events: a 3000-delta reply, a code-interpreter run (a
    message with two content parts), a tool call with a multi-byte argument (a read boundary planted
    inside it) and a run cut by an ``error`` event."""
    directory = tmp_path_factory.mktemp("shrink")
    recorded = directory / "recorded.json"
    record_conversation(recorded, BIG_CONVERSATION)
    planted = directory / "conversation.json"
    save_cassette(split_inside_multibyte_argument(load_cassette(recorded)), planted)
    return planted


@pytest.fixture(scope="session")
def small_cassette_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short conversation (three exchanges) ending in an ``error`` event, for the command-line tests
    (each check there starts a Python process)."""
    path = tmp_path_factory.mktemp("shrink-small") / "small.json"
    record_conversation(path, [("error", None)])
    return path


@pytest.fixture
def original(small_cassette_path: Path, tmp_path: Path) -> Path:
    """A copy of the small cassette, as a user's bug report (shrink writes beside it)."""
    copy = tmp_path / "report.json"
    copy.write_bytes(small_cassette_path.read_bytes())
    return copy
