"""Recording emulator conversations through the openai SDK, for the shrink and bundle tests."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import openai

from harness import use_cassette
from harness.cassette.model import Cassette, RecordedStream
from harness.emulator import DELTAS_KEY, SCENARIO_KEY, Emulator, EmulatorServer, FixedClock

FAKE_KEY = "sk-test-fake-shrink-key-0123456789"
# Enum values with multi-byte characters: the emulator streams them as tool-call argument pieces.
CITY_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string", "enum": ["Zürich"]}}},
    },
}
BIG_CONVERSATION = [("text", 3000), ("code-interpreter", None), ("tool-call", None), ("error", None)]
MULTIBYTE_ARGUMENT = '"arguments":"ü"'.encode()


def record_conversation(path: Path, runs: list[tuple[str, int | None]], *, seed: int = 7) -> None:
    """One thread, one streamed run per (scenario, message deltas); tool calls get their outputs
    submitted (a second stream); a run ending in an ``error`` event is recorded as it stopped."""
    with (
        warnings.catch_warnings(),
        EmulatorServer(Emulator(seed=seed, clock=FixedClock(), event_delay=0)) as server,
    ):
        warnings.filterwarnings("ignore", category=DeprecationWarning)  # the SDK's Assistants methods
        client = openai.OpenAI(api_key=FAKE_KEY, base_url=server.base_url, max_retries=0, timeout=30)
        with use_cassette(path, record_mode="all"):
            assistant = client.beta.assistants.create(model="gpt-4o", tools=[CITY_TOOL])  # type: ignore[list-item]
            thread = client.beta.threads.create(messages=[{"role": "user", "content": "Weather in Zürich?"}])
            for scenario, deltas in runs:
                metadata = {SCENARIO_KEY: scenario, **({DELTAS_KEY: str(deltas)} if deltas else {})}
                try:
                    _stream_run(client, thread.id, assistant.id, metadata)
                except openai.APIError:
                    assert scenario == "error"
        client.close()


def _stream_run(client: openai.OpenAI, thread_id: str, assistant_id: str, metadata: dict[str, str]) -> None:
    with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, metadata=metadata
    ) as stream:
        stream.until_done()
        run = stream.current_run
    if run is not None and run.required_action is not None:
        outputs = [
            {"tool_call_id": call.id, "output": "sunny"}
            for call in run.required_action.submit_tool_outputs.tool_calls
        ]
        with client.beta.threads.runs.submit_tool_outputs_stream(
            thread_id=thread_id,
            run_id=run.id,
            tool_outputs=outputs,  # type: ignore[arg-type]
        ) as continuation:
            continuation.until_done()


def split_inside_multibyte_argument(cassette: Cassette) -> Cassette:
    """Plant a read boundary inside the two bytes of the ``ü`` streamed as a tool-call argument piece,
    as a slow network would (the emulator over loopback delivers whole events)."""
    for exchange in cassette.exchanges:
        stream = exchange.response.stream
        found = stream.body.find(MULTIBYTE_ARGUMENT) if stream is not None else -1
        if stream is None or found < 0:
            continue
        split = found + len(MULTIBYTE_ARGUMENT) - 2  # between the two bytes of "ü"
        ends, position = [], 0
        for size, arrived in zip(stream.chunk_sizes, stream.chunk_times, strict=True):
            position += size
            ends.append((position, arrived))
        arrival = next(arrived for end, arrived in ends if end > split)
        ends = sorted({*ends, (split, arrival)})
        sizes = [end - start for (start, _), (end, _) in zip([(0, 0.0), *ends], ends, strict=False)]
        exchange.response.stream = RecordedStream(stream.frames, sizes, [t for _, t in ends], stream.cut)
        return cassette
    raise AssertionError("no multi-byte tool-call argument piece in the recording")


def splits_multibyte_character(stream: RecordedStream) -> bool:
    """Whether some read of ``stream`` ends inside a multi-byte UTF-8 character."""
    body = stream.body
    position = 0
    for size in stream.chunk_sizes[:-1]:
        position += size
        if 0 < position < len(body) and 0x80 <= body[position] < 0xC0:
            return True
    return False
