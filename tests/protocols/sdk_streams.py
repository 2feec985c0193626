"""Run openai-python's Responses and Chat Completions accumulators offline over recorded bodies.

A real ``openai.OpenAI`` client talks, over the HTTP library the installed SDK runs on, to a
``MockTransport`` that answers with the body (in chunks of ``chunk_size`` bytes when given), so the
SDK's own SSE decoding, event parsing and ``ResponseStreamState`` / ``ChatCompletionStreamState``
accumulation run unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.reconstruct.sdk_driver import _client


@dataclass
class SdkOutcome:
    """What the SDK gave back: the final object (when it gave one), its last snapshot, what it raised."""

    final: dict[str, Any] | None = None
    snapshot: dict[str, Any] | None = None
    errors: list[BaseException] = field(default_factory=list)


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json", warnings=False)  # type: ignore[no-any-return]


def _drive(manager: Any, snapshot_of: Callable[[Any], Any], final_of: Callable[[Any], Any]) -> SdkOutcome:
    outcome = SdkOutcome()
    try:
        with manager as stream:
            try:
                for _ in stream:
                    pass
            finally:
                snapshot = snapshot_of(getattr(stream, "_state", None))
                if snapshot is not None:
                    outcome.snapshot = _dump(snapshot)
            outcome.final = _dump(final_of(stream))
    except Exception as error:  # the SDK raises on streams it does not finish (incomplete, length, ...)
        outcome.errors.append(error)
    return outcome


def sdk_response(body: bytes, *, chunk_size: int | None = None) -> SdkOutcome:
    """``client.responses.stream(...)`` over ``body``: the final ``Response``, or what the SDK raised."""
    return _drive(
        _client([body], chunk_size).responses.stream(model="gpt-test", input="hi"),
        lambda state: getattr(state, "_ResponseStreamState__current_snapshot", None),
        lambda stream: stream.get_final_response(),
    )


def sdk_completion(body: bytes, *, chunk_size: int | None = None) -> SdkOutcome:
    """``client.chat.completions.stream(...)`` over ``body``: the final ``ChatCompletion``, or the error."""
    return _drive(
        _client([body], chunk_size).chat.completions.stream(
            model="gpt-test", messages=[{"role": "user", "content": "hi"}]
        ),
        lambda state: getattr(state, "_ChatCompletionStreamState__current_completion_snapshot", None),
        lambda stream: stream.get_final_completion(),
    )
