"""Matching a request to a recording, and explaining a miss, through the matchers' public functions."""

from __future__ import annotations

import functools
import json

import pytest

from harness.cassette.model import RecordedRequest
from harness.matching import (
    DEFAULT_MATCH_ON,
    MATCHERS,
    describe_request,
    explain_miss,
    json_body_matcher,
    parse_json_body,
    request_target,
    resolve_matchers,
    without_fields,
)

URL = "https://api.openai.com/v1/threads/runs"


def _request(method: str = "POST", url: str = URL, body: object = None) -> RecordedRequest:
    raw = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
    return RecordedRequest(method, url, [], raw)


def _matches(names: tuple[str, ...], recorded: RecordedRequest, incoming: RecordedRequest) -> bool:
    return all(matcher(recorded, incoming) for _, matcher in resolve_matchers(names))


@pytest.mark.parametrize(
    ("name", "recorded", "same", "different"),
    [
        ("method", _request("post"), _request("POST"), _request("GET")),
        (
            "path",
            _request(url=URL + "/"),
            _request(url="http://other" + "/v1/threads/runs"),
            _request(url=URL + "/x"),
        ),
        (
            "query",
            _request(url=URL + "?a=1&b=2"),
            _request(url=URL + "?b=2&a=1"),
            _request(url=URL + "?a=1&b=3"),
        ),
        (
            "host",
            _request(url=URL),
            _request(url="https://api.openai.com/other"),
            _request(url="https://x.test/v1"),
        ),
        (
            "scheme",
            _request(url=URL),
            _request(url="https://elsewhere/v1"),
            _request(url="http://api.openai.com/v1"),
        ),
        ("body", _request(body=b'{"a": 1}'), _request(body=b'{"a": 1}'), _request(body=b'{"a":1}')),
        (
            "json_body",
            _request(body={"a": 1, "b": [1]}),
            _request(body=b'{"b":[1],"a":1}'),
            _request(body={"a": 2}),
        ),
    ],
)
def test_each_matcher_compares_its_own_part(
    name: str, recorded: RecordedRequest, same: RecordedRequest, different: RecordedRequest
) -> None:
    assert MATCHERS[name](recorded, same)
    assert not MATCHERS[name](recorded, different)


def test_the_default_matchers_are_method_path_query_and_json_body() -> None:
    assert DEFAULT_MATCH_ON == ("method", "path", "query", "json_body")
    recorded = _request(body={"x": 1})
    assert _matches(
        DEFAULT_MATCH_ON, recorded, _request(url="http://elsewhere/v1/threads/runs", body={"x": 1})
    )
    assert not _matches(DEFAULT_MATCH_ON, recorded, _request(body={"x": 2}))


def test_bodies_that_are_not_json_must_be_identical() -> None:
    matcher = json_body_matcher()
    assert matcher(_request(body=b"plain"), _request(body=b"plain"))
    assert not matcher(_request(body=b"plain"), _request(body=b"plain "))
    assert not matcher(_request(body=b"plain"), _request(body={"a": 1}))
    assert not matcher(_request(body={"a": 1}), _request(body=b"not json"))
    assert not matcher(_request(body=b""), _request(body={"a": 1}))


def test_ignored_fields_are_left_out_of_the_json_comparison() -> None:
    matcher = json_body_matcher(["metadata.request_id", "*.stamp"])
    first = {
        "model": "m",
        "metadata": {"request_id": "1", "k": "v"},
        "x": {"stamp": 1},
    }
    second = {
        "model": "m",
        "metadata": {"request_id": "2", "k": "v"},
        "x": {"stamp": 2},
    }
    assert matcher(_request(body=first), _request(body=second))
    assert not matcher(_request(body=first), _request(body={**second, "model": "other"}))
    assert not json_body_matcher()(_request(body=first), _request(body=second))
    assert _matches(("json_body",), _request(body=first), _request(body=first))


def test_without_fields_leaves_the_original_alone() -> None:
    document = {"a": {"b": 1, "c": 2}, "d": 3}
    assert without_fields(document, ["a.b", "d", "missing.x", "a.b.c"]) == {"a": {"c": 2}}
    assert document == {"a": {"b": 1, "c": 2}, "d": 3}
    assert without_fields(document, ["*"]) == {}
    assert without_fields(document, ["*.c"]) == {"a": {"b": 1}, "d": 3}
    assert without_fields([1, 2], ["a"]) == [1, 2]
    assert without_fields(document, []) is document


def test_parse_json_body() -> None:
    assert parse_json_body(b"") is None
    assert parse_json_body(b"not json") is None
    assert parse_json_body(b"\xff") is None
    assert parse_json_body(b'{"a": [1]}') == {"a": [1]}
    assert parse_json_body(b"0") == 0


def test_custom_and_unknown_matchers() -> None:
    def same_length(a: RecordedRequest, b: RecordedRequest) -> bool:
        return len(a.body) == len(b.body)

    resolved = resolve_matchers(["method", same_length])
    assert [name for name, _ in resolved] == ["method", "same_length"]
    with pytest.raises(ValueError) as caught:
        resolve_matchers(["method", "colour"])
    message = str(caught.value)
    assert message.startswith("unknown matcher 'colour'; choose from method, path, query, host, scheme, body")
    assert "or pass a function (recorded_request, request) -> bool" in message
    ignoring = resolve_matchers(["json_body"], ["id"])
    assert ignoring[0][1](_request(body={"id": 1}), _request(body={"id": 2}))


def test_describe_request_pretty_prints_json_and_can_leave_the_origin_out() -> None:
    request = _request("post", URL + "?limit=2", {"b": 1, "a": "é"})
    assert describe_request(request) == ["POST " + URL + "?limit=2", "{", '  "a": "é",', '  "b": 1', "}"]
    assert describe_request(request, with_origin=False)[0] == "POST /v1/threads/runs?limit=2"
    assert describe_request(_request(body=b"raw \xff"))[1] == "raw \ufffd"
    assert describe_request(_request("get")) == ["GET " + URL]
    assert request_target("https://api.openai.com:443/v1/threads") == "/v1/threads"


def test_explain_miss_names_the_closest_recording_and_what_differs() -> None:
    recorded = [
        _request("GET", URL + "/1"),
        _request("POST", URL, {"model": "a", "stream": True}),
        _request("POST", URL, {"model": "b", "stream": True}),
    ]
    incoming = _request("POST", URL, {"model": "c", "stream": True})
    explanation = explain_miss(incoming, recorded, resolve_matchers(DEFAULT_MATCH_ON))
    first, *diff = explanation.splitlines()
    assert first == f"Closest recorded request: #1 POST {URL} (differs in: json_body)"
    assert "--- recorded request #1" in diff and "+++ this request" in diff
    assert '-  "model": "a",' in diff and '+  "model": "c",' in diff
    assert "POST /v1/threads/runs" in " ".join(diff) and "api.openai.com" not in " ".join(diff[2:])
    with_host = explain_miss(incoming, recorded, resolve_matchers(["host", "json_body"]))
    assert f"+POST {URL}" in with_host.splitlines()


def test_explain_miss_for_a_request_already_played_and_for_an_empty_cassette() -> None:
    request = _request(body={"a": 1})
    matchers = resolve_matchers(DEFAULT_MATCH_ON)
    assert explain_miss(request, [], matchers) == "The cassette holds no recorded requests."
    assert "(differs in: nothing; it was already played)" in explain_miss(request, [request], matchers)
    several = explain_miss(_request("GET", URL + "?x=1"), [request], matchers)
    assert "(differs in: method, query, json_body)" in several


def test_a_matcher_without_a_name_is_called_custom_in_the_explanation() -> None:
    def same_method(a: RecordedRequest, b: RecordedRequest) -> bool:
        return a.method == b.method

    unnamed = functools.partial(same_method)
    (resolved,) = resolve_matchers([unnamed])
    assert resolved[0] == "custom"
    explanation = explain_miss(_request("GET"), [_request("POST")], [resolved])
    assert explanation.splitlines()[0].endswith("(differs in: custom)")


@pytest.mark.parametrize("origin_matcher", ["host", "scheme"])
def test_a_miss_shows_the_origin_when_a_matcher_compares_it(origin_matcher: str) -> None:
    recorded, incoming = _request(url="http://api.openai.com/v1/a"), _request(url=URL)
    explanation = explain_miss(incoming, [recorded], resolve_matchers([origin_matcher, "path"])).splitlines()
    assert "-POST http://api.openai.com/v1/a" in explanation and f"+POST {URL}" in explanation
    without = explain_miss(incoming, [recorded], resolve_matchers(["path"])).splitlines()
    assert "-POST /v1/a" in without and "+POST /v1/threads/runs" in without
