"""Shrinking a recorded conversation of thousands of events to the few that expose a parser bug."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from harness import load_cassette, parse_sse, reconstruct, save_cassette
from harness.cassette.model import Cassette
from harness.cli import main
from harness.shrink import NothingToShrinkError, protocol_problems, shrink_cassette
from harness.sse import ServerSentEvent
from tests.shrink.recording import splits_multibyte_character
from tests.shrink.toy_parser import CORRECT, ToyParser, exposes
from tests.support.clocks import FakeClock

MAX_EVENTS = 10
MAX_CHECKS = 300


def events_of(cassette: Cassette) -> list[ServerSentEvent]:
    return [event for stream in cassette.streams for event in parse_sse(stream.frames)]


def has_split_multibyte_argument(cassette: Cassette) -> bool:
    return any(
        splits_multibyte_character(stream) and b'"arguments":"' in stream.body for stream in cassette.streams
    )


def has_second_content_part(cassette: Cassette) -> bool:
    deltas = [json.loads(e.data) for e in events_of(cassette) if e.event == "thread.message.delta"]
    return any(piece.get("index") == 1 for delta in deltas for piece in delta["delta"].get("content", []))


def has_error_after_delta(cassette: Cassette) -> bool:
    names = [event.event for event in events_of(cassette)]
    return "error" in names and "thread.message.delta" in names[: names.index("error")]


BUGS: dict[str, tuple[ToyParser, Callable[[Cassette], bool]]] = {
    "split-multibyte-argument": (ToyParser(decode_per_chunk=True), has_split_multibyte_argument),
    "second-content-part": (ToyParser(first_part_only=True), has_second_content_part),
    "error-after-delta": (ToyParser(error_resets_message=True), has_error_after_delta),
}


def test_the_correct_parser_agrees_with_the_harness(big_cassette_path: Path) -> None:
    """The oracle of the planted-bug tests is right: its texts are what reconstruction folds."""
    cassette = load_cassette(big_cassette_path)
    view = CORRECT.view(cassette)
    transcript = reconstruct([parse_sse(stream.frames) for stream in cassette.streams])
    for message in transcript.messages:
        if message.get("role") == "assistant":
            folded = {
                number: part["text"]["value"]
                for number, part in enumerate(message["content"])
                if part["type"] == "text"
            }
            assert view.texts[message["id"]] == folded
    assert len(events_of(cassette)) > 3000


@pytest.mark.parametrize("bug", list(BUGS))
def test_shrinks_to_a_few_well_formed_events_that_still_expose_the_bug(
    bug: str, big_cassette_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser, has_trigger = BUGS[bug]
    cassette = load_cassette(big_cassette_path)
    still_fails = exposes(parser)
    assert still_fails(cassette) and has_trigger(cassette)

    started = time.monotonic()
    result = shrink_cassette(cassette, still_fails, max_checks=MAX_CHECKS)
    elapsed = time.monotonic() - started

    with capsys.disabled():  # the measurement, shown with -s
        print(
            f"\n{bug}: {result.events_before} -> {result.events_after} events, {result.checks} checks, "
            f"{elapsed:.2f}s"
        )
    assert result.events_before > 3000
    assert result.events_after <= MAX_EVENTS
    assert len(events_of(result.cassette)) == result.events_after
    assert result.checks <= MAX_CHECKS and result.stopped is None
    assert still_fails(result.cassette) and has_trigger(result.cassette)
    assert protocol_problems(result.cassette) == frozenset()
    written = tmp_path / "min.json"
    save_cassette(result.cassette, written)
    assert still_fails(load_cassette(written))
    capsys.readouterr()
    assert main(["validate", str(written)]) == 0, capsys.readouterr().out


def test_allow_malformed_lets_the_protocol_go(big_cassette_path: Path) -> None:
    cassette = load_cassette(big_cassette_path)
    still_fails = exposes(ToyParser(error_resets_message=True))
    result = shrink_cassette(cassette, still_fails, allow_malformed=True, max_checks=MAX_CHECKS)
    names = [event.event for event in events_of(result.cassette)]
    # the toy parser needs no run and no `created` event to show the bug: a delta, then the error
    assert names == ["thread.message.delta", "error"]
    assert still_fails(result.cassette)
    assert protocol_problems(result.cassette)  # a message delta nobody created


def test_consecutive_deltas_of_one_part_are_joined(big_cassette_path: Path) -> None:
    """A failure that needs a phrase spread over several deltas keeps it, as one delta."""
    phrase = "The mean of the sample"

    def shows_phrase(candidate: Cassette) -> bool:
        return any(
            phrase in text for parts in CORRECT.view(candidate).texts.values() for text in parts.values()
        )

    result = shrink_cassette(load_cassette(big_cassette_path), shows_phrase, max_checks=MAX_CHECKS)
    deltas = [
        json.loads(event.data)
        for event in events_of(result.cassette)
        if event.event == "thread.message.delta"
    ]
    assert [piece["text"]["value"] for delta in deltas for piece in delta["delta"]["content"]] == [phrase]
    assert protocol_problems(result.cassette) == frozenset()


def test_the_input_cassette_object_is_not_modified(big_cassette_path: Path) -> None:
    cassette = load_cassette(big_cassette_path)
    before = copy.deepcopy(cassette)
    shrink_cassette(cassette, exposes(ToyParser(first_part_only=True)), max_checks=MAX_CHECKS)
    assert cassette == before


def test_a_predicate_that_holds_on_the_original_is_refused(big_cassette_path: Path) -> None:
    with pytest.raises(NothingToShrinkError, match="passes on the cassette as given"):
        shrink_cassette(load_cassette(big_cassette_path), lambda candidate: False)


def test_the_check_limit_stops_with_a_failing_cassette(big_cassette_path: Path) -> None:
    still_fails = exposes(ToyParser(first_part_only=True))
    result = shrink_cassette(load_cassette(big_cassette_path), still_fails, max_checks=4)
    assert result.checks == 4
    assert result.stopped == "reached the limit of 4 checks"
    assert still_fails(result.cassette)
    assert result.events_after < result.events_before


def test_the_deadline_stops_with_a_failing_cassette(big_cassette_path: Path) -> None:
    fails = exposes(ToyParser(first_part_only=True))  # about 30 checks: 3 s at 0.1 s each
    clock = FakeClock()

    def slow_check(candidate: Cassette) -> bool:
        clock.advance(0.1)
        return fails(candidate)

    cassette = load_cassette(big_cassette_path)
    result = shrink_cassette(cassette, slow_check, deadline=clock.now + 1.0, clock=clock)
    assert result.stopped == "reached the time limit"
    assert result.checks == 10  # the tenth check ends at the deadline: no eleventh starts
    assert fails(result.cassette)
    assert result.events_after < result.events_before
