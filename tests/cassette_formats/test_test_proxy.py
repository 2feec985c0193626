"""Azure SDK test-proxy session records: a real openai-dotnet recording imports, inspects and replays
through the openai SDK; the other layouts and the bad inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import cast

import openai
import pytest
from openai.types.beta import AssistantStreamEvent

from harness.cassette import load_cassette
from harness.cli import main
from harness.errors import CassetteError
from harness.playback.context import use_cassette
from harness.sse import parse_sse
from tests.cassette_formats.support import CORPUS

RECORDING = Path(__file__).parent / "test_proxy" / "openai-dotnet-StreamingRunWorks.json"
STREAM = CORPUS / "008-openai-dotnet-plain-text-run-oct2025.sse"
FAKE_KEY = "sk-test-fake-test-proxy"
INCLUDE = "step_details.tool_calls[*].file_search.results[*].content"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_the_openai_dotnet_recording_loads_with_its_requests_and_stream() -> None:
    cassette = load_cassette(RECORDING)
    assert cassette.source_format == "test-proxy"
    assert [(e.request.method, e.request.url.split("?")[0]) for e in cassette.exchanges] == [
        ("POST", "https://api.openai.com/v1/assistants"),
        ("POST", "https://api.openai.com/v1/threads"),
        ("POST", "https://api.openai.com/v1/threads/thread_Wq2ScOs1iInUsyhUUDmN5NZH/runs"),
    ]
    assert json.loads(cassette.exchanges[0].request.body) == {"model": "gpt-4o"}
    assert json.loads(cassette.exchanges[0].response.body)["id"] == "asst_0VLdyfoSMFV4tQpzWUT2ywhg"
    (stream,) = cassette.streams
    assert stream.body == STREAM.read_bytes()  # the line chunks joined: the body the API sent


def test_it_imports_inspects_and_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "imported.json"
    assert main(["import", str(RECORDING), "--cassette", str(out)]) == 0
    assert f"converted {RECORDING} (test-proxy: 3 exchanges, 1 run streams)" in capsys.readouterr().out
    assert load_cassette(out).streams[0].body == STREAM.read_bytes()

    assert main(["inspect", str(RECORDING), "--format", "json"]) == 0
    inspected = json.loads(capsys.readouterr().out)
    assert inspected["final_run"]["status"] == "completed"
    assert inspected["messages"][0]["content"][0]["text"]["value"].startswith("Hello! I'm just a program")
    assert main(["validate", str(out)]) == 0


def test_it_replays_through_the_sdk_matched_by_method_path_and_json_body(tmp_path: Path) -> None:
    cassette = Path(shutil.copy(RECORDING, tmp_path / "session.json"))
    client = openai.OpenAI(api_key=FAKE_KEY, base_url="http://127.0.0.1:9/v1", max_retries=0, timeout=10)
    with client, use_cassette(cassette, record_mode="none"):
        assistant = client.beta.assistants.create(model="gpt-4o")
        thread = client.beta.threads.create(
            messages=[{"role": "user", "content": "Hello there, assistant! How are you today?"}]
        )
        stream = client.beta.threads.runs.create(
            thread_id=thread.id,
            assistant_id=assistant.id,
            additional_messages=[],
            include=[INCLUDE],  # type: ignore[list-item]
            stream=True,
        )
        names = [cast(AssistantStreamEvent, event).event for event in stream]
    assert names == [event.event for event in parse_sse(STREAM.read_bytes())][:-1]  # the SDK eats `done`
    assert cassette.read_bytes() == RECORDING.read_bytes()


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "session.json"
    path.write_text(json.dumps(document, indent=2))
    return path


def test_a_body_written_as_one_string_and_a_binary_body_as_base64(tmp_path: Path) -> None:
    body = STREAM.read_text()
    path = _write(
        tmp_path,
        {
            "Entries": [
                {
                    "RequestUri": "https://example.test/v1/threads/thread_fake/runs",
                    "RequestMethod": "POST",
                    "RequestHeaders": {"Content-Type": "application/json"},
                    "RequestBody": '{"stream":true}',
                    "StatusCode": 200,
                    "ResponseHeaders": {"Content-Type": ["text/event-stream"]},
                    "ResponseBody": body,
                },
                {
                    "RequestUri": "https://example.test/v1/files/file_fake/content",
                    "RequestMethod": "GET",
                    "RequestHeaders": {},
                    "RequestBody": None,
                    "StatusCode": 200,
                    "ResponseHeaders": {"Content-Type": "application/octet-stream"},
                    "ResponseBody": "AAEC/w==",
                },
            ],
            "Variables": {},
        },
    )
    cassette = load_cassette(path)
    assert cassette.exchanges[0].request.body == b'{"stream":true}'
    assert cassette.streams[0].body == body.encode()
    assert cassette.exchanges[1].response.body == b"\x00\x01\x02\xff"


def test_the_java_networkcallrecords_layout(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {
            "networkCallRecords": [
                {
                    "Method": "POST",
                    "Uri": "https://example.test/openai/threads/runs",
                    "Headers": {"Content-Type": "application/json"},
                    "Response": {
                        "StatusCode": "200",
                        "Content-Type": "text/event-stream",
                        "Body": STREAM.read_text(),
                    },
                }
            ],
            "variables": [],
        },
    )
    cassette = load_cassette(path)
    assert cassette.source_format == "test-proxy"
    assert cassette.streams[0].body == STREAM.read_bytes()
    assert ("Content-Type", "text/event-stream") in cassette.exchanges[0].response.headers


@pytest.mark.parametrize(
    ("entry", "place", "message"),
    [
        ({"StatusCode": 200}, "Entries[0]", "missing key 'RequestMethod'"),
        (
            {"RequestMethod": "GET", "RequestUri": "/x", "StatusCode": "OK"},
            "Entries[0].StatusCode",
            "expected an integer",
        ),
        (
            {
                "RequestMethod": "GET",
                "RequestUri": "/x",
                "StatusCode": 200,
                "ResponseHeaders": {"Content-Type": "application/octet-stream"},
                "ResponseBody": "not base64!",
            },
            "Entries[0].ResponseBody",
            "invalid base64",
        ),
        (
            {
                "RequestMethod": "GET",
                "RequestUri": "/x",
                "StatusCode": 200,
                "ResponseHeaders": {"Content-Type": "application/octet-stream"},
                "ResponseBody": ["a", "b"],
            },
            "Entries[0].ResponseBody",
            "kept as base64 text, not a list",
        ),
    ],
)
def test_bad_entries_name_the_place(
    tmp_path: Path, entry: dict[str, object], place: str, message: str
) -> None:
    path = _write(tmp_path, {"Entries": [entry]})
    with pytest.raises(CassetteError) as caught:
        load_cassette(path)
    assert caught.value.location == place and message in caught.value.reason


def test_a_legacy_record_with_a_bad_status_names_it(tmp_path: Path) -> None:
    path = _write(
        tmp_path, {"networkCallRecords": [{"Method": "GET", "Uri": "/x", "Response": {"StatusCode": "x"}}]}
    )
    with pytest.raises(
        CassetteError, match=r"networkCallRecords\[0\]\.Response\.StatusCode: expected an HTTP"
    ):
        load_cassette(path)
