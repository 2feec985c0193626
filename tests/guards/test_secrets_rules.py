"""Secret detection's rules, one user-visible case each: which names and shapes count as secret, what
the scrubber makes of them, and what the last check before writing reports (and how it quotes it)."""

from __future__ import annotations

import json

import pytest

from harness import ScrubRules
from harness.cassette.model import Exchange, RecordedRequest, RecordedResponse
from harness.cassette.secrets import (
    REDACTED,
    KnownSecrets,
    Span,
    find_secrets,
    has_key_shape,
    is_credential,
    is_secret_name,
    merge_spans,
    secret_spans,
    text_secrets,
)
from harness.scrub import Scrubber, scrub_request

FAKE_KEY = "sk-test-FAKEFAKEFAKEFAKEFAKE0123"
FAKE_SESSION = "sess-fakeFAKEfake0123456789"
URL = "https://api.openai.com/v1/threads/runs"


def _findings(request: RecordedRequest, response: RecordedResponse | None = None) -> list[str]:
    exchange = Exchange(request, response or RecordedResponse(200, "OK", [], b""))
    return [str(finding) for finding in find_secrets([exchange])]


def _scrubbed_url(url: str) -> str:
    return scrub_request(RecordedRequest("GET", url, [], b""), ScrubRules()).url


def test_a_key_in_a_query_parameter_of_any_name_is_redacted_whole() -> None:
    assert _scrubbed_url(f"{URL}?x={FAKE_KEY}&limit=5") == f"{URL}?x=REDACTED&limit=5"
    assert f"exchange 0 request url query x: {FAKE_KEY[:6]}..." in _findings(
        RecordedRequest("GET", f"{URL}?x={FAKE_KEY}")
    )


def test_a_long_mixed_token_in_a_query_is_key_shaped_from_forty_characters() -> None:
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"
    assert len(token) == 40
    assert _scrubbed_url(f"{URL}?cursor={token}") == f"{URL}?cursor=REDACTED"
    assert _scrubbed_url(f"{URL}?cursor={token[:-1]}") == f"{URL}?cursor={token[:-1]}"


@pytest.mark.parametrize("name", ["token", "sig"])
def test_a_secret_named_query_parameter_is_reported_before_writing(name: str) -> None:
    findings = _findings(RecordedRequest("GET", f"{URL}?limit=5&{name}=plainvalue123"))
    assert findings == [f"exchange 0 request url query {name}: plainv..."]


def test_a_short_url_password_is_reported_without_any_of_it() -> None:
    findings = _findings(RecordedRequest("GET", "https://alice:pw42@api.example.com/v1/models"))
    assert findings == ["exchange 0 request url password: ..."]


def test_a_session_key_alone_is_found_and_scrubbed() -> None:
    body = f"session {FAKE_SESSION} here".encode()
    assert _findings(RecordedRequest("POST", URL, [], body)) == ["exchange 0 request body: sess-f..."]
    assert (
        FAKE_SESSION.encode() not in scrub_request(RecordedRequest("POST", URL, [], body), ScrubRules()).body
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("Cookie", "sid=1"), ("X-Session-Cookie", "plaincookie42x"), ("X-Upload-Sig", "abc123def456")],
)
def test_cookie_and_signature_headers_are_redacted(name: str, value: str) -> None:
    request = scrub_request(RecordedRequest("GET", URL, [(name, value)], b""), ScrubRules())
    assert request.headers == [(name, "REDACTED")]


@pytest.mark.parametrize("field", ["clientSecret", "sessionToken", "apiKey"])
def test_camel_case_secret_fields_are_scrubbed_and_reported(field: str) -> None:
    body = json.dumps({"config": {field: "plainfieldvalue3Zr8"}}).encode()
    scrubbed = scrub_request(RecordedRequest("POST", URL, [], body), ScrubRules())
    assert json.loads(scrubbed.body) == {"config": {field: "REDACTED"}}
    response = RecordedResponse(200, "OK", [], body)
    findings = _findings(RecordedRequest("POST", URL, [], b"{}"), response)
    assert f"exchange 0 response body field {field!r}: plainf..." in findings


def test_a_response_body_that_is_not_utf8_is_still_searched() -> None:
    response = RecordedResponse(200, "OK", [], b"\xff\xfe key=" + FAKE_KEY.encode())
    assert _findings(RecordedRequest("GET", URL), response) == [
        f"exchange 0 response body: {FAKE_KEY[:6]}..."
    ]


def test_a_body_that_only_looks_like_json_is_searched_as_text() -> None:
    response = RecordedResponse(200, "OK", [], f"{{not json {FAKE_KEY}".encode())
    assert _findings(RecordedRequest("GET", URL), response) == [
        f"exchange 0 response body: {FAKE_KEY[:6]}..."
    ]


def test_a_known_secret_is_found_json_escaped_from_its_first_character() -> None:
    secret = 'p"assword-1234'
    text = json.dumps({"note": f"it is {secret}"})
    assert [text[start:end] for start, end, _ in secret_spans(text, KnownSecrets([secret]))] == [
        json.dumps(secret)[1:-1]
    ]


def test_each_cookie_value_is_learnt_and_removed_where_it_comes_back() -> None:
    scrubber = Scrubber(ScrubRules(), environment={})
    scrubber.request(RecordedRequest("GET", URL, [("Cookie", "theme=dark; sid=plainsession77q")], b""))
    response = RecordedResponse(200, "OK", [], b'{"echo": "plainsession77q"}')
    scrubber.response(response)
    assert json.loads(response.body) == {"echo": "REDACTED"}


def test_raw_text_findings_give_the_offset_and_only_the_start() -> None:
    text = f"x = 1\nkey: {FAKE_KEY}\n"
    assert text_secrets(text) == [(text.index(FAKE_KEY), f"{FAKE_KEY[:6]}...")]


def test_a_bearer_token_in_free_text_is_found_and_scrubbed() -> None:
    body = b"the proxy said: Bearer plainbearervalue7Q2x was refused"
    response = RecordedResponse(200, "OK", [], body)
    assert _findings(RecordedRequest("GET", URL), response) == ["exchange 0 response body: plainb..."]
    scrubbed = scrub_request(RecordedRequest("POST", URL, [], body), ScrubRules()).body
    assert scrubbed == b"the proxy said: Bearer REDACTED was refused"


@pytest.mark.parametrize(
    "text", ["api_key=plainvalue123x", 'password: "plainvalue123x"', "X-Api-Key: plainvalue123x"]
)
def test_a_value_after_a_secret_name_in_free_text_is_found_and_scrubbed(text: str) -> None:
    body = f"log line: {text} end".encode()
    response = RecordedResponse(200, "OK", [], body)
    assert _findings(RecordedRequest("GET", URL), response) == ["exchange 0 response body: plainv..."]
    assert b"plainvalue123x" not in scrub_request(RecordedRequest("POST", URL, [], body), ScrubRules()).body


# spelt out, not read from SECRET_ENVIRONMENT: the test pins the list the SDKs read
SDK_VARIABLES = "OPENAI_API_KEY OPENAI_ORG_ID OPENAI_PROJECT_ID OPENAI_ADMIN_KEY OPENAI_WEBHOOK_SECRET"


@pytest.mark.parametrize("name", [*SDK_VARIABLES.split(), "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN"])
def test_every_credential_variable_the_sdks_read_is_learnt(name: str) -> None:
    scrubber = Scrubber(ScrubRules(), environment={name: "plainenvvalue4Kq9"})
    assert scrubber.text("echo: plainenvvalue4Kq9.") == "echo: REDACTED."


def test_a_secret_used_as_a_metadata_key_is_reported() -> None:
    findings = [str(finding) for finding in find_secrets([], metadata={FAKE_KEY: "note"})]
    assert findings == [f"metadata key: {FAKE_KEY[:6]}..."]


def test_digits_alone_are_no_credential_however_long() -> None:
    fields = {
        "token": "12345678901234567890123",
        "credential": "plainvalue8Xw2abc",
        "credentials": "plain9Yx3abcd",
    }
    body = json.dumps(fields).encode()
    scrubbed = json.loads(scrub_request(RecordedRequest("POST", URL, [], body), ScrubRules()).body)
    assert scrubbed == {
        "token": "12345678901234567890123",
        "credential": "REDACTED",
        "credentials": "REDACTED",
    }


def test_a_key_in_a_top_level_list_is_reported_under_no_field_name() -> None:
    body = json.dumps([FAKE_KEY]).encode()
    assert _findings(RecordedRequest("POST", URL, [], body)) == [
        f"exchange 0 request body: {FAKE_KEY[:6]}...",
        f"exchange 0 request body field '': {FAKE_KEY[:6]}...",
    ]


def test_an_api_key_header_is_redacted_whatever_its_value_looks_like() -> None:
    scrubbed = scrub_request(RecordedRequest("GET", URL, [("api-key", "short")], b""), ScrubRules())
    assert scrubbed.headers == [("api-key", "REDACTED")]


def test_a_short_secret_is_reported_without_a_sample_and_a_key_in_the_path_as_in_the_url() -> None:
    assert _findings(RecordedRequest("GET", URL, [("authorization", "abcdef")])) == [
        "exchange 0 request header authorization: ..."
    ]
    assert _findings(RecordedRequest("GET", f"https://x.test/v1/{FAKE_KEY}/runs")) == [
        f"exchange 0 request url: {FAKE_KEY[:6]}..."
    ]


def test_a_mask_is_not_learnt_as_a_secret() -> None:
    assert not KnownSecrets(["************", "****  ****"])


def test_a_value_of_more_than_one_word_is_no_credential() -> None:
    assert not is_credential("pass word 12345678")
    assert is_credential("password12345678")


def test_a_long_token_in_one_case_is_not_key_shaped() -> None:
    assert not has_key_shape("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOP")
    assert has_key_shape("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop1")


@pytest.mark.parametrize("value", ["Bearer    custom-token-value-123", "custom-token-value-123"])
def test_an_authorization_value_with_or_without_a_scheme_is_learnt(value: str) -> None:
    known = KnownSecrets()
    known.add_authorization(value)
    text = '{"echo": "custom-token-value-123"}'
    assert [text[span.start : span.end] for span in known.spans(text)] == ["custom-token-value-123"]


def test_a_span_inside_another_is_merged_into_it() -> None:
    assert merge_spans([Span(0, 10, REDACTED), Span(2, 5, REDACTED)]) == [Span(0, 10, REDACTED)]


def test_a_name_ending_in_authorization_is_a_secret_name() -> None:
    assert is_secret_name("x_upstream_authorization")
    assert is_secret_name("ProxyAuthorization")
