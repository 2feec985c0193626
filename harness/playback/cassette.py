"""The active cassette: vcrpy's record modes and bookkeeping, with streams kept streaming.

vcrpy provides record modes, play counts and the patch/unpatch lifecycle;
this subclass swaps vcrpy's httpx/httpx2 stubs (which read a whole body
before the client sees any of it) for ours (:mod:`harness.playback.patches`),
which tee streams while recording and replay them chunk by chunk.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vcr.cassette import Cassette as VcrCassette
from vcr.persisters.filesystem import CassetteNotFoundError
from vcr.request import Request as VcrRequest

from harness.cassette.load import load_cassette
from harness.cassette.model import Cassette, Exchange, RecordedRequest, RecordedResponse, RecordedStream
from harness.cassette.save import save_cassette
from harness.errors import HarnessError, UnmatchedRequestError
from harness.matching import Matcher, explain_miss, resolve_matchers
from harness.options import running_in_ci
from harness.playback.options import CassetteOptions
from harness.recording.encoding import decoded_stream
from harness.scrub import Scrubber, ScrubRules
from harness.sse.event import ServerSentEvent

if TYPE_CHECKING:
    from harness.reconstruct.transcript import Transcript


class UnplayedExchangesWarning(UserWarning):
    """Recorded exchanges the test never requested: the recording and the code drifted apart."""


class UnplayedExchangesError(HarnessError):
    """Raised instead of the warning when ``fail_on_unplayed`` is set."""


class RunRequest(VcrRequest):  # type: ignore[misc]
    """vcrpy's request, carrying the harness's faithful copy (ordered, repeated headers).

    vcrpy itself only sees a scrubbed URL and no body or headers: matching uses
    ``recorded``, and vcrpy logs what it sees, so no secret can reach a log file.
    """

    def __init__(self, recorded: RecordedRequest) -> None:
        super().__init__(recorded.method, ScrubRules().scrub_url(recorded.url), b"", {})
        self.recorded = recorded


def _vcr_matcher(name: str, matcher: Matcher) -> Callable[[Any, Any], bool]:
    def match(request: Any, stored: Any) -> bool:
        return matcher(stored.recorded, request.recorded)

    match.__name__ = name
    return match


class _Persister:
    """vcrpy's persister interface, reading any supported format and writing the harness one."""

    def __init__(self, options: CassetteOptions, scrubber: Scrubber) -> None:
        self._options = options
        self._scrubber = scrubber
        self._foreign_format: str | None = None

    def load_cassette(
        self, cassette_path: str, serializer: Any
    ) -> tuple[list[RunRequest], list[RecordedResponse]]:
        path = Path(cassette_path)
        if not path.exists() or (path.is_file() and path.stat().st_size == 0):
            raise CassetteNotFoundError()
        cassette = load_cassette(path)
        self._foreign_format = None if cassette.source_format == "harness" else cassette.source_format
        return (
            [RunRequest(exchange.request) for exchange in cassette.exchanges],
            [exchange.response for exchange in cassette.exchanges],
        )

    def save_cassette(self, cassette_path: str, cassette_dict: dict[str, Any], serializer: Any) -> None:
        if self._foreign_format is not None:
            raise HarnessError(
                f"{cassette_path} is a {self._foreign_format} cassette: the harness replays it as it is "
                "but writes only its own format, so it will not overwrite it. Convert it first with "
                f"`harness import {cassette_path} --cassette NEW.json`, then record into NEW.json."
            )
        exchanges = [
            Exchange(copy.deepcopy(request.recorded), copy.deepcopy(response))
            for request, response in zip(cassette_dict["requests"], cassette_dict["responses"], strict=True)
        ]
        scrubber = self._scrubber
        save_cassette(
            Cassette(scrubber.exchanges(exchanges)), cassette_path, rules=scrubber.rules, known=scrubber.known
        )


class RunCassette(VcrCassette):  # type: ignore[misc]
    def __init__(self, path: str | Path, options: CassetteOptions) -> None:
        self.options = options
        self.scrubber = Scrubber(options.scrub)  # learns the secrets sent, to remove them everywhere
        self._matchers = resolve_matchers(options.match_on, options.ignore_body_fields)
        self._error_attempts: dict[int, int] = {}
        self._loading = False
        self._live_streams: list[tuple[RecordedResponse, Callable[[str], RecordedStream | None]]] = []
        self._transcript: tuple[list[RecordedStream], Transcript] | None = None
        super().__init__(
            str(path),
            persister=_Persister(options, self.scrubber),
            record_mode=options.record_mode,
            match_on=[_vcr_matcher(name, matcher) for name, matcher in self._matchers],
            allow_playback_repeats=options.allow_playback_repeats,
        )

    def transport_patches(self) -> list[tuple[Any, str, Any]]:
        """(class, method name, stub) for every httpx / httpx2 transport method this cassette takes over."""
        from harness.playback.patches import transport_patches

        return transport_patches(self)

    # --- what tests look at -------------------------------------------------------------

    @property
    def exchanges(self) -> list[Exchange]:
        """Every exchange, loaded or recorded, in order."""
        return [Exchange(request.recorded, response) for request, response in self.data]

    @property
    def streams(self) -> list[RecordedStream]:
        return [response.stream for _, response in self.data if response.stream is not None]

    @property
    def events(self) -> list[list[ServerSentEvent]]:
        """The decoded events of every stream, one list per streamed response."""
        return [stream.events() for stream in self.streams]

    @property
    def transcript(self) -> Transcript:
        """The conversation of this session reconstructed (runs, steps, messages, events,
        diagnostics, with what ``run_snapshot`` shows of each event): the streams played, in the
        order first played, then those recorded. A cassette shared with other tests, or being
        recorded again, thus gives only this test's conversation. Before any exchange is used:
        every stream in the cassette. Folded again only when that list of streams changed."""
        from harness.reconstruct import reconstruct

        used = [*self._played_interactions, *self.data[self._loaded_count :]] or self.data
        streams = [response.stream for _, response in used if response.stream is not None]
        cached = self._transcript
        if (
            cached is not None
            and len(cached[0]) == len(streams)
            and all(old is new for old, new in zip(cached[0], streams, strict=True))
        ):
            return cached[1]
        transcript = reconstruct([stream.events() for stream in streams], views=True)
        self._transcript = (streams, transcript)
        return transcript

    # --- recording and replay bookkeeping ----------------------------------------------

    def _load(self) -> None:
        self._loading = True  # vcrpy's loader goes through append(): nothing to scrub there
        try:
            super()._load()
        finally:
            self._loading = False

    def append(self, request: Any, response: Any) -> None:
        if self._loading:
            self.data.append((request, response))
            return
        # Scrubbed as soon as recorded, so transcripts and snapshots built from this cassette hold no
        # secret either. vcrpy deep-copies here; a stream being recorded must stay the same object
        # so the tee can fill it in (see store_stream). User hooks run when the cassette is saved.
        scrubbed = self.scrubber.request(request.recorded)
        self.scrubber.response(response)
        self.data.append((RunRequest(scrubbed), response))
        self.dirty = True

    def store_stream(self, response: RecordedResponse, stream: RecordedStream) -> None:
        """A recorded stream is complete (or cut): decode it if compressed, scrub it and keep it."""
        response.headers, stream = decoded_stream(response.headers, stream)
        response.stream = self.scrubber.stream(stream)

    def find_playable(self, request: RunRequest) -> int | None:
        """The first matching recording not yet played. Only exchanges loaded from the file
        are replayed: one recorded during this session is not served back to a repeat of
        its request (a polling loop must reach the server each time while recording)."""
        for index, _ in self._responses(request):
            if index >= self._loaded_count and not self.allow_playback_repeats:
                break
            if self.play_counts[index] == 0 or self.allow_playback_repeats:
                return int(index)
        return None

    def mark_played(self, index: int) -> None:
        if self.play_counts[index] == 0 and index < self._loaded_count:
            self._played_interactions.append(self.data[index])
        self.play_counts[index] += 1

    def injected_error_due(self, index: int, times: int) -> bool:
        """Count one attempt at ``index``; true while fewer than ``times`` errors were served."""
        served = self._error_attempts.get(index, 0)
        if served < times:
            self._error_attempts[index] = served + 1
            return True
        return False

    def unmatched(self, request: RunRequest) -> UnmatchedRequestError:
        """The failure, showing the request scrubbed (CI systems publish test output)."""
        recorded = [stored.recorded for stored, _ in self.data]
        live = self.scrubber.request(request.recorded)
        exists = Path(self._path).exists()
        why = (
            f"record mode is {self.record_mode!r}"
            if exists
            else f"the cassette does not exist and record mode is {self.record_mode!r}"
        )
        if self.record_mode == "none" and self.options.record_mode == "none":
            why += " (the default when the CI environment variable is set)" if running_in_ci() else ""
        return UnmatchedRequestError(
            f"No recording for {live.method} {live.url} in cassette "
            f"{self._path} ({why}).\n{explain_miss(live, recorded, self._matchers)}\n"
            "To record it, rerun with record mode 'new_episodes' (pytest: --run-record-mode=new_episodes)"
            ", or 'all' to record the whole cassette again."
        )

    def track_live_stream(
        self, response: RecordedResponse, received: Callable[[str], RecordedStream | None]
    ) -> None:
        """A stream being recorded: if the cassette closes first, keep what arrived so far."""
        self._live_streams.append((response, received))

    def _save(self, force: bool = False) -> None:
        for response, received in self._live_streams:
            partial = received("unfinished: the cassette closed while the stream was being read")
            if partial is not None:
                self.store_stream(response, partial)
        self._live_streams.clear()
        super()._save(force=force)
        self._report_unplayed()

    def _report_unplayed(self) -> None:
        if self.record_mode == "all":
            return
        unplayed = [index for index in range(self._loaded_count) if self.play_counts[index] == 0]
        if not unplayed:
            return
        listed = ", ".join(
            f"#{index} {self.data[index][0].recorded.method} {self.data[index][0].recorded.url}"
            for index in unplayed[:5]
        )
        message = f"{len(unplayed)} recorded exchange(s) in {self._path} were never played: {listed}" + (
            " ..." if len(unplayed) > 5 else ""
        )
        if self.options.fail_on_unplayed:
            raise UnplayedExchangesError(message)
        warnings.warn(message, UnplayedExchangesWarning, stacklevel=2)
