"""The installed openai SDK: its major version, the HTTP library it runs on, clients of each it takes.

openai 3.x runs on httpx2 and still takes a plain httpx client as ``http_client``; openai 2.x runs
on httpx and takes an httpx2 client too; openai 1.x knows only httpx. A test that claims "httpx and
httpx2" parametrizes with ``HTTP_LIBRARIES`` and builds its client with ``client_of(library)``,
so each library really carries the SDK's requests; a library the installed SDK refuses is a skip
that says so (CI runs the SDK-driven tests on every major, so each pair is proven somewhere).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import httpx2
import openai
import pytest

from harness.emulator import (
    AsyncEmulatorTransport,
    AsyncEmulatorTransport2,
    Emulator,
    EmulatorTransport,
    EmulatorTransport2,
)

LIBRARIES: dict[str, ModuleType] = {"httpx2": httpx2, "httpx": httpx}
OPENAI_MAJOR = int(openai.__version__.split(".")[0])
# the library the SDK builds its own client from when given none
SDK_HTTP = "httpx2" if issubclass(openai.DefaultHttpxClient, httpx2.Client) else "httpx"


def _sdk_takes(library: str) -> bool:
    client = LIBRARIES[library].Client()
    try:
        openai.OpenAI(api_key="sk-test-probe", base_url="http://sdk.test/v1", http_client=client)
    except TypeError:  # "Invalid `http_client` argument"
        return False
    finally:
        client.close()
    return True


ACCEPTED = frozenset(library for library in LIBRARIES if _sdk_takes(library))
HTTP_LIBRARIES = [
    pytest.param(
        library,
        id=library,
        marks=pytest.mark.skipif(
            library not in ACCEPTED,
            reason=f"openai {openai.__version__} takes no {library} client as http_client",
        ),
    )
    for library in LIBRARIES
]


def http_module(library: str) -> ModuleType:
    return LIBRARIES[library]


def client_of(library: str, **options: Any) -> Any:
    """A sync client of ``library`` (``httpx.Client`` or ``httpx2.Client``) for ``http_client=``."""
    return LIBRARIES[library].Client(**options)


def async_client_of(library: str, **options: Any) -> Any:
    return LIBRARIES[library].AsyncClient(**options)


def sdk_client(library: str, **options: Any) -> openai.OpenAI:
    """An ``openai.OpenAI`` over ``library``: the SDK's own client when it runs on that library (what
    most users have), else a client of it given as ``http_client``."""
    http_client = None if library == SDK_HTTP else client_of(library)
    return openai.OpenAI(http_client=http_client, **options)


def async_sdk_client(library: str, **options: Any) -> openai.AsyncOpenAI:
    http_client = None if library == SDK_HTTP else async_client_of(library)
    return openai.AsyncOpenAI(http_client=http_client, **options)


def emulator_http_client(emulator: Emulator, library: str = SDK_HTTP) -> Any:
    """A sync client of ``library`` that reaches ``emulator`` in process, without sockets."""
    transport = EmulatorTransport2(emulator) if library == "httpx2" else EmulatorTransport(emulator)
    return client_of(library, transport=transport, base_url="http://emulator.test/v1")


def async_emulator_http_client(emulator: Emulator, library: str = SDK_HTTP) -> Any:
    if library == "httpx2":
        return httpx2.AsyncClient(
            transport=AsyncEmulatorTransport2(emulator), base_url="http://emulator.test/v1"
        )
    return httpx.AsyncClient(transport=AsyncEmulatorTransport(emulator), base_url="http://emulator.test/v1")


def mock_http_client(answer: Callable[[Any, ModuleType], Any], library: str = SDK_HTTP) -> Any:
    """A sync client of ``library`` whose every request ``answer(request, library_module)`` answers."""
    module = LIBRARIES[library]
    return module.Client(transport=module.MockTransport(lambda request: answer(request, module)))


def mid_stream_disconnect_errors() -> tuple[type[BaseException], ...]:
    """What the SDK raises when the connection drops in the middle of a stream's body.

    openai 3.x turns it into ``openai.APIConnectionError``; older releases let the HTTP library's
    own error through (``httpx.RemoteProtocolError``), as their streaming code catches nothing."""
    if OPENAI_MAJOR >= 3:
        return (openai.APIConnectionError,)
    return (httpx.RemoteProtocolError, httpx2.RemoteProtocolError)
