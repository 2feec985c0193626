"""Fake secrets planted everywhere one can hide, recorded through the real SDK: none reaches disk."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import openai
import pytest

from harness import use_cassette
from harness.cli import main
from harness.reconstruct import reconstruct
from harness.snapshot import Placeholders, render_transcript
from tests.playback.conftest import real_body
from tests.support.scripted_server import Scripted, json_answer

KEY = "sk-test-fake-planted-key-0123456789abcdefghij"
ORGANIZATION = "org-test-fake-planted-organization-id"
PROJECT = "proj_test_fake_planted_project_id"
COOKIE_VALUE = "test-fake-planted-session-cookie"
BODY_KEY = "sk-test-fake-planted-in-json-body-9876543210"
SPLIT_KEY = "sk-test-fake-planted-split-across-deltas-42"

PLACES = {
    "Authorization header": KEY,
    "OpenAI-Organization header": ORGANIZATION,
    "OpenAI-Project header": PROJECT,
    "query string": KEY,
    "request body": KEY,
    "response body": BODY_KEY,
    "stream deltas, split across two events": SPLIT_KEY,
    "cookies (Cookie and Set-Cookie)": COOKIE_VALUE,
}
SECRETS = sorted(set(PLACES.values()))


def _delta(text: str) -> str:
    return (
        "event: thread.message.delta\ndata: "
        + json.dumps(
            {
                "id": "msg_planted",
                "object": "thread.message.delta",
                "delta": {"content": [{"index": 0, "type": "text", "text": {"value": text}}]},
            }
        )
        + "\n\n"
    )


def _stream_with_a_split_key() -> bytes:
    frames = real_body("009").decode().split("\n\n")
    created = next(n for n, frame in enumerate(frames) if frame.startswith("event: thread.message.created"))
    message_id = json.loads(frames[created].split("data: ", 1)[1])["id"]
    planted = _delta("my key is " + SPLIT_KEY[:12]).replace("msg_planted", message_id) + _delta(
        SPLIT_KEY[12:] + ", keep it"
    ).replace("msg_planted", message_id)
    frames.insert(created + 2, planted.rstrip("\n"))
    completed = next(
        n for n, frame in enumerate(frames) if frame.startswith("event: thread.message.completed")
    )
    head, data = frames[completed].split("data: ", 1)
    message = json.loads(data)
    message["content"][0]["text"]["value"] = (
        "my key is " + SPLIT_KEY + ", keep it" + message["content"][0]["text"]["value"]
    )
    frames[completed] = head + "data: " + json.dumps(message, separators=(",", ":"))
    return "\n\n".join(frames).encode()


def _route(method: str, path: str, body: bytes) -> Scripted:
    if path.startswith("/v1/threads?") or path == "/v1/threads":
        answer = json_answer(
            json.dumps(
                {
                    "id": "thread_planted",
                    "object": "thread",
                    "created_at": 1,
                    "metadata": {"note": BODY_KEY},
                    "tool_resources": {},
                }
            ).encode()
        )
    else:
        answer = Scripted(200, [("content-type", "text/event-stream")], [(0.0, _stream_with_a_split_key())])
    answer.headers.append(("set-cookie", f"session={COOKIE_VALUE}; HttpOnly"))
    return answer


def test_no_planted_secret_reaches_any_byte_on_disk(
    serve: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = serve(_route)
    client = openai.OpenAI(
        api_key=KEY,
        organization=ORGANIZATION,
        project=PROJECT,
        base_url=server.base_url,
        default_headers={"cookie": f"session={COOKIE_VALUE}"},
        default_query={"key": KEY},
    )
    cassette_path = tmp_path / "cassettes" / "planted.json"
    with use_cassette(cassette_path, record_mode="once") as cassette:
        thread = client.beta.threads.create(metadata={"note": KEY})
        with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id="asst_planted") as stream:
            pieces = [
                event.data.model_dump()["delta"]["content"][0]["text"]["value"]
                for event in stream
                if event.event == "thread.message.delta"
            ]
    text = "".join(piece or "" for piece in pieces)
    assert SPLIT_KEY in text and thread.metadata == {"note": BODY_KEY}  # the client saw every secret
    # what the harness writes: the cassette, the inspect report, the logs
    (tmp_path / "report.json").write_text(json.dumps(reconstruct(cassette.events).to_dict()))
    assert main(["inspect", str(cassette_path), "--format", "json"]) == 0
    snapshot = render_transcript(cassette.transcript, Placeholders())  # what run_snapshot stores
    assert "thread.message.delta" in snapshot and "*" * len(SPLIT_KEY) in snapshot
    (tmp_path / "__snapshots__").mkdir()
    (tmp_path / "__snapshots__" / "test_planted.runs").write_text(snapshot)
    ours = [record for record in caplog.records if record.name.startswith(("harness", "vcr"))]
    (tmp_path / "harness.log").write_text("\n".join(record.getMessage() for record in ours))
    written = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    for secret in SECRETS:
        assert secret.encode() not in written, secret
    for fragment in (SPLIT_KEY[:12], SPLIT_KEY[12:]):
        assert fragment.encode() not in (cassette_path.read_bytes())
    assert main(["validate", str(cassette_path)]) == 0


def test_validate_flags_a_cassette_edited_by_hand_to_hold_a_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "edited.json"
    body = real_body("020").decode().replace('"metadata":{}', f'"metadata":{{"k":"{KEY}"}}', 1)
    path.write_text(
        json.dumps(
            {
                "harness_cassette": 1,
                "exchanges": [
                    {
                        "request": {
                            "method": "POST",
                            "url": "https://api.openai.com/v1/threads/t/runs",
                            "headers": [],
                            "body": "{}",
                        },
                        "response": {
                            "status": 200,
                            "reason": "OK",
                            "headers": [["content-type", "text/event-stream"]],
                            "stream": {
                                "cut": None,
                                "chunk_sizes": [len(body.encode())],
                                "chunk_ms": [0],
                                "events": [body],
                            },
                        },
                    }
                ],
            }
        )
    )
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "edited.json" in out and "secret" in out.lower()
    assert KEY not in out
