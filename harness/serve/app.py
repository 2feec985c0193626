"""Answering HTTP requests from recorded exchanges: the replay server's request handler.

Matching is the one replay uses (:mod:`harness.matching`); each recorded
exchange answers once, so repeated identical requests get their recordings
in recorded order. Streams are cut and timed by :func:`harness.replay.plan.plan_stream`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from urllib.parse import urlencode

from harness.cassette.model import Exchange, RecordedRequest, RecordedResponse
from harness.emulator.exchange import AbortStream, BodyPiece, EmulatorRequest, EmulatorResponse
from harness.matching import DEFAULT_MATCH_ON, Matcher, explain_miss, resolve_matchers
from harness.playback.options import ReplayOptions
from harness.replay.chunking import Chunking
from harness.replay.faults import Fault, HTTPError, faults_for
from harness.replay.plan import ReplayPlan, plan_stream

UNMATCHED_TYPE = "harness_unmatched_request"

# Framing headers describe the recorded connection, not this one; the server sets its own.
_FRAMING_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "content-encoding", "connection", "keep-alive"}
)

Log = Callable[[str], None]


def request_from(request: EmulatorRequest) -> RecordedRequest:
    """The incoming request in the cassette's terms (a relative URL: host and scheme are not matched)."""
    query = urlencode([(key, value) for key, values in request.query.items() for value in values])
    url = request.path + (f"?{query}" if query else "")
    return RecordedRequest(request.method, url, list(request.headers.items()), request.body)


class ReplayApp:
    """Serves ``exchanges``: each matched request gets the first unplayed matching recording."""

    def __init__(
        self,
        exchanges: Sequence[Exchange],
        *,
        chunking: str | Chunking = "recorded",
        speed: float = 0.0,
        faults: Sequence[Fault] = (),
        match_on: Sequence[str | Matcher] = DEFAULT_MATCH_ON,
        ignore_body_fields: Sequence[str] = (),
        log: Log | None = None,
    ) -> None:
        self.exchanges = list(exchanges)
        self.play_counts = [0] * len(self.exchanges)
        self._replay = ReplayOptions(Chunking.parse(chunking), float(speed), tuple(faults))  # validates
        self._matchers = resolve_matchers(match_on, ignore_body_fields)
        self._errors_served: dict[int, int] = {}
        self._log = log
        self._lock = threading.Lock()

    @property
    def unplayed(self) -> list[int]:
        """Indexes of the recorded exchanges no request has asked for yet."""
        return [index for index, count in enumerate(self.play_counts) if count == 0]

    def handle(self, request: EmulatorRequest) -> EmulatorResponse:
        incoming = request_from(request)
        with self._lock:
            index = self._claim(incoming)
            if index is None:
                message = explain_miss(incoming, [e.request for e in self.exchanges], self._matchers)
                self._say(f"{incoming.method} {incoming.url} -> 404 unmatched")
                return _json_response(404, {"error": {"message": message, "type": UNMATCHED_TYPE}})
            faults = faults_for(self._replay.faults, index)
            injected = self._due_http_error(index, faults)
        if injected is not None:
            self._say(f"{incoming.method} {incoming.url} -> {injected.status} (injected fault)")
            return _json_response(injected.status, _fault_body(injected), _retry_after(injected))
        response = self.exchanges[index].response
        self._say(
            f"{incoming.method} {incoming.url} -> #{index} {response.status}"
            + (" stream" if response.stream is not None else "")
        )
        return self._replayed(response, faults)

    def _claim(self, incoming: RecordedRequest) -> int | None:
        for index, exchange in enumerate(self.exchanges):
            if self.play_counts[index] == 0 and all(
                matcher(exchange.request, incoming) for _, matcher in self._matchers
            ):
                return index
        return None

    def _due_http_error(self, index: int, faults: list[Fault]) -> HTTPError | None:
        for fault in faults:
            if isinstance(fault, HTTPError) and self._errors_served.get(index, 0) < fault.times:
                self._errors_served[index] = self._errors_served.get(index, 0) + 1
                return fault
        self.play_counts[index] += 1
        return None

    def _replayed(self, response: RecordedResponse, faults: list[Fault]) -> EmulatorResponse:
        headers = [(name, value) for name, value in response.headers if name.lower() not in _FRAMING_HEADERS]
        if response.stream is None:
            return EmulatorResponse(response.status, headers, [(0.0, response.body)])
        plan = plan_stream(response.stream, self._replay.chunking, self._replay.speed, faults)
        return EmulatorResponse(response.status, headers, _pieces(plan), streaming=True)

    def _say(self, line: str) -> None:
        if self._log is not None:
            self._log(line)


def _pieces(plan: ReplayPlan) -> Iterator[BodyPiece]:
    yield from plan.reads()
    if plan.error:
        raise AbortStream(plan.error)


def _json_response(
    status: int, body: object, extra_headers: Sequence[tuple[str, str]] = ()
) -> EmulatorResponse:
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return EmulatorResponse(status, [("Content-Type", "application/json"), *extra_headers], [(0.0, payload)])


def _fault_body(fault: HTTPError) -> dict[str, object]:
    return {
        "error": {
            "message": f"Injected by the harness: HTTP {fault.status}",
            "type": "server_error" if fault.status >= 500 else "rate_limit_error",
            "param": None,
            "code": None,
        }
    }


def _retry_after(fault: HTTPError) -> list[tuple[str, str]]:
    return [] if fault.retry_after is None else [("retry-after", f"{fault.retry_after:g}")]
