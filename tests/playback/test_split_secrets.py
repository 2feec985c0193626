"""A key streamed in pieces over several delta events is masked in every piece."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

import harness.protocols
from harness.cassette.model import Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.protocols import StreamedString
from harness.reconstruct import reconstruct
from harness.scrub import ScrubRules, find_secrets, scrub_exchange
from harness.sse import ServerSentEvent, encode_events, parse_sse

KEY = "sk-test-fake-split-secret-0123456789abcdef"


def _delta(text: str) -> ServerSentEvent:
    return ServerSentEvent(
        "thread.message.delta",
        json.dumps(
            {
                "id": "msg_1",
                "object": "thread.message.delta",
                "delta": {"content": [{"index": 0, "type": "text", "text": {"value": text}}]},
            }
        ),
    )


def _arguments(piece: str) -> ServerSentEvent:
    return ServerSentEvent(
        "thread.run.step.delta",
        json.dumps(
            {
                "id": "step_1",
                "object": "thread.run.step.delta",
                "delta": {
                    "step_details": {
                        "type": "tool_calls",
                        "tool_calls": [{"index": 0, "type": "function", "function": {"arguments": piece}}],
                    }
                },
            }
        ),
    )


def _scrubbed(events: list[ServerSentEvent]) -> bytes:
    body = encode_events(events)
    exchange = Exchange(
        RecordedRequest("POST", "http://x/v1/threads/t/runs"),
        RecordedResponse(
            200,
            "OK",
            [("content-type", "text/event-stream")],
            stream=RecordedStream.from_chunks([body[:50], body[50:]], [0.0, 0.1]),
        ),
    )
    result = scrub_exchange(exchange, ScrubRules())
    assert result is not None and result.response.stream is not None
    stream = result.response.stream
    assert sum(stream.chunk_sizes) == len(stream.body)
    assert find_secrets([result]) == []
    return stream.body


def test_key_split_across_two_text_deltas_is_masked_in_both() -> None:
    events = [
        _delta("Your key: " + KEY[:10]),
        _delta(KEY[10:] + " keep it safe"),
        ServerSentEvent("done", "[DONE]"),
    ]
    body = _scrubbed(events)
    text = reconstruct(parse_sse(body)).messages[0]["content"][0]["text"]["value"]
    assert KEY not in text and KEY[:10] not in body.decode() and KEY[10:] not in body.decode()
    assert text == "Your key: " + "*" * len(KEY) + " keep it safe"


def test_key_split_across_three_argument_deltas_is_masked() -> None:
    pieces = ['{"token": "' + KEY[:5], KEY[5:20], KEY[20:] + '"}']
    body = _scrubbed([_arguments(piece) for piece in pieces])
    arguments = "".join(
        json.loads(e.data)["delta"]["step_details"]["tool_calls"][0]["function"]["arguments"]
        for e in parse_sse(body)
    )
    assert arguments == '{"token": "' + "*" * len(KEY) + '"}'


def test_innocent_deltas_are_left_byte_for_byte() -> None:
    events = [_delta("sk"), _delta("-short"), _delta(" words")]
    assert _scrubbed(events) == encode_events(events)


class _PiecesProtocol:
    """A made-up protocol whose deltas are ``{"type": "x.delta", "item": ID, "delta": "piece"}``."""

    name = "made-up"

    def streamed_strings(self, name: str, payload: Any) -> Iterator[StreamedString]:
        if isinstance(payload, dict) and payload.get("type") == "x.delta":
            yield StreamedString(("delta",), (payload.get("item"),), payload["delta"])


def test_a_protocol_added_to_the_registry_gets_its_split_secrets_masked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(harness.protocols, "PROTOCOLS", (*harness.protocols.PROTOCOLS, _PiecesProtocol()))
    pieces = ["my key: " + KEY[:8], KEY[8:30], KEY[30:] + " ok"]
    events = [
        ServerSentEvent("x.delta", json.dumps({"type": "x.delta", "item": "i1", "delta": p})) for p in pieces
    ]
    body = _scrubbed(events)
    joined = "".join(json.loads(event.data)["delta"] for event in parse_sse(body))
    assert joined == "my key: " + "*" * len(KEY) + " ok"
