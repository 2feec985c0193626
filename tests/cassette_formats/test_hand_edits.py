"""Cassettes edited by hand, the way a person does it in a text editor, still load, replay through
the openai SDK (which receives the edited bytes) and show the edit in the snapshot diff."""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openai
import pytest
from openai.lib.streaming import AssistantEventHandler
from openai.types.beta.threads.run_submit_tool_outputs_params import ToolOutput

from harness.cassette import load_cassette
from harness.cassette.chunk_table import ChunkTableRefit
from harness.cli import main
from harness.cli.checks import check_file
from harness.playback.context import use_cassette
from tests.cli.record_support import DEAD_BASE_URL, record

ROOT = Path(__file__).resolve().parents[2]
WEATHER = ROOT / "examples" / "weather"
WEATHER_CASSETTE = "cassettes/test_weather_assistant/test_answers_with_the_local_weather.json"
FAKE_KEY = "sk-test-fake-hand-edits"

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::harness.cassette.chunk_table.ChunkTableRefit"),
]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("scenarios")
    return {scenario: record(folder / f"{scenario}.json", scenario) for scenario in ("text", "tool-call")}


# --- edits, as text changes to the file ----------------------------------------------------------


def _delta_line(lines: list[str]) -> int:
    """The number of the first event line holding a text delta (not the first: that keeps the
    edit in the middle of the stream)."""
    found = [
        n for n, line in enumerate(lines) if "thread.message.delta" in line and '\\"value\\":\\"' in line
    ]
    return found[1]


def change_a_word(text: str) -> str:
    lines = text.split("\n")
    number = _delta_line(lines)
    lines[number] = re.sub(r'(\\"value\\":\\")([^\\]*)', r"\1 EDITED-longer-word\2", lines[number], count=1)
    return "\n".join(lines)


def delete_a_delta_line(text: str) -> str:
    lines = text.split("\n")
    del lines[_delta_line(lines)]
    return "\n".join(lines)


def change_a_status(text: str) -> str:
    lines = text.split("\n")
    number = max(n for n, line in enumerate(lines) if line.startswith('"event: thread.run.completed'))
    lines[number] = lines[number].replace('\\"status\\":\\"completed\\"', '\\"status\\":\\"failed\\"')
    return "\n".join(lines)


def delete_the_chunk_table(text: str) -> str:
    return "\n".join(
        line for line in text.split("\n") if not line.lstrip().startswith(('"chunk_sizes"', '"chunk_ms"'))
    )


EDITS: dict[str, Callable[[str], str]] = {
    "word": change_a_word,
    "delete-delta": delete_a_delta_line,
    "status": change_a_status,
    "no-chunk-table": delete_the_chunk_table,
}


def edited_copy(source: Path, folder: Path, edit: str) -> Path:
    text = source.read_text(encoding="utf-8")
    changed = EDITS[edit](text)
    assert changed != text
    path = folder / f"edited-{edit}.json"
    path.write_text(changed, encoding="utf-8")
    return path


# --- replay through the SDK, seeing every delta ---------------------------------------------------


@dataclass
class Seen:
    text: str = ""
    statuses: list[str] = field(default_factory=list)


class _Handler(AssistantEventHandler):
    def __init__(self, seen: Seen) -> None:
        super().__init__()
        self.seen = seen

    def on_text_delta(self, delta: Any, snapshot: Any) -> None:
        self.seen.text += delta.value or ""


def sdk_replay(path: Path) -> Seen:
    """The conversation of an emulator recording through the SDK, served from ``path`` only
    (matched by method and path, so the requests need not repeat the recorded bodies)."""
    seen = Seen()
    client = openai.OpenAI(api_key=FAKE_KEY, base_url=DEAD_BASE_URL, max_retries=0, timeout=10)
    with client, use_cassette(path, record_mode="none", match_on=["method", "path"]):
        assistant = client.beta.assistants.create(model="gpt-4o")
        thread = client.beta.threads.create()
        client.beta.threads.messages.create(thread_id=thread.id, role="user", content="hi")
        handler = _Handler(seen)
        with client.beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id, event_handler=handler
        ) as stream:
            stream.until_done()
        run = handler.current_run
        while run is not None and run.status == "requires_action" and run.required_action is not None:
            seen.statuses.append(run.status)
            outputs: list[ToolOutput] = [
                {"tool_call_id": call.id, "output": "done"}
                for call in run.required_action.submit_tool_outputs.tool_calls
            ]
            handler = _Handler(seen)
            with client.beta.threads.runs.submit_tool_outputs_stream(
                thread_id=thread.id, run_id=run.id, tool_outputs=outputs, event_handler=handler
            ) as stream:
                stream.until_done()
            run = handler.current_run
        if run is not None:
            seen.statuses.append(run.status)
    return seen


def loaded_with_warnings(path: Path) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_cassette(path)
    return [str(item.message) for item in caught if issubclass(item.category, ChunkTableRefit)]


def snapshot_diff(first: Path, second: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    main(["diff", str(first), str(second)])
    return capsys.readouterr().out


# --- the tests -------------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", ["text", "tool-call"])
def test_a_word_changed_so_the_length_changes(
    scenario: str, recorded: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = recorded[scenario]
    edited = edited_copy(original, tmp_path, "word")

    refits = loaded_with_warnings(edited)
    assert len(refits) == 1 and refits[0].startswith(f"{edited}: exchanges[")
    assert ".response.stream: the chunk table" in refits[0]

    before, after = sdk_replay(original), sdk_replay(edited)
    assert "EDITED-longer-word" in after.text and "EDITED-longer-word" not in before.text
    assert after.text.replace(" EDITED-longer-word", "", 1) == before.text
    assert after.statuses == before.statuses

    diff = snapshot_diff(original, edited, capsys)
    assert re.search(r'^\+thread\.message\.delta <msg:1> \+" EDITED-longer-word', diff, re.MULTILINE)
    assert any("delta-snapshot-mismatch" in finding.text for finding in check_file(edited))


@pytest.mark.parametrize("scenario", ["text", "tool-call"])
def test_a_delta_line_deleted(
    scenario: str, recorded: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = recorded[scenario]
    edited = edited_copy(original, tmp_path, "delete-delta")
    assert len(loaded_with_warnings(edited)) == 1

    before, after = sdk_replay(original), sdk_replay(edited)
    assert len(after.text) < len(before.text)
    diff = snapshot_diff(original, edited, capsys)
    assert re.search(r"^-thread\.message\.delta <msg:1> \+", diff, re.MULTILINE)
    assert any("delta-snapshot-mismatch" in finding.text for finding in check_file(edited))


def test_a_status_changed(
    recorded: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = recorded["text"]
    edited = edited_copy(original, tmp_path, "status")
    assert len(loaded_with_warnings(edited)) == 1

    assert sdk_replay(original).statuses == ["completed"]
    assert sdk_replay(edited).statuses == ["failed"]
    diff = snapshot_diff(original, edited, capsys)
    assert '-  status = "completed"' in diff and '+  status = "failed"' in diff
    assert any("status-mismatch" in finding.text for finding in check_file(edited))


def test_the_chunk_table_deleted_replays_one_chunk_per_event(
    recorded: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = recorded["tool-call"]
    edited = edited_copy(original, tmp_path, "no-chunk-table")
    assert loaded_with_warnings(edited) == []
    for stream in load_cassette(edited).streams:
        assert stream.chunk_sizes == [len(frame) for frame in stream.frames]
        assert stream.chunks() == stream.frames
    assert sdk_replay(edited) == sdk_replay(original)
    assert snapshot_diff(original, edited, capsys) == ""


def test_untouched_events_keep_their_recorded_chunks_and_times(
    recorded: dict[str, Path], tmp_path: Path
) -> None:
    original = load_cassette(recorded["text"])
    edited = load_cassette(edited_copy(recorded["text"], tmp_path, "word"))
    for before, after in zip(original.streams, edited.streams, strict=True):
        changed = [n for n, (a, b) in enumerate(zip(before.frames, after.frames, strict=True)) if a != b]
        assert len(changed) <= 1
        if not changed:
            assert (after.chunk_sizes, after.chunk_times) == (before.chunk_sizes, before.chunk_times)
            continue
        start = sum(len(frame) for frame in before.frames[: changed[0]])
        old_end = start + len(before.frames[changed[0]])
        new_end = start + len(after.frames[changed[0]])
        old_chunks = list(zip(_ends(before.chunk_sizes), before.chunk_times, strict=True))
        new_chunks = list(zip(_ends(after.chunk_sizes), after.chunk_times, strict=True))
        assert [c for c in new_chunks if c[0] <= start] == [c for c in old_chunks if c[0] <= start]
        shift = new_end - old_end
        assert [(end - shift, t) for end, t in new_chunks if end >= new_end] == [
            c for c in old_chunks if c[0] >= old_end
        ]


def _ends(sizes: list[int]) -> list[int]:
    ends, total = [], 0
    for size in sizes:
        total += size
        ends.append(total)
    return ends


def test_the_weather_example_edited_shows_the_edit_in_its_snapshot_diff(pytester: pytest.Pytester) -> None:
    project = pytester.path / "weather"
    shutil.copytree(WEATHER, project, ignore=shutil.ignore_patterns("__pycache__"))
    cassette = project / WEATHER_CASSETTE
    text = cassette.read_text(encoding="utf-8")
    assert text.count('\\" waiting\\"') == 1
    cassette.write_text(text.replace('\\" waiting\\"', '\\" patiently waiting\\"'), encoding="utf-8")

    result = pytester.runpytest_subprocess(
        str(project / "test_weather_assistant.py::test_answers_with_the_local_weather"),
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(project),
    )
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    # the SDK got the edited bytes: the app's own assertions on the reply text passed, then the
    # snapshot of the reconstruction differed exactly there
    assert "assert run_snapshot == run_cassette.transcript" in out
    assert '-     thread.message.delta x24 <msg:1> +"Thanks for waiting.' in out
    assert '+     thread.message.delta x24 <msg:1> +"Thanks for patiently waiting.' in out
    assert f"ChunkTableRefit: {cassette}: exchanges[3].response.stream" in out
