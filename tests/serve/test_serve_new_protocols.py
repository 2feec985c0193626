"""``harness serve`` replays Responses and Chat Completions cassettes to the SDK by base URL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openai
import pytest

from harness.cli import main
from harness.cli.api_conversations import drive_chat, drive_responses
from harness.cli.conversation import FAKE_KEY
from harness.serve import ReplayServer


@pytest.mark.parametrize(("api", "drive"), [("responses", drive_responses), ("chat", drive_chat)])
@pytest.mark.parametrize("chunking", ["recorded", "byte", "random:5"])
def test_the_sdk_replays_a_tool_call_conversation_from_the_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], api: str, drive: Callable[..., str], chunking: str
) -> None:
    cassette = tmp_path / f"{api}.json"
    assert main(["record", "--api", api, "--scenario", "parallel-tools", "--cassette", str(cassette)]) == 0
    capsys.readouterr()
    said: list[str] = []
    with ReplayServer([cassette], chunking=chunking) as server:
        with openai.OpenAI(api_key=FAKE_KEY, base_url=server.base_url, max_retries=0, timeout=10) as client:
            status = drive(client, "parallel-tools", say=said.append)
        assert server.app.unplayed == []
    assert status in ("completed", "stop")
    assert said[1] == (
        "sending 2 function call output(s)" if api == "responses" else "sending 2 tool output(s)"
    )
