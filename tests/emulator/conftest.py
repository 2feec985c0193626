from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator

import openai
import pytest

from harness.emulator import Emulator, EmulatorServer
from tests.emulator.support import FAKE_KEY
from tests.support.installed_sdk import emulator_http_client

# The SDK marks every Assistants method deprecated; anything else is an error.
_SDK_DEPRECATIONS = r"(deprecated$|The Assistants API is deprecated)"

ClientFactory = Callable[[Emulator], openai.OpenAI]


@pytest.fixture(autouse=True)
def _warnings_are_errors() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", message=_SDK_DEPRECATIONS, category=DeprecationWarning)
        yield


@pytest.fixture(params=["http", "in-process"])
def client_for(request: pytest.FixtureRequest) -> Iterator[ClientFactory]:
    """Builds an SDK client for an emulator, over loopback HTTP or in process (through the
    transport of the HTTP library the SDK runs on)."""
    servers: list[EmulatorServer] = []
    clients: list[openai.OpenAI] = []

    def build(emulator: Emulator) -> openai.OpenAI:
        if request.param == "http":
            server = EmulatorServer(emulator).start()
            servers.append(server)
            client = openai.OpenAI(api_key=FAKE_KEY, base_url=server.base_url, timeout=20, max_retries=0)
        else:
            http_client = emulator_http_client(emulator)
            client = openai.OpenAI(
                api_key=FAKE_KEY, base_url="http://emulator.test/v1", http_client=http_client, max_retries=0
            )
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()
    for server in servers:
        server.stop()
