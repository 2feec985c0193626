"""Run the official openai SDK's stream accumulator offline over recorded bodies.

A real ``openai.OpenAI`` client talks, over the HTTP library the installed SDK runs on (httpx2
for openai 3.x, httpx before), to a ``MockTransport`` that answers each request with the next
body, so the SDK's own SSE decoding, event parsing and ``AssistantEventHandler`` accumulation all
run unchanged.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import openai
from openai.lib.streaming import AssistantEventHandler

from tests.support.installed_sdk import mock_http_client

FAKE_KEY = "sk-test-fake-key"


@dataclass
class SdkResult:
    """What the SDK gives back after each stream, merged the way a user's loop would see it."""

    runs: list[dict[str, Any]]  # final run of each stream
    steps: dict[str, dict[str, Any]]  # by id, later streams win
    messages: dict[str, dict[str, Any]]
    errors: list[BaseException]


def _client(bodies: Sequence[bytes], chunk_size: int | None) -> openai.OpenAI:
    remaining: Iterator[bytes] = iter(bodies)

    def answer(request: Any, http: ModuleType) -> Any:
        body = next(remaining)
        content: Any = body
        if chunk_size:
            content = [body[i : i + chunk_size] for i in range(0, len(body), chunk_size)]
        return http.Response(200, headers={"content-type": "text/event-stream"}, content=content)

    http_client = mock_http_client(answer)
    return openai.OpenAI(
        api_key=FAKE_KEY, base_url="http://assistants.test/v1", http_client=http_client, max_retries=0
    )


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_unset=True, warnings=False)  # type: ignore[no-any-return]


def run_sdk(bodies: Sequence[bytes], *, chunk_size: int | None = None) -> SdkResult:
    """Stream ``bodies`` (create, then one submit_tool_outputs per further body) through the SDK."""
    client = _client(bodies, chunk_size)
    result = SdkResult(runs=[], steps={}, messages={}, errors=[])
    for position in range(len(bodies)):
        handler = AssistantEventHandler()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            if position == 0:
                manager = client.beta.threads.runs.stream(
                    thread_id="thread_test", assistant_id="asst_test", event_handler=handler
                )
            else:
                manager = client.beta.threads.runs.submit_tool_outputs_stream(
                    thread_id="thread_test", run_id="run_test", tool_outputs=[], event_handler=handler
                )
        try:
            with manager as stream:
                stream.until_done()
        except Exception as error:  # the SDK raises on `error` events and on deltas it cannot place
            result.errors.append(error)
        if handler.current_run is not None:
            result.runs.append(_dump(handler.current_run))
        for step in _snapshots(handler, "run_step"):
            result.steps[step.id] = _dump(step)
        for message in _snapshots(handler, "message"):
            result.messages[message.id] = _dump(message)
    return result


def _snapshots(handler: AssistantEventHandler, kind: str) -> list[Any]:
    # get_final_run_steps()/get_final_messages() raise when there are none; read the same state safely.
    try:
        if kind == "run_step":
            return handler.get_final_run_steps()
        return handler.get_final_messages()
    except RuntimeError:
        return []
