"""The test a user attaches to a bug report: their parser loses the streamed text at an `error` event."""

import json
import os
from pathlib import Path

from harness import load_cassette


def live_text(chunks: list[bytes]) -> str:
    text = ""
    for block in b"".join(chunks).decode("utf-8").split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
        if lines.get("event") == "thread.message.delta":
            text += json.loads(lines["data"])["delta"]["content"][0]["text"]["value"]
        elif lines.get("event") == "error":
            text = ""  # the bug: an error wipes what was already shown
    return text


def test_partial_text_survives_an_error_event() -> None:
    cassette = load_cassette(Path(os.environ["HARNESS_CASSETTE"]))
    shown = live_text(cassette.streams[-1].chunks())
    assert shown != "", "the streamed text vanished at the error event"
