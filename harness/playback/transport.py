"""Record and replay as an httpx-shaped transport, one class for httpx and httpx2, sync and async.

    with use_cassette("tests/cassettes/run.json") as cassette:
        client = openai.OpenAI(http_client=httpx2.Client(transport=cassette.transport()))

Per request the cassette decides (:meth:`RunCassette.claim`): replay a recording, refuse, or
send it on through the inner transport and record it, teeing a streamed body so the client
sees every chunk when it arrives. The global patching of :mod:`harness.playback.patches` is a
thin adapter that calls :meth:`CassetteTransport.handle` with the patched transport as sender.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import httpx
import httpx2

from harness.cassette.model import RecordedRequest, RecordedResponse, RecordedStream, is_event_stream
from harness.errors import CassetteError
from harness.http import encoding
from harness.playback.capture import decoded_body, headers_of, reason_of, request_of
from harness.recording.tee import TeeAsyncStream, TeeSyncStream
from harness.replay.plan import plan_stream
from harness.replay.player import Claim, fault_body, fault_headers
from harness.replay.stream import ReplayAsyncStream, ReplaySyncStream

if TYPE_CHECKING:
    from harness.playback.cassette import RunCassette

PENDING = "recording"
# Set while a cassette transport sends a request on: patched transports underneath pass it through.
FORWARDING: contextvars.ContextVar[bool] = contextvars.ContextVar("harness_forwarding", default=False)


def library_of(request: Any) -> Any:
    """The module (``httpx`` or ``httpx2``) whose ``Request`` this is."""
    return httpx2 if isinstance(request, httpx2.Request) else httpx


class CassetteTransport(
    httpx.BaseTransport, httpx.AsyncBaseTransport, httpx2.BaseTransport, httpx2.AsyncBaseTransport
):
    """Replays from ``cassette``; records what it may through ``inner`` (any httpx or httpx2
    transport; by default an ``HTTPTransport`` / ``AsyncHTTPTransport`` of the request's library,
    created when first needed and closed with this one)."""

    def __init__(self, cassette: RunCassette, inner: Any = None) -> None:
        self.cassette = cassette
        self._inner = inner
        self._own: dict[tuple[Any, bool], Any] = {}

    # --- httpx's transport interface ----------------------------------------------------

    def handle_request(self, request: Any) -> Any:
        return self.handle(
            request, lambda outgoing: self._inner_for(outgoing, False).handle_request(outgoing)
        )

    async def handle_async_request(self, request: Any) -> Any:
        return await self.handle_async(
            request, lambda outgoing: self._inner_for(outgoing, True).handle_async_request(outgoing)
        )

    def close(self) -> None:
        for (_, asynchronous), transport in list(self._own.items()):
            if not asynchronous:
                transport.close()

    async def aclose(self) -> None:
        for (_, asynchronous), transport in list(self._own.items()):
            if asynchronous:
                await transport.aclose()
            else:
                transport.close()

    # --- the core, with the sender given ----------------------------------------------------

    def handle(self, request: Any, send: Callable[[Any], Any]) -> Any:
        module = library_of(request)
        recorded = request_of(request, request.read())
        claim = self.cassette.claim(recorded)
        if claim is not None:
            return self._replayed(module, claim, asynchronous=False)
        token = FORWARDING.set(True)
        try:
            response = send(request)
        finally:
            FORWARDING.reset(token)
        return self._record_sync(module, recorded, response)

    async def handle_async(self, request: Any, send: Callable[[Any], Awaitable[Any]]) -> Any:
        module = library_of(request)
        recorded = request_of(request, await request.aread())
        claim = self.cassette.claim(recorded)
        if claim is not None:
            return self._replayed(module, claim, asynchronous=True)
        token = FORWARDING.set(True)
        try:
            response = await send(request)
        finally:
            FORWARDING.reset(token)
        return await self._record_async(module, recorded, response)

    def _inner_for(self, request: Any, asynchronous: bool) -> Any:
        if self._inner is not None:
            return self._inner
        module = library_of(request)
        key = (module, asynchronous)
        if key not in self._own:
            self._own[key] = module.AsyncHTTPTransport() if asynchronous else module.HTTPTransport()
        return self._own[key]

    # --- replay --------------------------------------------------------------------------

    def _replayed(self, module: Any, claim: Claim, *, asynchronous: bool) -> Any:
        if claim.error is not None:
            return module.Response(
                claim.error.status, headers=fault_headers(claim.error), content=fault_body(claim.error)
            )
        recorded = self.cassette.recorded_response(claim.index)
        extensions = {"reason_phrase": recorded.reason.encode("ascii", "replace")} if recorded.reason else {}
        if recorded.stream is None:
            headers, body = self._capped(recorded, claim.index)
            return module.Response(
                recorded.status, headers=headers, stream=module.ByteStream(body), extensions=extensions
            )
        options = self.cassette.options.replay
        plan = plan_stream(recorded.stream, options.chunking, options.speed, claim.faults)
        stream_class = ReplayAsyncStream if asynchronous else ReplaySyncStream
        return module.Response(
            recorded.status,
            headers=recorded.headers,
            stream=stream_class(plan, module),
            extensions=extensions,
        )

    def _capped(self, recorded: RecordedResponse, index: int) -> tuple[list[tuple[str, str]], bytes]:
        """A compressed recorded body inflated here, with a cap, instead of by the client without one."""
        try:
            return encoding.inflated(recorded.headers, recorded.body, encoding.MAX_INFLATED_BYTES)
        except ValueError as error:
            raise CassetteError(self.cassette.path, str(error), location=f"exchange #{index}") from None

    # --- record --------------------------------------------------------------------------

    def _pending(self, request: RecordedRequest, response: Any) -> RecordedResponse:
        recorded = RecordedResponse(
            response.status_code,
            reason_of(response),
            headers_of(response),
            stream=RecordedStream([], [], [], PENDING),
        )
        self.cassette.append(request, recorded)
        return recorded

    def _record_sync(self, module: Any, request: RecordedRequest, response: Any) -> Any:
        if is_event_stream(headers_of(response)):
            recorded = self._pending(request, response)
            tee = TeeSyncStream(
                response.stream,
                response.stream.close,
                lambda stream: self.cassette.store_stream(recorded, stream),
            )
            self.cassette.track_live_stream(recorded, tee.received)
            response.stream = tee
            return response
        try:
            raw = b"".join(response.stream)
        finally:
            response.stream.close()
        return self._stored(module, request, response, raw)

    async def _record_async(self, module: Any, request: RecordedRequest, response: Any) -> Any:
        if is_event_stream(headers_of(response)):
            recorded = self._pending(request, response)
            tee = TeeAsyncStream(
                response.stream,
                response.stream.aclose,
                lambda stream: self.cassette.store_stream(recorded, stream),
            )
            self.cassette.track_live_stream(recorded, tee.received)
            response.stream = tee
            return response
        try:
            raw = b"".join([chunk async for chunk in response.stream])
        finally:
            await response.stream.aclose()
        return self._stored(module, request, response, raw)

    def _stored(self, module: Any, request: RecordedRequest, response: Any, raw: bytes) -> Any:
        response.stream = module.ByteStream(raw)
        headers, body = decoded_body(module, response.status_code, headers_of(response), raw)
        self.cassette.append(
            request, RecordedResponse(response.status_code, reason_of(response), headers, body)
        )
        return response
