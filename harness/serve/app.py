"""Answering HTTP requests from recorded exchanges: the replay server's request handler.

Matching and bookkeeping are the replay core's (:class:`harness.replay.player.Player`): each
recorded exchange answers once, so repeated identical requests get their recordings in
recorded order (with ``repeat``, the last one answers again once all were served). Streams
are cut and timed by :func:`harness.replay.plan.plan_stream`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from urllib.parse import urlencode

from harness.cassette.model import Exchange, RecordedRequest, RecordedResponse
from harness.errors import CassetteError
from harness.http.exchange import AbortStream, BodyPiece, HttpRequest, HttpResponse
from harness.http.server import unsafe_header
from harness.matching import DEFAULT_MATCH_ON, Matcher, explain_miss, request_target, resolve_matchers
from harness.replay.chunking import Chunking
from harness.replay.faults import Fault
from harness.replay.options import ReplayOptions
from harness.replay.plan import ReplayPlan, plan_stream
from harness.replay.player import Player, fault_body, fault_headers
from harness.scrub import Scrubber

UNMATCHED_TYPE = "harness_unmatched_request"

# Framing headers describe the recorded connection, not this one; the server sets its own.
_FRAMING_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "content-encoding", "connection", "keep-alive"}
)

Log = Callable[[str], None]


def request_from(request: HttpRequest) -> RecordedRequest:
    """The incoming request in the cassette's terms (a relative URL: host and scheme are not matched)."""
    query = urlencode([(key, value) for key, values in request.query.items() for value in values])
    url = request.path + (f"?{query}" if query else "")
    return RecordedRequest(request.method, url, list(request.headers.items()), request.body)


def check_headers(exchanges: Sequence[Exchange], path: str | None = None) -> None:
    """Refuse, when loading, a recorded response header that would split into more headers."""
    for number, exchange in enumerate(exchanges):
        for name, value in exchange.response.headers:
            if unsafe_header(name, value):
                raise CassetteError(
                    path,
                    f"response header {name!r} holds CR, LF or NUL; serving it would inject headers",
                    location=f"exchange #{number}",
                )


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
        repeat: bool = False,
        log: Log | None = None,
    ) -> None:
        self.exchanges = list(exchanges)
        check_headers(self.exchanges)
        self._replay = ReplayOptions.of(chunking, speed, faults)
        self._matchers = resolve_matchers(match_on, ignore_body_fields)
        self.player = Player(
            [exchange.request for exchange in self.exchanges],
            self._matchers,
            self._replay.faults,
            repeat=repeat,
        )
        self._log = log
        self._scrubber = Scrubber()  # requests are matched and logged scrubbed, as the cassettes are

    @property
    def play_counts(self) -> list[int]:
        return self.player.play_counts

    @property
    def unplayed(self) -> list[int]:
        """Indexes of the recorded exchanges no request has asked for yet."""
        return self.player.unplayed

    def listing(self) -> list[str]:
        """One line per recorded exchange: what request it answers and with what."""
        lines = []
        for number, exchange in enumerate(self.exchanges):
            request, response = exchange.request, exchange.response
            target = request_target(request.url)
            kind = " stream" if response.stream is not None else ""
            lines.append(f"#{number} {request.method.upper()} {target} -> {response.status}{kind}")
        return lines

    def handle(self, request: HttpRequest) -> HttpResponse:
        incoming = self._scrubber.request(request_from(request))
        claim = self.player.claim(incoming)
        if claim is None:
            message = explain_miss(incoming, self.player.requests, self._matchers)
            self._say(f"{incoming.method} {incoming.url} -> 404 unmatched")
            return _json_response(404, {"error": {"message": message, "type": UNMATCHED_TYPE}})
        if claim.error is not None:
            self._say(f"{incoming.method} {incoming.url} -> {claim.error.status} (injected fault)")
            return HttpResponse(
                claim.error.status, fault_headers(claim.error), [(0.0, fault_body(claim.error))]
            )
        response = self.exchanges[claim.index].response
        self._say(
            f"{incoming.method} {incoming.url} -> #{claim.index} {response.status}"
            + (" stream" if response.stream is not None else "")
        )
        return self._replayed(response, claim.faults)

    def _replayed(self, response: RecordedResponse, faults: list[Fault]) -> HttpResponse:
        headers = [(name, value) for name, value in response.headers if name.lower() not in _FRAMING_HEADERS]
        if response.stream is None:
            return HttpResponse(response.status, headers, [(0.0, response.body)])
        plan = plan_stream(response.stream, self._replay.chunking, self._replay.speed, faults)
        return HttpResponse(response.status, headers, _pieces(plan), streaming=True)

    def _say(self, line: str) -> None:
        if self._log is not None:
            self._log(line)


def _pieces(plan: ReplayPlan) -> Iterator[BodyPiece]:
    yield from plan.reads()
    if plan.error:
        raise AbortStream(plan.error)


def _json_response(status: int, body: object) -> HttpResponse:
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return HttpResponse(status, [("Content-Type", "application/json")], [(0.0, payload)])
