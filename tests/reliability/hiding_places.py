"""Every place a secret can hide while a conversation is recorded, with an obviously fake secret each.

``PLACES`` maps a hiding place to the name of its secret in ``SECRETS``. The
driver (:data:`DRIVER`, written to a file the recording session imports) reads
the secrets from the ``PLANTED`` environment variable, so no file the
session writes holds them unless the harness wrote them there; the server
(:func:`route`) echoes what the client sent into headers, bodies and streams.
"""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

from tests.support.scripted_server import Scripted, ScriptedServer


def _jwt(subject: str) -> str:
    def part(value: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return ".".join(
        (part({"alg": "HS256", "typ": "JWT"}), part({"sub": subject, "note": "fake"}), "ZmFrZS1zaWc")
    )


SECRETS = {
    "organization": "org-test-fake-ORGz8Qw1Er3Ty5Ui",
    "project": "proj_test_fake_PRJk4Lm6Nb8Vc0Xz",
    "azure_header": "fa4ed00d" + "0123456789abcdef" + "a1b2c3d4",
    "x_api_key": "sk-svcacct-test-fake-XAPIp0Oi9Uy8Tr7Ew6Qa5Sd4",
    "auth_token_jwt": _jwt("fake-user-in-x-auth-token"),
    "cookie": "test-fake-COOKIEm3Nb5Vc7Xz9La",
    "set_cookie": "test-fake-SETCOOKIEq2We4Rt6Yu8",
    "url_password": "test-fake-PASSWORDh5Jk7Lp9Zx",
    "query_api_key": "test-fake-QAPIKEYw2Er4Ty6Ui8",
    "query_sig": "test-fake-QSIGm1Nb3Vc5Xz7Lk9Jh",
    "query_subscription": "test-fake-QSUBa9Sd7Fg5Hj3Kl1",
    "query_apikey": "test-fake-QAPIKEY2z1Xc3Vb5Nm7",
    "query_shaped": "sk-test-fake-QSHAPEDr4Ty6Ui8Op0As2",
    "body_nested": "sk-test-fake-BODYNESTEDe3Rt5Yu7Io9",
    "body_azure": "deadbeef" + "fa4e0000" + "1234abcd" + "5678ef90",
    "after_newline": "sk-proj-test-fake-NEWLINEg4Hj6Kl8Zx0Cv2Bn4Mq6We",
    "after_tab": "sk-test-fake-TABz2Xc4Vb6Nm8Lk0Jh",
    "after_underscore": "sk-test-fake-UNDERSCOREp9Oi7Uy5",
    "after_digit": "sk-test-fake-DIGITm2Nb4Vc6Xz8Lk0",
    "after_percent20": "sk-test-fake-PCT20q1Wa3Se5Rd7Tf",
    "unicode_escaped": "sk-test-fake-UESCAPEy6Tg8Hu0Ij2Ok",
    "response_jwt": _jwt("fake-user-in-a-response-body"),
    "tool_output": "sk-test-fake-TOOLOUTPUTk7Jh5Gf3Ds1",
    "split_long_first": "sk-proj-test-fake-SPLITa1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6",
    "split_three": "sk-test-fake-SPLIT3q9W8e7R6t5Y4u3I2o1",
    "split_logs": "sk-proj-test-fake-LOGSz1X2c3V4b5N6m7L8k9J0h1G2",
    "stream_jwt": _jwt("fake-user-in-a-stream"),
    "error_event": "sk-test-fake-ERROREVENTx5Cv7Bn9Mq1",
    "gzip_stream": "sk-test-fake-GZIPSTREAMt3Yu5Io7Pa9",
    "env_api_key": "sk-proj-test-fake-ENVKEYn8Bv6Cx4Zl2Kj0Hg8Fd6Sa4",
}

PLACES = {
    "Authorization header (Bearer: the OPENAI_API_KEY the SDK reads) echoed in a body": "env_api_key",
    "OpenAI-Organization header (OPENAI_ORG_ID) echoed in a header, body and stream": "organization",
    "OpenAI-Project header (OPENAI_PROJECT_ID)": "project",
    "Azure 32-hex api-key header echoed in an unnamed response header": "azure_header",
    "x-api-key header": "x_api_key",
    "a JWT in X-Auth-Token": "auth_token_jwt",
    "Cookie header echoed in a stream": "cookie",
    "Set-Cookie response header": "set_cookie",
    "password in the base URL echoed in a stream": "url_password",
    "?api-key= query": "query_api_key",
    "?sig= query": "query_sig",
    "?subscription-key= query": "query_subscription",
    "?apikey= query": "query_apikey",
    "a key-shaped query value under any name": "query_shaped",
    "nested api_key body field": "body_nested",
    "Azure 32-hex key in a body field named like a key": "body_azure",
    "a key right after an escaped newline": "after_newline",
    "a key right after a tab": "after_tab",
    "a key right after an underscore": "after_underscore",
    "a key right after a digit": "after_digit",
    "a key right after %20": "after_percent20",
    "a \\u-escaped key in a response body": "unicode_escaped",
    "a JWT in a response body": "response_jwt",
    "a tool output": "tool_output",
    "a key split across deltas whose first piece is already key-shaped": "split_long_first",
    "a key split across three deltas": "split_three",
    "a key split across two code-interpreter logs deltas": "split_logs",
    "a JWT in a stream": "stream_jwt",
    "a key in an error event": "error_event",
    "a gzip-encoded stream": "gzip_stream",
}

#: What the recording session runs: the plugin's test calls ``drive(client)``, the CLI's script too.
DRIVER = """
import json
import os

import openai

S = json.loads(os.environ["PLANTED"])


def drive(client):
    client = client.with_options(
        default_headers={
            "api-key": S["azure_header"],
            "x-api-key": S["x_api_key"],
            "X-Auth-Token": S["auth_token_jwt"],
            "cookie": "session=" + S["cookie"],
        },
        default_query={"api-key": S["query_api_key"]},
    )
    text = ("see\\n" + S["after_newline"] + "\\tand\\t" + S["after_tab"] + " req_" + S["after_underscore"]
            + " 1" + S["after_digit"] + " %20" + S["after_percent20"])
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": text}],
        metadata={"api_key": S["body_nested"], "subscription_key": S["body_azure"]},
    )
    password = str(client.base_url).replace("://", "://planted:" + S["url_password"] + "@", 1)
    client.with_options(base_url=password).beta.threads.retrieve(thread.id)
    client.beta.threads.messages.list(thread.id, extra_query={
        "sig": S["query_sig"], "subscription-key": S["query_subscription"], "apikey": S["query_apikey"],
        "after_id": S["query_shaped"]})
    seen = []
    try:
        for event in client.beta.threads.runs.create(thread_id=thread.id, assistant_id="asst_1", stream=True):
            seen.append(event.event)
    except openai.APIError:
        seen.append("error")
    for event in client.beta.threads.runs.submit_tool_outputs(
            thread_id=thread.id, run_id="run_planted", stream=True,
            tool_outputs=[{"tool_call_id": "call_1", "output": "the token is " + S["tool_output"]}]):
        seen.append(event.event)
    return seen
"""

SCRIPT = """
from planted_driver import drive


def run(client):
    drive(client)
"""


def _event(name: str, data: dict[str, Any] | str) -> str:
    return f"event: {name}\ndata: {data if isinstance(data, str) else json.dumps(data)}\n\n"


def _text_delta(piece: str) -> str:
    return _event(
        "thread.message.delta",
        {
            "id": "msg_planted",
            "object": "thread.message.delta",
            "delta": {"content": [{"index": 0, "type": "text", "text": {"value": piece}}]},
        },
    )


def _logs_delta(piece: str) -> str:
    call = {
        "index": 0,
        "type": "code_interpreter",
        "code_interpreter": {"outputs": [{"index": 0, "type": "logs", "logs": piece}]},
    }
    return _event(
        "thread.run.step.delta",
        {
            "id": "step_planted",
            "object": "thread.run.step.delta",
            "delta": {"step_details": {"type": "tool_calls", "tool_calls": [call]}},
        },
    )


def _run(status: str) -> dict[str, Any]:
    return {"id": "run_planted", "object": "thread.run", "thread_id": "thread_planted", "status": status}


def _stream(seen: dict[str, str]) -> bytes:
    long_first, three, logs = SECRETS["split_long_first"], SECRETS["split_three"], SECRETS["split_logs"]
    events = [
        _event("thread.run.created", _run("queued")),
        _text_delta("first " + long_first[:30]),
        _text_delta(long_first[30:] + " then " + three[:6]),
        _text_delta(three[6:14]),
        _text_delta(three[14:] + "\n" + SECRETS["stream_jwt"] + "\ncookie " + seen["cookie"]),
        _text_delta(" org " + seen["organization"] + " pw " + SECRETS["url_password"]),
        _logs_delta("log: " + logs[:20]),
        _logs_delta(logs[20:] + " done"),
        _event("thread.run.completed", _run("completed")),
        _event("error", {"error": {"message": "bad key " + SECRETS["error_event"], "type": "server_error"}}),
    ]
    return "".join(events).encode()


def _tool_output_stream() -> bytes:
    gzipped = _text_delta("compressed " + SECRETS["gzip_stream"] + " here")
    return (_event("thread.run.created", _run("queued")) + gzipped + _event("done", "[DONE]")).encode()


def route(server: ScriptedServer) -> Any:
    """The server: echoes the request's secrets back in headers, bodies and streams."""

    def answer(method: str, path: str, body: bytes) -> Scripted:
        headers = {name.lower(): value for name, value in server.requests[-1].headers.items()}
        seen = {"cookie": headers.get("cookie", ""), "organization": headers.get("openai-organization", "")}
        echoes = [
            ("x-echo-organization", seen["organization"]),
            ("x-debug", headers.get("api-key", "")),
            ("set-cookie", f"session={SECRETS['set_cookie']}; HttpOnly"),
        ]
        if "/runs/run_planted/submit_tool_outputs" in path:
            return Scripted(
                200,
                [("content-type", "text/event-stream"), ("content-encoding", "gzip")],
                [(0.0, gzip.compress(_tool_output_stream()))],
            )
        if path.split("?")[0].endswith("/runs"):
            return Scripted(200, [("content-type", "text/event-stream"), *echoes], [(0.0, _stream(seen))])
        document = {
            "id": "thread_planted",
            "object": "thread",
            "created_at": 1,
            "metadata": {},
            "echo": {"authorization": headers.get("authorization", ""), "path": path},
            "token_note": "a jwt " + SECRETS["response_jwt"],
        }
        text = json.dumps(document)[:-1] + ', "escaped": "\\u0073' + SECRETS["unicode_escaped"][1:] + '"}'
        if "/messages" in path:
            text = json.dumps(
                {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
            )
        return Scripted(
            200, [("content-type", "application/json"), *echoes], [(0.0, text.encode())], chunked=False
        )

    return answer
