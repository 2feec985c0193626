"""The active cassette: record modes, what was loaded and recorded, and when the file is written.

The harness owns this lifecycle (vcrpy is only a format it reads and writes, see
:mod:`harness.cassette.formats.vcrpy`). Record modes keep vcrpy's names:

- ``none``: replay only; a request without a recording fails.
- ``once``: replay an existing cassette as ``none`` does; record a new one.
- ``new_episodes``: replay what matches, record the rest, save old and new. A request that
  uses an id only the replayed part of the cassette created is refused: the live server has
  never seen it, and recording its answer (a 404) would corrupt the conversation.
- ``all``: record every exchange afresh; the file is replaced (atomically) only when the test
  passes, so a failure halfway leaves the old cassette byte-identical (a cassette with no
  exchanges yet is recorded as a new one would be).

The transports (:mod:`harness.playback.transport`) ask this object what to do with each request.
"""

from __future__ import annotations

import copy
import errno
import json
import stat
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.errors import HarnessError, UnmatchedRequestError
from harness.matching import Matcher, explain_miss, parse_json_body, resolve_matchers
from harness.options import ci_variable
from harness.playback.options import CassetteOptions
from harness.recording.encoding import decoded_stream
from harness.replay.player import Claim, Player
from harness.scrub import Scrubber
from harness.sse.event import ServerSentEvent

if TYPE_CHECKING:  # writing and folding are imported when first used: a replay needs neither
    from harness.conversation import ConversationView
    from harness.playback.transport import CassetteTransport
    from harness.protocols import FoldedTranscript


class UnplayedExchangesWarning(UserWarning):
    """Recorded exchanges the test never requested: the recording and the code drifted apart."""


class UnplayedExchangesError(HarnessError):
    """Raised instead of the warning when ``fail_on_unplayed`` is set."""


class CassetteNotSavedWarning(UserWarning):
    """The session recorded exchanges but the cassette was left as it was, and why."""


UNFINISHED = "unfinished: the cassette closed while the stream was being read"
STILL_OPEN = "unfinished: the stream is still being read"


class ConversationCassetteError(UnmatchedRequestError):
    """``new_episodes`` would send a request that depends on ids only the replayed part created."""


class RunCassette:
    """One cassette session: ``with use_cassette(path) as cassette`` gives it.

    ``exchanges``, ``streams``, ``events`` and ``transcript`` show what the test replayed and
    recorded; ``transport()`` gives an httpx / httpx2 transport to inject into a client.
    """

    def __init__(
        self, path: str | Path, options: CassetteOptions, *, matchers: list[tuple[str, Matcher]] | None = None
    ) -> None:
        """``matchers``: ``options``' matchers, when the caller resolved them already."""
        self.path = path if isinstance(path, Path) else Path(path)
        self.options = options
        self.record_mode = options.record_mode
        self.scrubber = Scrubber(options.scrub)  # learns the secrets sent, to remove them everywhere
        self.test_failed = False  # set by the pytest plugin when the test's call phase failed
        if matchers is None:
            matchers = resolve_matchers(options.match_on, options.ignore_body_fields)
        self._matchers = matchers
        # the named matchers compare the method, the URL and the body; a function may read headers too
        self._headers_matched = not all(isinstance(item, str) for item in options.match_on)
        self._existed = False
        self._replaced: list[Exchange] = []  # what `all` is recording again
        self._foreign_format: str | None = None
        self._loaded: list[Exchange] = []
        self._recorded: list[Exchange] = []
        self._live_streams: list[tuple[RecordedResponse, Callable[[str], RecordedStream | None]]] = []
        self._lock = threading.Lock()
        self._player = Player([], self._matchers)
        self._refused: ConversationCassetteError | None = None
        self._transcript: tuple[list[RecordedStream], FoldedTranscript] | None = None

    # --- lifecycle ---------------------------------------------------------------------

    def load(self) -> None:
        """Read the cassette file if there is one (``all`` reads it only to know its format)."""
        if not _missing_or_empty(self.path):
            cassette = load_cassette(self.path)
            self._existed = True
            self._replaced = list(cassette.exchanges) if self.record_mode == "all" else []
            self._foreign_format = None if cassette.source_format == "harness" else cassette.source_format
            if self.record_mode != "all":
                self._loaded = list(cassette.exchanges)
        self._player = Player(
            [exchange.request for exchange in self._loaded],
            self._matchers,
            self.options.replay.faults,
            repeat=self.options.allow_playback_repeats,
        )

    def close(self, *, failed: bool = False) -> None:
        """Keep what streams still open received, write the cassette if it should be, report."""
        for response, received in self._live_streams:
            partial = received(UNFINISHED)
            if partial is not None:
                self.store_stream(response, partial)
        self._live_streams.clear()
        self._save(failed=failed or self.test_failed)
        self._report_unplayed()

    @property
    def write_protected(self) -> bool:
        """True when no request may be recorded (``none``, or ``once`` on an existing cassette)."""
        return self.record_mode == "none" or (self.record_mode == "once" and self._existed)

    def transport(self, inner: Any = None) -> CassetteTransport:
        """An httpx / httpx2 transport that replays from this cassette and records through
        ``inner`` (default: a plain ``HTTPTransport`` of the request's library):
        ``httpx2.Client(transport=cassette.transport())``."""
        from harness.playback.transport import CassetteTransport

        return CassetteTransport(self, inner)

    # --- what tests look at -------------------------------------------------------------

    @property
    def exchanges(self) -> list[Exchange]:
        """Every exchange, loaded or recorded, in order."""
        return [*self._loaded, *self._recorded]

    @property
    def streams(self) -> list[RecordedStream]:
        return [
            exchange.response.stream
            for exchange in self._with_open_streams(self.exchanges)
            if exchange.response.stream is not None
        ]

    @property
    def events(self) -> list[list[ServerSentEvent]]:
        """The decoded events of every stream, one list per streamed response."""
        return [stream.events() for stream in self.streams]

    @property
    def play_counts(self) -> Counter[int]:
        """How often each loaded exchange was replayed, by index (as vcrpy's ``play_counts``)."""
        return Counter({index: count for index, count in enumerate(self._player.play_counts) if count})

    @property
    def transcript(self) -> FoldedTranscript:
        """The conversation of this session reconstructed (runs, steps, messages, events,
        diagnostics, with what ``run_snapshot`` shows of each event): the streams played, in the
        order first played, then those recorded, each folded by the protocol it speaks (a cassette
        mixing protocols gives a :class:`~harness.protocols.mixed.MixedTranscript`). A cassette
        shared with other tests, or being recorded again, thus gives only this test's conversation.
        Before any exchange is used: every stream in the cassette. Folded again only when that list
        of streams changed."""
        used = self.used_exchanges
        streams = [exchange.response.stream for exchange in used if exchange.response.stream is not None]
        cached = self._transcript
        if (
            cached is not None
            and len(cached[0]) == len(streams)
            and all(old is new for old, new in zip(cached[0], streams, strict=True))
        ):
            return cached[1]
        from harness.validation import fold_conversation

        transcript = fold_conversation(used, views=True)
        self._transcript = (streams, transcript)
        return transcript

    @property
    def conversation(self) -> ConversationView:
        """This session's conversation in no protocol's words (:mod:`harness.conversation`), from
        the same exchanges as :attr:`transcript`: ``assert run_snapshot == run_cassette.conversation``
        keeps its snapshot when the test's code moves from ``runs.stream`` to ``responses.stream``."""
        from harness.conversation import conversation_of

        return conversation_of(self.used_exchanges)

    @property
    def used_exchanges(self) -> list[Exchange]:
        """The exchanges this session used: those played, in the order first played, then those
        recorded; every exchange of the cassette before any is used."""
        played = [self._loaded[index] for index in self._player.played_order]
        return self._with_open_streams([*played, *self._recorded] or self.exchanges)

    def _with_open_streams(self, exchanges: list[Exchange]) -> list[Exchange]:
        """``exchanges``, a stream still being recorded shown as what arrived so far (decoded and
        scrubbed as it will be stored). A client may stop reading without closing the response:
        openai 1.x and 2.x raise on an `error` event and leave it open until the cassette closes."""
        open_streams = {id(response): received for response, received in self._live_streams}
        if not open_streams:
            return exchanges
        shown = []
        for exchange in exchanges:
            response = exchange.response
            received = open_streams.get(id(response))
            partial = received(STILL_OPEN) if received is not None else None  # None: finished
            if partial is not None:
                headers, partial = decoded_stream(response.headers, partial)
                response = RecordedResponse(
                    response.status, response.reason, headers, response.body, self.scrubber.stream(partial)
                )
                exchange = Exchange(exchange.request, response)
            shown.append(exchange)
        return shown

    # --- what the transports ask ---------------------------------------------------------

    def claim(self, request: RecordedRequest) -> Claim | None:
        """The loaded recording (or injected error) that answers ``request``; None: send it live.
        Matched scrubbed, as the recordings were: a key in the query or the body is REDACTED on both
        sides (the request sent is left alone)."""
        if self.record_mode != "all":
            claim = self._player.claim(self.scrubber.request(request, with_headers=self._headers_matched))
            if claim is not None:
                return claim
        if self.write_protected:
            raise self.unmatched(request)
        if self.record_mode == "new_episodes":
            self._refuse_dependent(request)
        return None

    def recorded_response(self, index: int) -> RecordedResponse:
        return self._loaded[index].response

    def append(self, request: RecordedRequest, response: RecordedResponse) -> None:
        """Keep a live exchange, scrubbed now, so transcripts and snapshots of this session hold no
        secret either. A stream being recorded stays the same object so the tee can fill it in
        (see :meth:`store_stream`). User hooks run when the cassette is saved."""
        scrubbed = self.scrubber.request(request)
        self.scrubber.response(response)
        with self._lock:
            self._recorded.append(Exchange(scrubbed, response))

    def store_stream(self, response: RecordedResponse, stream: RecordedStream) -> None:
        """A recorded stream is complete (or cut): decode it if compressed, scrub it and keep it."""
        response.headers, stream = decoded_stream(response.headers, stream)
        response.stream = self.scrubber.stream(stream)

    def track_live_stream(
        self, response: RecordedResponse, received: Callable[[str], RecordedStream | None]
    ) -> None:
        """A stream being recorded: if the cassette closes first, keep what arrived so far."""
        self._live_streams.append((response, received))

    def unmatched(self, request: RecordedRequest) -> UnmatchedRequestError:
        """The failure, showing the request scrubbed (CI systems publish test output)."""
        live = self.scrubber.request(request)
        if self._existed:
            why = f"record mode is {self.record_mode!r}"
        else:  # an empty file is a new cassette too: say which it is
            state = "is an empty file" if self.path.exists() else "does not exist"
            why = f"the cassette {state} and record mode is {self.record_mode!r}"
        variable = ci_variable()
        if self.record_mode == "none" and self.options.record_mode == "none" and variable is not None:
            name = "CI environment variable" if variable == "CI" else f"{variable} (CI) environment variable"
            why += f" (the default when the {name} is set)"
        if self._loaded:
            advice = (
                "To record the conversation again, rerun with record mode 'all' (pytest: "
                "--run-record-mode=all): it records every exchange afresh and replaces the cassette "
                "only when the test passes. 'new_episodes' (--run-record-mode=new_episodes) would add "
                "only this request to the old recording: right only when it uses no id the old "
                "recording created."
            )
        else:
            advice = (
                "To record it, rerun with record mode 'new_episodes' (pytest: --run-record-mode=new_episodes)"
                ", or 'all' to record the whole cassette again."
            )
        return UnmatchedRequestError(
            f"No recording for {live.method} {live.url} in cassette {self.path} ({why}).\n"
            f"{explain_miss(live, [exchange.request for exchange in self._loaded], self._matchers)}\n"
            f"{advice}"
        )

    # --- new_episodes on a conversation ---------------------------------------------------

    def _refuse_dependent(self, request: RecordedRequest) -> None:
        used = _request_strings(request) & self._ids_only_replayed()
        if used:
            self._refused = ConversationCassetteError(
                f"Refusing to record {request.method} {request.url} into {self.path} with record mode "
                f"'new_episodes': it uses {', '.join(sorted(used)[:3])}, which only the replayed part of "
                "the cassette created, so the live server has never seen it and would answer with an "
                "error that the cassette would then replay forever. Re-record the whole conversation "
                "with record mode 'all' (pytest: --run-record-mode=all)."
            )
            raise self._refused

    def _ids_only_replayed(self) -> set[str]:
        replayed: set[str] = set()
        for index in self._player.played_order:
            replayed |= _response_ids(self._loaded[index].response)
        live: set[str] = set()
        for exchange in list(self._recorded):
            live |= _response_ids(exchange.response)
        return replayed - live

    # --- saving ------------------------------------------------------------------------

    def _save(self, *, failed: bool) -> None:
        if not self._recorded:
            return
        if self._refused is not None:
            self._not_saved(
                "a request of the conversation was refused (it depends on ids only the replayed part "
                "created), so adding the rest would leave a conversation no server ever held"
            )
            return
        if failed and self._replaced:
            self._not_saved(
                "the test failed while recording it again (record mode 'all'), so the old cassette "
                "is left byte-identical"
            )
            return
        errors = [exchange for exchange in self._recorded if exchange.response.status >= 400]
        if failed and errors:
            listed = ", ".join(
                f"{exchange.request.method} {exchange.request.url} -> {exchange.response.status}"
                for exchange in errors[:3]
            )
            self._not_saved(
                f"the test failed and the recording holds error response(s) ({listed}); saved, "
                "they would replay forever. Fix the cause and record again"
            )
            return
        if self._foreign_format is not None:
            raise HarnessError(
                f"{self.path} is a {self._foreign_format} cassette: the harness replays it as it is "
                "but writes only its own format, so it will not overwrite it. Convert it first with "
                f"`harness import {self.path} --cassette NEW.json`, then record into NEW.json."
            )
        from harness.cassette.save import save_cassette

        exchanges = [copy.deepcopy(exchange) for exchange in [*self._loaded, *self._recorded]]
        scrubber = self.scrubber
        save_cassette(
            Cassette(scrubber.exchanges(exchanges)), self.path, rules=scrubber.rules, known=scrubber.known
        )

    def _not_saved(self, reason: str) -> None:
        warnings.warn(
            f"cassette {self.path} was not written: {reason}.", CassetteNotSavedWarning, stacklevel=3
        )

    def _report_unplayed(self) -> None:
        if self.record_mode == "all":
            return
        unplayed = self._player.unplayed
        if not unplayed:
            return
        listed = ", ".join(
            f"#{index} {self._loaded[index].request.method} {self._loaded[index].request.url}"
            for index in unplayed[:5]
        )
        message = f"{len(unplayed)} recorded exchange(s) in {self.path} were never played: {listed}" + (
            " ..." if len(unplayed) > 5 else ""
        )
        if self.options.fail_on_unplayed:
            raise UnplayedExchangesError(message)
        warnings.warn(message, UnplayedExchangesWarning, stacklevel=3)


def _missing_or_empty(path: Path) -> bool:
    """No file at ``path`` (as ``Path.exists`` says), or an empty regular file: a new cassette. One
    ``stat``: a replayed test asks this of its cassette every time."""
    try:
        status = path.stat()
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return True
        raise
    except ValueError:  # a NUL in the path
        return True
    return stat.S_ISREG(status.st_mode) and status.st_size == 0


def _request_strings(request: RecordedRequest) -> set[str]:
    """The URL's path segments and every string in a JSON body: where a request names an id."""
    from urllib.parse import urlsplit

    strings = {segment for segment in urlsplit(request.url).path.split("/") if segment}
    return strings | set(_strings(parse_json_body(request.body)))


def _response_ids(response: RecordedResponse) -> set[str]:
    """Values of ``id`` and ``*_id`` fields in a JSON body or in a stream's event data."""
    documents: list[Any] = []
    if response.stream is not None:
        for event in response.stream.events():
            try:
                documents.append(json.loads(event.data))
            except ValueError:
                continue
    else:
        documents.append(parse_json_body(response.body))
    ids: set[str] = set()
    for document in documents:
        ids |= set(_ids(document))
    return ids


def _leaves(node: Any) -> Iterator[tuple[str | None, Any]]:
    """Every scalar of a JSON document with the key it sits under (None inside lists)."""
    pending: list[tuple[str | None, Any]] = [(None, node)]
    while pending:
        key, value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.items())
        elif isinstance(value, list):
            pending.extend((None, item) for item in value)
        else:
            yield key, value


def _strings(node: Any) -> Iterator[str]:
    return (value for _, value in _leaves(node) if isinstance(value, str))


def _ids(node: Any) -> Iterator[str]:
    return (
        value
        for key, value in _leaves(node)
        if isinstance(value, str) and value and key is not None and (key == "id" or key.endswith("_id"))
    )
