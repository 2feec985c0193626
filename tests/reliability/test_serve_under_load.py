"""`harness serve` holding 50 concurrent streaming clients, each getting the cassette's exact bytes."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import openai

from harness import use_cassette
from harness.cassette import Cassette, load_cassette
from harness.emulator import Emulator, EmulatorServer, FixedClock
from harness.serve import ReplayServer

CLIENTS = 50
TIME_LIMIT = 60.0


def _record(path: Path) -> None:
    with (
        EmulatorServer(
            Emulator(scenario="text", seed=3, clock=FixedClock(), event_delay=0.002, message_deltas=40)
        ) as server,
        use_cassette(path, record_mode="all"),
    ):
        client = openai.OpenAI(api_key="sk-test-fake-load-key", base_url=server.base_url, max_retries=0)
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
        assistant = client.beta.assistants.create(model="gpt-4o")
        with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
            stream.until_done()


def test_fifty_concurrent_clients_get_byte_identical_streams(tmp_path: Path) -> None:
    path = tmp_path / "load.json"
    _record(path)
    recorded = load_cassette(path)
    (streamed,) = [exchange for exchange in recorded.exchanges if exchange.response.stream is not None]
    assert streamed.response.stream is not None
    expected = streamed.response.stream.body
    # one recording per client: identical requests are answered in recorded order
    cassette = Cassette([streamed] * CLIENTS)
    barrier = threading.Barrier(CLIENTS, timeout=TIME_LIMIT)
    received: list[bytes | BaseException] = []
    lock = threading.Lock()

    def client(base_url: str) -> None:
        try:
            barrier.wait()
            with httpx.Client(timeout=TIME_LIMIT) as http:
                request = streamed.request
                with http.stream(
                    request.method,
                    base_url + request.url.split("/v1", 1)[1],
                    content=request.body,
                    headers={"content-type": "application/json"},
                ) as response:
                    body = b"".join(response.iter_raw())
            outcome: bytes | BaseException = body
        except BaseException as error:  # reported below, with the others
            outcome = error
        with lock:
            received.append(outcome)

    with ReplayServer(cassette, chunking="event", speed=1.0) as server:
        threads = [threading.Thread(target=client, args=(server.base_url,)) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIME_LIMIT)
        assert not any(thread.is_alive() for thread in threads)
        unplayed = server.app.unplayed
    errors = [repr(outcome) for outcome in received if isinstance(outcome, BaseException)]
    assert errors == []
    assert unplayed == []
    assert len(received) == CLIENTS
    assert all(body == expected for body in received)
