"""Scrubbing, through the scrubber a recording session uses: secrets learnt from URLs, cookies and
named JSON paths are removed where they come back; bodies that are not text, or that need no change,
are kept byte for byte."""

from __future__ import annotations

import base64
import json

from harness import ScrubRules
from harness.cassette.model import RecordedRequest, RecordedResponse
from harness.scrub import Scrubber, scrub_request

URL = "https://api.openai.com/v1/threads/runs"


def _echoed(request: RecordedRequest, echo: str, rules: ScrubRules | None = None) -> str:
    """What the session writes of a response that echoes ``echo`` after sending ``request``."""
    scrubber = Scrubber(rules or ScrubRules(), environment={})
    scrubber.request(request)
    response = RecordedResponse(200, "OK", [], json.dumps({"echo": f"got {echo} here"}).encode())
    scrubber.response(response)
    return str(json.loads(response.body)["echo"])


def _basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def test_the_user_and_password_of_the_url_are_learnt_as_their_basic_credentials() -> None:
    request = RecordedRequest("GET", "https://alice:plainpassword8Xw2@proxy.example.com/v1/models")
    assert _echoed(request, _basic("alice", "plainpassword8Xw2")) == "got REDACTED here"
    without_user = RecordedRequest("GET", "https://:plainpassword8Xw2@proxy.example.com/v1/models")
    assert _echoed(without_user, _basic("", "plainpassword8Xw2")) == "got REDACTED here"


def test_a_set_cookie_value_is_learnt_without_its_attributes() -> None:
    scrubber = Scrubber(ScrubRules(), environment={})
    scrubber.request(RecordedRequest("GET", URL))
    first = RecordedResponse(200, "OK", [("Set-Cookie", "sid=plaincookie77q; Path=/; HttpOnly")], b"")
    scrubber.response(first)
    assert first.headers == [("Set-Cookie", "REDACTED")]
    later = RecordedResponse(200, "OK", [], b'{"session": "plaincookie77q", "path": "Path=/"}')
    scrubber.response(later)
    assert json.loads(later.body) == {"session": "REDACTED", "path": "Path=/"}


def test_values_under_named_json_paths_of_the_request_are_learnt() -> None:
    body = json.dumps({"messages": [{"content": "plainprivatenote9"}, {"content": "second4note7x"}]})
    request = RecordedRequest("POST", URL, [], body.encode())
    rules = ScrubRules(json_paths=["messages.*.content"])
    assert _echoed(request, "plainprivatenote9", rules) == "got REDACTED here"
    assert _echoed(request, "second4note7x", rules) == "got REDACTED here"
    by_position = ScrubRules(json_paths=["messages.1.content"])
    assert _echoed(request, "second4note7x", by_position) == "got REDACTED here"
    assert _echoed(request, "plainprivatenote9", by_position) == "got plainprivatenote9 here"


def test_a_request_body_that_is_not_utf8_is_kept_and_does_not_stop_learning() -> None:
    body = b"\x89PNG\r\n\x1a\n\xff\xfe"
    request = RecordedRequest("POST", URL, [("Authorization", "Bearer plainbearervalue7Q2x")], body)
    scrubber = Scrubber(ScrubRules(), environment={})
    assert scrubber.request(request).body == body
    assert _echoed(request, "plainbearervalue7Q2x") == "got REDACTED here"


def test_a_json_body_with_nothing_to_scrub_is_kept_byte_for_byte() -> None:
    body = b'{ "metadata": { "team": "blue" },  "n": 1 }'
    request = RecordedRequest("POST", URL, [], body)
    assert scrub_request(request, ScrubRules(json_paths=["metadata.email", "messages.*.x"])).body == body
    assert (
        scrub_request(request, ScrubRules(json_paths=["*.team"])).body
        == b'{"metadata":{"team":"REDACTED"},"n":1}'
    )


def test_a_wildcard_json_path_learns_every_value_under_it() -> None:
    body = json.dumps({"metadata": {"a": "plainsecretone1", "b": "plainsecrettwo2"}, "other": "plainkept3x"})
    request = RecordedRequest("POST", URL, [], body.encode())
    rules = ScrubRules(json_paths=["metadata.*"])
    assert _echoed(request, "plainsecretone1", rules) == "got REDACTED here"
    assert _echoed(request, "plainsecrettwo2", rules) == "got REDACTED here"
    assert _echoed(request, "plainkept3x", rules) == "got plainkept3x here"


def test_a_copy_for_matching_without_headers_still_learns_them_and_scrubs_the_rest() -> None:
    key = "plainsecretkey42Qz"
    body = json.dumps({"note": f"key {key}", "api_key": "other7secret9x"}).encode()
    request = RecordedRequest("POST", f"{URL}?token=plaintoken88Wq", [("x-api-key", key)], body)
    scrubber = Scrubber(ScrubRules(), environment={})
    copy = scrubber.request(request, with_headers=False)
    assert copy.headers == []
    assert copy.url == f"{URL}?token=REDACTED"
    assert json.loads(copy.body) == {"note": "key REDACTED", "api_key": "REDACTED"}
    assert scrubber.text(f"echo {key} and other7secret9x") == "echo REDACTED and REDACTED"
    assert scrubber.request(request).headers == [("x-api-key", "REDACTED")]


def test_a_user_without_a_password_in_the_url_is_redacted_and_so_is_a_password_without_a_user() -> None:
    scrubbed = scrub_request(
        RecordedRequest("GET", "https://alice@proxy.example.com/v1/models"), ScrubRules()
    )
    assert scrubbed.url == "https://REDACTED@proxy.example.com/v1/models"
    no_user = scrub_request(RecordedRequest("GET", "https://:pw@proxy.example.com/v1/models"), ScrubRules())
    assert no_user.url == "https://REDACTED@proxy.example.com/v1/models"


def test_a_proxy_authorization_teaches_its_basic_password() -> None:
    header = ("Proxy-Authorization", f"Basic {_basic('alice', 'plainproxypass8Q')}")
    assert _echoed(RecordedRequest("GET", URL, [header]), "plainproxypass8Q") == "got REDACTED here"


def test_the_attributes_of_a_set_cookie_are_not_learnt() -> None:
    scrubber = Scrubber(ScrubRules(), environment={})
    cookie = "sid=plaincookie77q; Domain=api.example.com; Path=/"
    scrubber.response(RecordedResponse(200, "OK", [("Set-Cookie", cookie)], b""))
    later = RecordedResponse(200, "OK", [], b'{"session": "plaincookie77q", "host": "api.example.com"}')
    scrubber.response(later)
    assert json.loads(later.body) == {"session": "REDACTED", "host": "api.example.com"}
