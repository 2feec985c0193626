"""What a bundle's generated test runs: the cassette's requests sent again as a program sends them.

A streamed request goes through the openai SDK call that makes it, with the recorded body
(``client.responses.create``, ``client.chat.completions.create``,
``client.beta.threads.runs.create``, ``client.beta.threads.runs.submit_tool_outputs``,
``client.beta.threads.create_and_run``), and the SDK reads the whole stream; any other request,
or every one where the openai SDK is not installed, goes through plain httpx. The cassette
answers (no network, no API key).
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from harness.cassette.model import Exchange, RecordedRequest
from harness.errors import HarnessError
from harness.playback.context import use_cassette

FAKE_KEY = "sk-fake-bundle-replay"  # the SDK wants one; the cassette never sees it
_CALL_OPTIONS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})

# The SDK call (a path from the client) that sends a request to a URL matching the pattern; the
# named groups other than ``base`` are the call's path arguments. The first match wins.
SDK_CALLS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?P<base>.+)/responses"), "responses.create"),
    (re.compile(r"(?P<base>.+)/chat/completions"), "chat.completions.create"),
    (re.compile(r"(?P<base>.+)/threads/runs"), "beta.threads.create_and_run"),
    (
        re.compile(r"(?P<base>.+)/threads/(?P<thread_id>[^/]+)/runs/(?P<run_id>[^/]+)/submit_tool_outputs"),
        "beta.threads.runs.submit_tool_outputs",
    ),
    (re.compile(r"(?P<base>.+)/threads/(?P<thread_id>[^/]+)/runs"), "beta.threads.runs.create"),
)


def sdk_call(request: RecordedRequest) -> tuple[str, str, dict[str, str]] | None:
    """(base URL, SDK call, path arguments) that sends ``request``; None when no call does."""
    parts = urlsplit(request.url)
    if request.method != "POST" or parts.query:
        return None
    url = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    for pattern, call in SDK_CALLS:
        match = pattern.fullmatch(url)
        if match is not None:
            # the SDK quotes path arguments itself: give them as they were before quoting
            arguments = {name: unquote(value) for name, value in match.groupdict().items() if name != "base"}
            return match["base"], call, arguments
    return None


def replay(cassette: str | Path) -> list[Exchange]:
    """Send every request recorded in ``cassette`` again, in order, answered by the cassette; the
    exchanges that answered them, in the order they were played."""
    import httpx

    from harness.cassette.load import load_cassette

    exchanges = load_cassette(cassette).exchanges
    sdk = _sdk()
    clients: dict[str, Any] = {}
    with use_cassette(cassette, record_mode="none") as session, httpx.Client() as http:
        for exchange in exchanges:
            call = sdk_call(exchange.request) if sdk is not None and exchange.response.stream else None
            body = _json_object(exchange.request.body) if call is not None else None
            sent = False
            if call is not None and body is not None and sdk is not None:
                base, name, arguments = call
                client = clients.get(base) or clients.setdefault(base, sdk(base))
                sent = _through_sdk(functools.reduce(getattr, name.split("."), client), {**arguments, **body})
            if not sent:
                _through_httpx(http, exchange.request)
        return session.used_exchanges


def _sdk() -> Callable[[str], Any] | None:
    try:
        import openai
    except ImportError:
        return None
    return lambda base: openai.OpenAI(api_key=FAKE_KEY, base_url=base, max_retries=0)


def _through_sdk(method: Callable[..., Any], fields: dict[str, Any]) -> bool:
    """Whether the SDK sent the request (it refuses a body without the arguments it requires)."""
    import openai

    # a body field named like one of the call's own options (timeout, extra_headers) is a field
    known = {name for name in inspect.signature(method).parameters if name not in _CALL_OPTIONS}
    arguments = {name: value for name, value in fields.items() if name in known}
    extra = {name: value for name, value in fields.items() if name not in known}
    with warnings.catch_warnings():  # the SDK deprecates the Assistants calls it still makes
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            stream = method(**arguments, **({"extra_body": extra} if extra else {}))
        except TypeError:  # the SDK checks its arguments before it sends anything
            return False
        except openai.APIError as error:
            _raise_cassette_error(error)
            return True  # the server's answer was an HTTP error, as recorded
    try:
        for _ in stream:
            pass
    except openai.APIError as error:  # an error event: the SDK raises, the reconstruction shows it
        _raise_cassette_error(error)
    return True


def _raise_cassette_error(error: Exception) -> None:
    """The cassette's own error when it had no answer (the SDK wraps it as a connection error)."""
    cause = error.__cause__ or error.__context__
    if isinstance(cause, HarnessError):
        raise cause from None


def _through_httpx(client: Any, request: RecordedRequest) -> None:
    headers = {"content-type": "application/json"} if request.body else {}
    with client.stream(request.method, request.url, content=request.body, headers=headers) as response:
        for _ in response.iter_bytes():
            pass


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None
