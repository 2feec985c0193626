"""The replay core shared by :func:`harness.use_cassette` and ``harness serve``: which recording
answers a request, how often each was played, and the injected HTTP errors.

Requests are matched outside the lock (matching is pure, and a large body is parsed once per
request, not once per recording: see :mod:`harness.matching`); only claiming a recording, the
bookkeeping, holds it, so one slow request never stalls the others.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from harness.cassette.model import RecordedRequest
from harness.matching import Matcher
from harness.replay.faults import Fault, HTTPError, faults_for

FAULT_HEADER = ("x-harness-fault", "http-error")


@dataclass(frozen=True)
class Claim:
    """Recording ``index`` answers; ``error`` is set when an injected HTTP error answers instead."""

    index: int
    faults: list[Fault]
    error: HTTPError | None = None


class Player:
    """Recorded requests in order, claimed by the first matching one not played yet.

    ``repeat``: once every matching recording was played, the last of them answers again
    (polling loops, a client retrying); without it such a request is a miss.
    """

    def __init__(
        self,
        requests: Sequence[RecordedRequest],
        matchers: Sequence[tuple[str, Matcher]],
        faults: Sequence[Fault] = (),
        *,
        repeat: bool = False,
    ) -> None:
        self.requests = list(requests)
        self.play_counts = [0] * len(self.requests)
        self._matchers = list(matchers)
        self._faults = tuple(faults)
        self._repeat = repeat
        self._errors_served: dict[int, int] = {}
        self._order: list[int] = []
        self._lock = threading.Lock()

    def matching(self, incoming: RecordedRequest) -> list[int]:
        """Indexes of the recordings ``incoming`` matches, in recorded order (no lock needed)."""
        return [index for index, recorded in enumerate(self.requests) if self._matches(recorded, incoming)]

    def _matches(self, recorded: RecordedRequest, incoming: RecordedRequest) -> bool:
        return all(matcher(recorded, incoming) for _, matcher in self._matchers)

    def _first_unplayed(self, incoming: RecordedRequest) -> int | None:
        """The first recording not played yet that ``incoming`` matches (those played are not
        compared: a conversation replayed in order meets one recording per request)."""
        for index, recorded in enumerate(self.requests):
            if self.play_counts[index] == 0 and self._matches(recorded, incoming):
                return index
        return None

    def claim(self, incoming: RecordedRequest) -> Claim | None:
        """The recording (or injected error) that answers ``incoming``; None for a miss."""
        while True:
            index = self._first_unplayed(incoming)  # matched outside the lock
            unplayed = index is not None
            if index is None and self._repeat:
                candidates = self.matching(incoming)
                index = candidates[-1] if candidates else None
            if index is None:
                return None
            with self._lock:
                if unplayed and self.play_counts[index] != 0:
                    continue  # another request claimed it meanwhile: look again
                return self._claimed(index)

    def _claimed(self, index: int) -> Claim:
        """The bookkeeping of a claim (under the lock)."""
        faults = faults_for(self._faults, index)
        for fault in faults:
            if isinstance(fault, HTTPError) and self._errors_served.get(index, 0) < fault.times:
                self._errors_served[index] = self._errors_served.get(index, 0) + 1
                return Claim(index, faults, fault)
        if self.play_counts[index] == 0:
            self._order.append(index)
        self.play_counts[index] += 1
        return Claim(index, faults)

    @property
    def played_order(self) -> list[int]:
        """Indexes of the recordings played, in the order first played."""
        return list(self._order)

    @property
    def unplayed(self) -> list[int]:
        return [index for index, count in enumerate(self.play_counts) if count == 0]


def fault_headers(fault: HTTPError) -> list[tuple[str, str]]:
    """The headers of an injected HTTP error: JSON, marked as injected, ``retry-after`` if set."""
    headers = [("content-type", "application/json"), FAULT_HEADER]
    if fault.retry_after is not None:
        headers.append(("retry-after", f"{fault.retry_after:g}"))
    return headers


def fault_body(fault: HTTPError) -> bytes:
    """The body of an injected HTTP error, shaped like the API's own errors."""
    return json.dumps(
        {
            "error": {
                "message": f"Injected by the harness: HTTP {fault.status}",
                "type": "server_error" if fault.status >= 500 else "rate_limit_error",
                "param": None,
                "code": None,
            }
        }
    ).encode()
