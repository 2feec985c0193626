"""Run openai-python's Responses and Chat Completions accumulators offline over recorded bodies.

A real ``openai.OpenAI`` client talks to an ``httpx2.MockTransport`` that answers with the body
(in chunks of ``chunk_size`` bytes when given), so the SDK's own SSE decoding, event parsing and
``ResponseStreamState`` / ``ChatCompletionStreamState`` accumulation run unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx2
import openai

FAKE_KEY = "sk-test-fake-key"


@dataclass
class SdkOutcome:
    """What the SDK gave back: the final object (when it gave one), its last snapshot, what it raised."""

    final: dict[str, Any] | None = None
    snapshot: dict[str, Any] | None = None
    errors: list[BaseException] = field(default_factory=list)


def _client(body: bytes, chunk_size: int | None) -> openai.OpenAI:
    def answer(request: httpx2.Request) -> httpx2.Response:
        content: Any = body
        if chunk_size:
            content = [body[i : i + chunk_size] for i in range(0, len(body), chunk_size)]
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=content)

    http_client = httpx2.Client(transport=httpx2.MockTransport(answer))
    return openai.OpenAI(
        api_key=FAKE_KEY, base_url="http://api.test/v1", http_client=http_client, max_retries=0
    )


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json", warnings=False)  # type: ignore[no-any-return]


def sdk_response(body: bytes, *, chunk_size: int | None = None) -> SdkOutcome:
    """``client.responses.stream(...)`` over ``body``: the final ``Response``, or what the SDK raised."""
    outcome = SdkOutcome()
    manager = _client(body, chunk_size).responses.stream(model="gpt-test", input="hi")
    try:
        with manager as stream:
            try:
                for _ in stream:
                    pass
            finally:
                state = getattr(stream, "_state", None)
                snapshot = getattr(state, "_ResponseStreamState__current_snapshot", None)
                if snapshot is not None:
                    outcome.snapshot = _dump(snapshot)
            outcome.final = _dump(stream.get_final_response())
    except Exception as error:  # the SDK raises on streams it does not finish (incomplete, failed, ...)
        outcome.errors.append(error)
    return outcome


def sdk_completion(body: bytes, *, chunk_size: int | None = None) -> SdkOutcome:
    """``client.chat.completions.stream(...)`` over ``body``: the final ``ChatCompletion``, or the error."""
    outcome = SdkOutcome()
    manager = _client(body, chunk_size).chat.completions.stream(
        model="gpt-test", messages=[{"role": "user", "content": "hi"}]
    )
    try:
        with manager as stream:
            try:
                for _ in stream:
                    pass
            finally:
                state = getattr(stream, "_state", None)
                snapshot = getattr(state, "_ChatCompletionStreamState__current_completion_snapshot", None)
                if snapshot is not None:
                    outcome.snapshot = _dump(snapshot)
            outcome.final = _dump(stream.get_final_completion())
    except Exception as error:  # e.g. LengthFinishReasonError, IndexError on choice 1 first
        outcome.errors.append(error)
    return outcome
