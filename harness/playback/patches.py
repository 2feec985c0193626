"""The transport stubs patched into httpx and httpx2 while a cassette is active.

Each stub decides per request: replay a recorded exchange, refuse (record
mode does not allow recording), or send it for real and record it, teeing a
streamed body so the client sees every chunk when it arrives.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import httpx2

from harness.cassette.model import RecordedResponse, RecordedStream, is_event_stream
from harness.playback.capture import decoded_body, headers_of, reason_of, request_of
from harness.playback.cassette import RunCassette, RunRequest
from harness.recording.tee import TeeAsyncStream, TeeSyncStream
from harness.replay.faults import HTTPError, faults_for
from harness.replay.plan import plan_stream
from harness.replay.player import fault_body, fault_headers
from harness.replay.stream import ReplayAsyncStream, ReplaySyncStream

PENDING = "recording"


def transport_patches(cassette: RunCassette) -> list[tuple[Any, str, Any]]:
    patches: list[tuple[Any, str, Any]] = []
    for module in (httpx, httpx2):
        for transport in (module.HTTPTransport, module.MockTransport):
            original = transport.handle_request
            patches.append((transport, "handle_request", _sync_stub(cassette, module, original)))
        for transport in (module.AsyncHTTPTransport, module.MockTransport):
            original = transport.handle_async_request
            patches.append((transport, "handle_async_request", _async_stub(cassette, module, original)))
    return patches


def _sync_stub(cassette: RunCassette, module: Any, original: Callable[..., Any]) -> Callable[..., Any]:
    def handle_request(transport: Any, request: Any) -> Any:
        run_request = RunRequest(request_of(request, request.read()))
        replayed = _replay(cassette, module, run_request, asynchronous=False)
        if replayed is not None:
            return replayed
        response = original(transport, request)
        return _record_sync(cassette, module, run_request, response)

    return handle_request


def _async_stub(
    cassette: RunCassette, module: Any, original: Callable[..., Awaitable[Any]]
) -> Callable[..., Awaitable[Any]]:
    async def handle_async_request(transport: Any, request: Any) -> Any:
        run_request = RunRequest(request_of(request, await request.aread()))
        replayed = _replay(cassette, module, run_request, asynchronous=True)
        if replayed is not None:
            return replayed
        response = await original(transport, request)
        return await _record_async(cassette, module, run_request, response)

    return handle_async_request


def _replay(cassette: RunCassette, module: Any, request: RunRequest, *, asynchronous: bool) -> Any:
    """The replayed response, or None when the request should go to the network."""
    if cassette.record_mode != "all":
        index = cassette.find_playable(request)
        if index is not None:
            return _replayed_response(cassette, module, index, asynchronous)
    if cassette.write_protected:
        raise cassette.unmatched(request)
    return None


def _replayed_response(cassette: RunCassette, module: Any, index: int, asynchronous: bool) -> Any:
    recorded: RecordedResponse = cassette.data[index][1]
    faults = faults_for(cassette.options.replay.faults, index)
    for fault in faults:
        if isinstance(fault, HTTPError) and cassette.injected_error_due(index, fault.times):
            return _error_response(module, fault)
    cassette.mark_played(index)
    extensions = {"reason_phrase": recorded.reason.encode("ascii", "replace")} if recorded.reason else {}
    if recorded.stream is None:
        return module.Response(
            recorded.status,
            headers=recorded.headers,
            stream=module.ByteStream(recorded.body),
            extensions=extensions,
        )
    options = cassette.options.replay
    plan = plan_stream(recorded.stream, options.chunking, options.speed, faults)
    stream_class = ReplayAsyncStream if asynchronous else ReplaySyncStream
    return module.Response(
        recorded.status,
        headers=recorded.headers,
        stream=stream_class(plan, module),
        extensions=extensions,
    )


def _error_response(module: Any, fault: HTTPError) -> Any:
    return module.Response(fault.status, headers=fault_headers(fault), content=fault_body(fault))


def _pending(cassette: RunCassette, request: RunRequest, response: Any) -> RecordedResponse:
    recorded = RecordedResponse(
        response.status_code,
        reason_of(response),
        headers_of(response),
        stream=RecordedStream([], [], [], PENDING),
    )
    cassette.append(request, recorded)
    return recorded


def _record_sync(cassette: RunCassette, module: Any, request: RunRequest, response: Any) -> Any:
    if is_event_stream(headers_of(response)):
        recorded = _pending(cassette, request, response)
        tee = TeeSyncStream(
            response.stream, response.stream.close, lambda stream: cassette.store_stream(recorded, stream)
        )
        cassette.track_live_stream(recorded, tee.received)
        response.stream = tee
        return response
    try:
        raw = b"".join(response.stream)
    finally:
        response.stream.close()
    response.stream = module.ByteStream(raw)
    _store_body(cassette, module, request, response, raw)
    return response


async def _record_async(cassette: RunCassette, module: Any, request: RunRequest, response: Any) -> Any:
    if is_event_stream(headers_of(response)):
        recorded = _pending(cassette, request, response)
        tee = TeeAsyncStream(
            response.stream, response.stream.aclose, lambda stream: cassette.store_stream(recorded, stream)
        )
        cassette.track_live_stream(recorded, tee.received)
        response.stream = tee
        return response
    try:
        raw = b"".join([chunk async for chunk in response.stream])
    finally:
        await response.stream.aclose()
    response.stream = module.ByteStream(raw)
    _store_body(cassette, module, request, response, raw)
    return response


def _store_body(cassette: RunCassette, module: Any, request: RunRequest, response: Any, raw: bytes) -> None:
    headers, body = decoded_body(module, response.status_code, headers_of(response), raw)
    cassette.append(request, RecordedResponse(response.status_code, reason_of(response), headers, body))
