"""Event order, SDK-type validity, determinism, Unicode splitting and size of emulated streams."""

from __future__ import annotations

import itertools
import json
import re

import pytest

import harness.emulator.clock
from harness.emulator import SCENARIO_NAMES, Emulator, EmulatorRequest, FixedClock
from harness.sse import ServerSentEvent, parse_sse
from tests.emulator.support import CORPUS, WEATHER_TOOL, call, call_json, stream_scenario, validate_event
from tests.support.clocks import FakeTime

ID_FORMS = {
    "run": re.compile(r"run_[A-Za-z0-9]{24}"),
    "thread": re.compile(r"thread_[A-Za-z0-9]{24}"),
    "msg": re.compile(r"msg_[A-Za-z0-9]{24}"),
    "step": re.compile(r"step_[A-Za-z0-9]{24}"),
    "call": re.compile(r"call_[A-Za-z0-9]{24}"),
    "asst": re.compile(r"asst_[A-Za-z0-9]{24}"),
}


def _collapsed(events: list[ServerSentEvent]) -> list[str]:
    """Event names with runs of the same delta event folded into one."""
    return [name for name, _ in itertools.groupby(e.event for e in events)]


def _corpus(prefix: str) -> list[ServerSentEvent]:
    (path,) = CORPUS.glob(f"{prefix}-*.sse")
    return parse_sse(path.read_bytes())


@pytest.mark.parametrize(
    ("scenario", "tools", "create_and_run", "captures"),
    [
        ("text", [], False, ["008"]),
        ("tool-call", [WEATHER_TOOL], True, ["010", "011"]),
        ("file-search", [{"type": "file_search"}], False, ["014"]),
    ],
)
def test_event_order_matches_the_corpus(
    scenario: str, tools: list[dict[str, object]], create_and_run: bool, captures: list[str]
) -> None:
    streams = stream_scenario(Emulator(event_delay=0), scenario, tools=tools, create_and_run=create_and_run)
    assert [_collapsed(s) for s in streams] == [_collapsed(_corpus(c)) for c in captures]


def test_code_interpreter_step_shape_matches_the_corpus() -> None:
    (stream,) = stream_scenario(
        Emulator(event_delay=0), "code-interpreter", tools=[{"type": "code_interpreter"}]
    )
    # Like 006/007: a code step, then the message step; here with outputs as in 003/017.
    code_step = [
        "thread.run.step.created",
        "thread.run.step.in_progress",
        "thread.run.step.delta",
        "thread.run.step.completed",
    ]
    assert (
        _collapsed(stream) == _collapsed(_corpus("006"))[:3] + code_step * 2 + _collapsed(_corpus("006"))[7:]
    )


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_every_event_validates_against_the_sdk_types(scenario: str) -> None:
    streams = stream_scenario(Emulator(event_delay=0), scenario, tools=[WEATHER_TOOL])
    for event in itertools.chain.from_iterable(streams):
        validate_event(event)
    body = "".join(e.data for e in itertools.chain.from_iterable(streams))
    for prefix, form in ID_FORMS.items():
        for found in re.findall(rf'"(?:id|\w+_id)":"({prefix}_[^"]*)"', body):
            assert form.fullmatch(found), found
    for found in re.findall(r'":"(file-[^"]*)"', body):
        assert re.fullmatch(r"file-[A-Za-z0-9]{22}", found), found
    last = streams[-1]
    if scenario == "error":
        assert last[-1].event == "error" and "error" in json.loads(last[-1].data)
    else:
        assert last[-1] == ServerSentEvent(event="done", data="[DONE]")


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_same_seed_same_bytes(scenario: str) -> None:
    def play(seed: int) -> list[bytes]:
        emulator = Emulator(seed=seed, clock=FixedClock(), event_delay=0)
        streams = stream_scenario(emulator, scenario, tools=[WEATHER_TOOL])
        return [b"".join(f"{e.event}\n{e.data}\n".encode() for e in s) for s in streams]

    assert play(5) == play(5)
    assert play(5) != play(6)


def test_same_seed_same_bytes_over_the_core_including_headers() -> None:
    def transcript() -> list[tuple[int, bytes, list[tuple[str, str]]]]:
        emulator = Emulator(seed=1, clock=FixedClock(), event_delay=0)
        assistant = call_json(emulator, "POST", "/v1/assistants", {"model": "gpt-4o", "instructions": "x"})
        body = json.dumps(
            {
                "assistant_id": assistant["id"],
                "stream": True,
                "thread": {"messages": [{"role": "user", "content": "hi"}]},
            }
        ).encode()
        response = emulator.handle(EmulatorRequest.from_target("POST", "/v1/threads/runs", {}, body))
        return [(response.status, response.read(), response.headers)]

    assert transcript() == transcript()


def test_timestamps_are_unix_seconds_and_ordered(monkeypatch: pytest.MonkeyPatch) -> None:
    now = 1_767_225_600.75  # what the system clock says, in seconds since the epoch
    monkeypatch.setattr(harness.emulator.clock, "time", FakeTime(time=lambda: now))
    (stream,) = stream_scenario(Emulator(event_delay=0), "text")
    created = [json.loads(e.data)["created_at"] for e in stream if e.event.endswith(".created")]
    assert all(isinstance(t, int) and int(now) <= t < now + 600 for t in created)
    assert created == sorted(created)
    final = json.loads(stream[-2].data)
    assert final["created_at"] <= final["started_at"] <= final["completed_at"]


def test_unicode_deltas_split_inside_grapheme_clusters() -> None:
    emulator = Emulator(event_delay=0)
    assistant = call_json(
        emulator,
        "POST",
        "/v1/assistants",
        {"model": "gpt-4o", "instructions": "x", "metadata": {"emulator_scenario": "unicode"}},
    )
    thread = call_json(emulator, "POST", "/v1/threads", {"messages": [{"role": "user", "content": "hi"}]})
    status, raw = call(
        emulator,
        "POST",
        f"/v1/threads/{thread['id']}/runs",
        {"assistant_id": assistant["id"], "stream": True},
    )
    assert status == 200
    assert b"\\u" not in raw, "text is sent as raw UTF-8, as the real API does"
    events = parse_sse(raw)
    pieces = [
        json.loads(e.data)["delta"]["content"][0]["text"]["value"]
        for e in events
        if e.event == "thread.message.delta"
    ]
    final = next(json.loads(e.data) for e in events if e.event == "thread.message.completed")
    assert "".join(pieces) == final["content"][0]["text"]["value"]
    assert any(p.endswith("\u200d") for p in pieces), "a delta ends inside a ZWJ sequence"
    assert "\U0001f1ef" in pieces and "\U0001f1f5" in pieces, "a flag is split between deltas"
    assert "\u0301" in pieces, "a combining accent arrives alone"
    assert any(len(p.encode()) > len(p) for p in pieces)


def test_large_stream_of_100k_deltas() -> None:
    emulator = Emulator(event_delay=0, message_deltas=100_000)
    (stream,) = stream_scenario(emulator, "text")
    deltas = [e for e in stream if e.event == "thread.message.delta"]
    assert len(deltas) == 100_000
    final = next(json.loads(e.data) for e in stream if e.event == "thread.message.completed")
    assert final["content"][0]["text"]["value"].endswith(".")
