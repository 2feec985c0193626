"""Scrubbing, through its public functions: named JSON paths (with ``*``) in bodies and stream events,
secret query parameters, chunk tables after an edit, and the last refusal to write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import ScrubRules, SecretLeakError, parse_sse, save_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.scrub import Scrubber, scrub_request, scrub_stream

FAKE_KEY = "sk-test-FAKEFAKEFAKEFAKEFAKE0123"
URL = "https://api.openai.com/v1/threads/runs"


def _frame(name: str, data: object) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()


def _stream(frames: list[bytes], sizes: list[int] | None = None) -> RecordedStream:
    body = b"".join(frames)
    sizes = sizes if sizes is not None else [len(body)]
    return RecordedStream(list(frames), sizes, [0.01 * n for n in range(len(sizes))])


def test_json_paths_redact_stream_event_data() -> None:
    run = {"id": "run_1", "metadata": {"user_email": "alice@example.com", "team": "blue"}}
    stream = _stream([_frame("thread.run.created", run), _frame("done", "[DONE]")])
    scrubbed = scrub_stream(stream, ScrubRules(json_paths=["metadata.user_email"]))
    first = json.loads(parse_sse(scrubbed.body)[0].data)
    assert first["metadata"] == {"user_email": "REDACTED", "team": "blue"}
    assert b"alice@example.com" not in scrubbed.body
    # without the rule the address is kept: it is not a secret by the default rules
    assert b"alice@example.com" in scrub_stream(stream, ScrubRules()).body


def test_a_wildcard_in_json_paths_matches_any_key_and_any_list_item() -> None:
    body = {
        "metadata": {"a": "one", "b": "two"},
        "messages": [{"role": "user", "content": "hi"}, {"role": "user", "content": "there"}],
        "keep": "this",
    }
    request = RecordedRequest("POST", URL, [], json.dumps(body).encode())
    rules = ScrubRules(json_paths=["metadata.*", "messages.*.content", "missing.*", "messages.7.role"])
    scrubbed = json.loads(scrub_request(request, rules).body)
    assert scrubbed["metadata"] == {"a": "REDACTED", "b": "REDACTED"}
    assert [m["content"] for m in scrubbed["messages"]] == ["REDACTED", "REDACTED"]
    assert [m["role"] for m in scrubbed["messages"]] == ["user", "user"]
    assert scrubbed["keep"] == "this"
    by_position = json.loads(scrub_request(request, ScrubRules(json_paths=["messages.1.content"])).body)
    assert [m["content"] for m in by_position["messages"]] == ["hi", "REDACTED"]


@pytest.mark.parametrize("name", ["key", "api_key", "api-key", "access_token", "token", "API_KEY"])
def test_secret_query_parameters_are_redacted(name: str) -> None:
    request = RecordedRequest("GET", f"{URL}?limit=5&{name}=plainvalue123&order=asc", [], b"")
    url = scrub_request(request, ScrubRules()).url
    assert "plainvalue123" not in url
    assert f"{name}=REDACTED" in url and "limit=5" in url and "order=asc" in url


def test_ordinary_query_parameters_are_kept() -> None:
    request = RecordedRequest("GET", f"{URL}?limit=5&after=msg_123&monkey=banana", [], b"")
    assert scrub_request(request, ScrubRules()).url == request.url


def test_chunk_sizes_follow_a_scrub_edit_that_changes_a_frame_length() -> None:
    run = {"id": "run_1", "metadata": {"user_email": "alice@example.com"}}
    frames = [
        _frame("thread.run.created", {"id": "run_0"}),
        _frame("thread.run.queued", run),
        _frame("done", "[DONE]"),
    ]
    body = b"".join(frames)
    # chunk boundaries inside the first frame, inside the edited one and inside the last
    cuts = [5, len(frames[0]) + 30, len(frames[0]) + len(frames[1]) + 4]
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    scrubbed = scrub_stream(_stream(frames, sizes), ScrubRules(json_paths=["metadata.user_email"]))
    assert len(scrubbed.body) < len(body)
    assert sum(scrubbed.chunk_sizes) == len(scrubbed.body)
    assert len(scrubbed.chunk_sizes) == len(sizes) and all(size > 0 for size in scrubbed.chunk_sizes)
    # boundaries in frames left alone stay where they were, relative to their frame
    assert scrubbed.chunk_sizes[0] == 5
    assert scrubbed.chunk_sizes[-1] == sizes[-1]
    assert [event.event for event in parse_sse(scrubbed.chunks())] == [
        "thread.run.created",
        "thread.run.queued",
        "done",
    ]
    assert scrubbed.chunk_times == [0.0, 0.01, 0.02, 0.03]


def test_a_key_in_a_stream_is_masked_to_its_length() -> None:
    message = {"id": "msg_1", "delta": {"content": [{"index": 0, "text": {"value": f"key {FAKE_KEY} ok"}}]}}
    stream = _stream([_frame("thread.message.delta", message)])
    scrubbed = scrub_stream(stream, ScrubRules())
    assert FAKE_KEY.encode() not in scrubbed.body
    text = json.loads(parse_sse(scrubbed.body)[0].data)["delta"]["content"][0]["text"]["value"]
    assert text == "key " + "*" * len(FAKE_KEY) + " ok"


def _exchange(url: str = URL, headers: list[tuple[str, str]] | None = None, body: bytes = b"{}") -> Exchange:
    return Exchange(RecordedRequest("POST", url, [], b"{}"), RecordedResponse(200, "OK", headers or [], body))


@pytest.mark.parametrize(
    ("place", "exchange"),
    [
        ("url", _exchange(url=f"{URL}?note={FAKE_KEY}")),
        ("header value", _exchange(headers=[("X-Debug", f"the key was {FAKE_KEY}")])),
        ("secret header", _exchange(headers=[("Authorization", "Bearer abcdefghijklmnop")])),
        ("response body", _exchange(body=json.dumps({"echo": FAKE_KEY}).encode())),
    ],
)
def test_a_cassette_still_holding_a_key_is_refused_and_nothing_is_written(
    place: str, exchange: Exchange, tmp_path: Path
) -> None:
    path = tmp_path / "cassette.json"
    path.write_text("old content")
    with pytest.raises(SecretLeakError) as caught:
        save_cassette(Cassette([exchange]), path)
    assert str(caught.value).startswith(f"refusing to write {path}: it still holds secrets after scrubbing")
    assert FAKE_KEY not in str(caught.value)
    assert path.read_text() == "old content"
    assert list(tmp_path.iterdir()) == [path]


def test_the_same_cassette_once_scrubbed_is_written(tmp_path: Path) -> None:
    exchange = _exchange(
        url=f"{URL}?note={FAKE_KEY}",
        headers=[("X-Debug", f"the key was {FAKE_KEY}"), ("Authorization", "Bearer abcdefghijklmnop")],
        body=json.dumps({"echo": FAKE_KEY}).encode(),
    )
    (scrubbed,) = Scrubber().exchanges([exchange])
    path = tmp_path / "cassette.json"
    save_cassette(Cassette([scrubbed]), path)
    written = path.read_text()
    assert FAKE_KEY not in written and "abcdefghijklmnop" not in written


def _echo(request_url: str, request_headers: list[tuple[str, str]], secret: str, **rules: object) -> str:
    """What a recording session writes when the response echoes ``secret`` that the request sent."""
    request = RecordedRequest(
        "POST", request_url, request_headers, json.dumps({"metadata": {"email": secret}}).encode()
    )
    response = RecordedResponse(200, "OK", [], json.dumps({"echo": f"you sent {secret}"}).encode())
    scrubber = Scrubber(ScrubRules(**rules), environment={})  # type: ignore[arg-type]
    recorded_request = scrubber.request(request)
    scrubber.response(response)
    return recorded_request.url + response.body.decode()


def test_secrets_the_session_sent_are_learnt_and_removed_wherever_they_come_back() -> None:
    bearer = "plainbearervalue7Q2x"
    assert bearer not in _echo(URL, [("Authorization", f"Bearer {bearer}")], bearer)
    assert bearer in _echo(URL, [("X-Trace", f"Bearer {bearer}")], bearer)  # not a credential header
    token = "plainqueryvalue9Z4k"
    echoed = _echo(f"{URL}?token={token}", [], token)
    assert token not in echoed and "token=REDACTED" in echoed
    email = "alice.private@example.com"
    assert email not in _echo(URL, [], email, json_paths=["metadata.email"])
    assert email in _echo(URL, [], email)
    assert email in _echo(URL, [], email, json_paths=["metadata.7.email", "metadata.email.deeper"])


def test_blank_query_values_are_kept() -> None:
    request = RecordedRequest("GET", f"{URL}?limit=&order=asc&key=", [], b"")
    assert scrub_request(request, ScrubRules()).url == f"{URL}?limit=&order=asc&key=REDACTED"


def test_json_paths_with_a_list_position_past_the_end_are_ignored() -> None:
    request = RecordedRequest(
        "POST", URL, [], json.dumps({"messages": [{"content": "a"}, {"content": "b"}]}).encode()
    )
    scrubber = Scrubber(ScrubRules(json_paths=["messages.2.content", "messages.1.content"]), environment={})
    assert json.loads(scrubber.request(request).body)["messages"] == [
        {"content": "a"},
        {"content": "REDACTED"},
    ]


def test_a_hook_that_drops_an_exchange_ends_the_hooks() -> None:
    seen: list[str] = []

    def drop(exchange: Exchange) -> Exchange | None:
        seen.append("drop")
        return None

    def later(exchange: Exchange) -> Exchange | None:
        seen.append("later")
        return exchange

    kept = _exchange()
    assert Scrubber(ScrubRules(hooks=[later]), environment={}).exchanges([kept]) == [kept]
    assert Scrubber(ScrubRules(hooks=[drop, later]), environment={}).exchanges([_exchange()]) == []
    assert seen == ["later", "drop"]
