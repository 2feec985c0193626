"""What the Responses and Chat Completions folds share, through the protocol registry: a rule broken
many times is listed a thousand times and then counted, and the ``inspect --format json`` shape."""

from __future__ import annotations

import pytest

from harness.protocols import by_name, fold
from harness.protocols.chat_fold import fold_chat
from harness.protocols.responses_fold import fold_responses
from harness.sse import parse_sse

BROKEN = b"data: {oops\n\n"


@pytest.mark.parametrize("protocol", ["responses", "chat.completions"])
def test_a_rule_broken_many_times_is_listed_a_thousand_times_then_counted(protocol: str) -> None:
    transcript = fold(by_name(protocol), [parse_sse(BROKEN * 1_500)])
    invalid = [diagnostic for diagnostic in transcript.diagnostics if diagnostic.code == "invalid-json"]
    assert len(invalid) == 1_001
    assert [diagnostic.event for diagnostic in invalid[:1_000]] == list(range(1_000))
    assert invalid[-1].message == "500 more invalid-json diagnostics not listed"
    assert (invalid[-1].stream, invalid[-1].event) == (None, None)
    assert len(transcript.event_names) == 1_500
    # the other rules broken along the way are still listed
    assert [d.code for d in transcript.diagnostics if d.code != "invalid-json"] == [
        "missing-terminal" if protocol == "responses" else "missing-done"
    ]


@pytest.mark.parametrize("protocol", ["responses", "chat.completions"])
def test_exactly_a_thousand_findings_of_one_rule_are_all_listed(protocol: str) -> None:
    transcript = fold(by_name(protocol), [parse_sse(BROKEN * 1_000)])
    messages = [d.message for d in transcript.diagnostics if d.code == "invalid-json"]
    assert len(messages) == 1_000
    assert not any("not listed" in message for message in messages)


@pytest.mark.parametrize(
    ("protocol", "objects", "final"),
    [("responses", "responses", "final_response"), ("chat.completions", "completions", "final_completion")],
)
def test_the_inspect_json_shape_of_an_empty_cassette(protocol: str, objects: str, final: str) -> None:
    shape = fold(by_name(protocol), [[]]).to_dict()
    assert shape == {
        "protocol": protocol,
        "events": [],
        objects: [],
        final: None,
        "diagnostics": [
            {
                "code": "empty-stream",
                "message": "the stream holds no event (is this a text/event-stream body?)",
                "stream": 0,
            }
        ],
    }


def test_the_fold_functions_keep_per_event_views_only_when_asked() -> None:
    body = b'data: {"type": "response.created", "response": {"id": "resp_1"}}\n\n'
    for fold_function in (fold_chat, fold_responses):
        plain = fold_function([parse_sse(body)])
        assert (plain.event_data, plain.event_texts, plain.event_statuses) == ([], [], [])
        viewed = fold_function([parse_sse(body)], views=True)
        assert viewed.event_data == ['{"type": "response.created", "response": {"id": "resp_1"}}']
        assert len(viewed.event_texts) == len(viewed.event_statuses) == 1
