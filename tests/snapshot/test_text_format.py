"""The readable form of a conversation: event lines, then objects field by field, placeholders."""

from __future__ import annotations

import difflib
from typing import Any

from harness.reconstruct import reconstruct
from harness.snapshot import Placeholders, render_transcript
from tests.snapshot.conversation import edit_data, real_streams, rerecorded, transcript_of, without_event


def _text(streams: Any, timestamps: str = "offset") -> str:
    return render_transcript(transcript_of(streams), Placeholders(timestamps))  # type: ignore[arg-type]


def test_events_come_first_one_line_each_with_deltas_folded() -> None:
    lines = _text(real_streams()).splitlines()

    assert lines[:4] == [
        "events: 2 streams, 61 events",
        "  stream 1:",
        "    thread.created <thread:1>",
        "    thread.run.created <run:1>",
    ]
    assert '    thread.run.step.delta x2 <step:1> +"{}"' in lines
    assert '    thread.message.delta x40 <msg:1> +"Since it\'s warm and sunny outside, you s…"' in lines
    sections = ["  stream 2:", "runs:", "run_steps:", "messages:"]
    assert [lines.index(section) for section in sections] == sorted(lines.index(s) for s in sections)
    assert lines[-1] == "diagnostics: none"


def test_objects_are_written_field_by_field_with_related_placeholders() -> None:
    text = _text(real_streams())

    assert '  - id: <run:1>\n    object: "thread.run"\n    created_at: <t+0s>' in text
    assert "    run_id: <run:1>" in text and "    thread_id: <thread:1>" in text
    assert '            arguments: "{}"\n            output: "warm and sunny"' in text
    assert "        message_id: <msg:1>" in text
    assert "expires_at: <t+600s>" in text  # an offset, not the absolute time
    assert "run_" not in text.replace("run_id", "").replace("run_steps", "")
    assert "1761861" not in text


def test_the_same_conversation_recorded_again_gives_the_same_text() -> None:
    first = _text(real_streams())
    again = _text(rerecorded(real_streams(), seed=9, shift=86_400 * 40 + 17))

    assert again == first


def test_masked_timestamps_show_no_durations() -> None:
    text = _text(real_streams(), timestamps="mask")

    assert "created_at: <timestamp>" in text and "<t+" not in text


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_a_lost_delta_changes_the_delta_line_and_the_message_text() -> None:
    streams = real_streams()
    lost = without_event(streams, stream=1, name="thread.message.delta", occurrence=3)

    changed = _changed_lines(_text(streams), _text(lost))

    assert '-    thread.message.delta x40 <msg:1> +"Since it\'s warm and sunny outside, you s…"' in changed
    assert any(line.startswith("+    thread.message.delta x39 <msg:1>") for line in changed)
    assert any(
        line.startswith("+  - [stream 2, event 46, content] delta-snapshot-mismatch: <msg:1>")
        for line in changed
    )


def test_a_changed_tool_argument_shows_in_the_delta_line_and_the_step() -> None:
    def paris(payload: Any) -> Any:
        for call in payload["delta"]["step_details"]["tool_calls"]:
            if call["function"].get("arguments") == "{}":
                call["function"]["arguments"] = '{"city":"Paris"}'
        return payload

    edited = edit_data(real_streams(), "thread.run.step.delta", paris)
    changed = _changed_lines(_text(real_streams()), _text(edited))

    assert '+    thread.run.step.delta x2 <step:1> +"{\\"city\\":\\"Paris\\"}"' in changed
    assert '-    thread.run.step.delta x2 <step:1> +"{}"' in changed


def test_a_plain_transcript_is_written_without_delta_text() -> None:
    text = render_transcript(reconstruct(real_streams()), Placeholders())

    assert "    thread.message.delta x40 <msg:1>\n" in text


def test_protocol_problems_are_listed_as_diagnostics() -> None:
    text = _text(without_event(real_streams(), stream=0, name="done", occurrence=0))

    assert text.endswith(
        "diagnostics:\n  - [stream 1, event 8] missing-done: the stream ended after event 8 "
        "without a 'done' event"
    )
