"""A stream the client stopped reading but never closed still shows in the session's views.

openai 1.x and 2.x raise on an `error` event and leave the response open; the cassette keeps what
arrived when it closes. In between, ``streams``, ``events`` and ``transcript`` show the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from harness import use_cassette
from harness.cassette import load_cassette
from harness.reconstruct import Transcript
from tests.playback.conftest import FAKE_KEY
from tests.support.installed_sdk import HTTP_LIBRARIES, sdk_client
from tests.support.scripted_server import iter_routes, sse_answer

PLANTED = "sk-test-planted-in-a-stream-0123456789abcdef"
RUN = '{"id":"run_open","object":"thread.run","status":"queued","thread_id":"thread_open"}'
ERROR = '{"error":{"message":"the server broke","type":"server_error"}}'
BODY = (
    f"event: thread.run.created\ndata: {RUN}\n\n"
    f'event: thread.message.delta\ndata: {{"id":"msg_open","object":"thread.message.delta",'
    f'"delta":{{"content":[{{"index":0,"type":"text","text":{{"value":"key {PLANTED}"}}}}]}}}}\n\n'
    f"event: error\ndata: {ERROR}\n\n"
    "event: done\ndata: [DONE]\n\n"
).encode()


@pytest.mark.parametrize("http", HTTP_LIBRARIES)
def test_a_stream_the_sdk_raised_on_is_in_the_transcript_before_the_cassette_closes(
    serve: Any, tmp_path: Path, http: str
) -> None:
    server = serve(iter_routes(sse_answer(BODY)))
    path = tmp_path / "error.json"
    with use_cassette(path, record_mode="once") as cassette:
        client = sdk_client(http, api_key=FAKE_KEY, base_url=server.base_url, max_retries=0)
        stream = client.beta.threads.runs.create(thread_id="thread_open", assistant_id="asst_x", stream=True)
        with pytest.raises(openai.APIError, match="the server broke"):
            list(stream)
        assert [event.event for event in cassette.events[0]][:3] == [
            "thread.run.created",
            "thread.message.delta",
            "error",
        ]
        transcript = cassette.transcript
        assert isinstance(transcript, Transcript) and transcript.final_run is not None
        assert transcript.final_run["id"] == "run_open"
        assert PLANTED not in str(transcript.messages) + cassette.streams[0].body.decode()
    assert load_cassette(path).streams[0].events()[:3] == cassette.events[0][:3]


def test_a_plain_client_that_stops_reading_sees_what_arrived(serve: Any, tmp_path: Path) -> None:
    server = serve(iter_routes(sse_answer(BODY)))
    with use_cassette(tmp_path / "open.json", record_mode="once") as cassette, httpx.Client() as client:
        request = client.build_request("POST", f"{server.base_url}/threads/runs", json={"stream": True})
        response = client.send(request, stream=True)
        first = next(response.iter_raw())
        assert cassette.streams[0].body.startswith(first)
        assert cassette.events[0][0].event == "thread.run.created"
        response.close()
    assert cassette.streams[0].body.startswith(first)
