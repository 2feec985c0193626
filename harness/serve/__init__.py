"""Serving cassettes over HTTP, so a client in any language replays them by changing its base URL.

    from harness.serve import ReplayServer

    with ReplayServer(["cassettes/tool-call.json"]) as server:
        client = openai.OpenAI(api_key="sk-test-fake-key", base_url=server.base_url)

The server listens on loopback at the API's paths (``/v1/...``). A request
is answered by the first recorded exchange that matches it and has not been
served yet (matching as in :func:`harness.use_cassette`); one with no match
gets ``404`` and ``{"error": {"message": <why>, "type": "harness_unmatched_request"}}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette, Exchange
from harness.http.server import DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_BODY, AppServer
from harness.matching import DEFAULT_MATCH_ON, Matcher
from harness.replay.chunking import Chunking
from harness.replay.faults import Fault
from harness.serve.app import UNMATCHED_TYPE, Log, ReplayApp, check_headers

CassetteSource = str | Path | Cassette


def exchanges_of(cassettes: CassetteSource | Sequence[CassetteSource]) -> list[Exchange]:
    """Every exchange of the given cassettes (paths are loaded), in order."""
    sources = [cassettes] if isinstance(cassettes, (str, Path, Cassette)) else list(cassettes)
    exchanges: list[Exchange] = []
    for source in sources:
        cassette = source if isinstance(source, Cassette) else load_cassette(source)
        check_headers(cassette.exchanges, None if isinstance(source, Cassette) else str(source))
        exchanges.extend(cassette.exchanges)
    return exchanges


class ReplayServer(AppServer):
    """A replay server on ``host:port`` (port 0: a free one); ``with`` starts and stops it.

    ``chunking`` (``recorded | event | byte | whole | random[:SEED]``), ``speed``
    (0 instant, 1.0 as recorded), ``faults``, ``match_on`` and
    ``ignore_body_fields`` mean what they mean for :func:`harness.use_cassette`; ``repeat``
    serves the last matching recording again once every match was served. A recorded header
    holding CR or LF is refused when loading.
    ``log`` gets one line per request served. Loading a cassette may raise
    :class:`~harness.errors.CassetteError`; binding the port, :class:`OSError`.
    """

    def __init__(
        self,
        cassettes: CassetteSource | Sequence[CassetteSource],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        chunking: str | Chunking = "recorded",
        speed: float = 0.0,
        faults: Sequence[Fault] = (),
        match_on: Sequence[str | Matcher] = DEFAULT_MATCH_ON,
        ignore_body_fields: Sequence[str] = (),
        repeat: bool = False,
        log: Log | None = None,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        self.app = ReplayApp(
            exchanges_of(cassettes),
            chunking=chunking,
            speed=speed,
            faults=faults,
            match_on=match_on,
            ignore_body_fields=ignore_body_fields,
            repeat=repeat,
            log=log,
        )
        super().__init__(
            self.app, host=host, port=port, name="replay-server", idle_timeout=idle_timeout, max_body=max_body
        )


__all__ = ["UNMATCHED_TYPE", "ReplayApp", "ReplayServer", "exchanges_of"]
