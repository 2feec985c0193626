"""Secret detection (``harness.cassette.secrets``) through the scrubber and the refusal to write."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from harness import ScrubRules, SecretLeakError, save_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse
from harness.scrub import Scrubber

URL = "https://api.openai.com/v1/threads/runs"


def _echoed(secret: str, *, environment: dict[str, str], headers: list[tuple[str, str]] | None = None) -> str:
    scrubber = Scrubber(ScrubRules(), environment=environment)
    scrubber.request(RecordedRequest("POST", URL, headers or [], b"{}"))
    response = RecordedResponse(200, "OK", [], json.dumps({"echo": f"got {secret} here"}).encode())
    scrubber.response(response)
    return response.body.decode()


@pytest.mark.parametrize("name", ["OPENAI_API_KEY", "OPENAI_PROJECT_ID", "AZURE_OPENAI_API_KEY"])
def test_credentials_from_the_environment_are_removed_wherever_they_show_up(name: str) -> None:
    value = "plainenvvalue4Kq9"
    assert value not in _echoed(value, environment={name: value})
    assert value in _echoed(value, environment={"UNRELATED_SETTING": value})


def test_known_secrets_shorter_than_eight_characters_are_not_learnt() -> None:
    assert "ab3d5f7h" not in _echoed("ab3d5f7h", environment={"OPENAI_API_KEY": "ab3d5f7h"})
    assert "ab3d5f7" in _echoed("ab3d5f7", environment={"OPENAI_API_KEY": "ab3d5f7"})
    assert len(Scrubber(environment={"OPENAI_API_KEY": "ab3d5f7h"}).known) == 1


def test_a_basic_authorization_teaches_the_password() -> None:
    password = "plainpassword8Xw2"
    header = "Basic " + base64.b64encode(f"alice:{password}".encode()).decode()
    assert password not in _echoed(password, environment={}, headers=[("Authorization", header)])
    bearer = "Bearer " + base64.b64encode(f"alice:{password}".encode()).decode()
    assert password in _echoed(password, environment={}, headers=[("Authorization", bearer)])


@pytest.mark.parametrize("field", ["apikey", "api_key", "password"])
def test_a_secret_named_field_is_scrubbed_in_a_body(field: str) -> None:
    request = RecordedRequest(
        "POST", URL, [], json.dumps({"settings": [{field: "plainfieldvalue3Zr8"}]}).encode()
    )
    scrubbed = Scrubber(environment={}).request(request)
    assert b"plainfieldvalue3Zr8" not in scrubbed.body


def test_the_refusal_quotes_only_the_start_of_each_secret(tmp_path: Path) -> None:
    key = "sk-test-FAKEFAKEFAKEFAKEFAKE0123"
    exchange = Exchange(
        RecordedRequest("POST", URL, [], b"{}"), RecordedResponse(200, "OK", [], key.encode())
    )
    with pytest.raises(SecretLeakError) as caught:
        save_cassette(Cassette([exchange]), tmp_path / "c.json")
    assert "sk-tes..." in str(caught.value) and key not in str(caught.value)
