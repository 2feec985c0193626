"""The interface every streaming protocol implements, and the small types it speaks in.

A *protocol* is one kind of event stream the harness understands (the Assistants run stream,
the Responses API stream, Chat Completions chunks). Everything that must know what an event
means asks the protocol of its stream instead of hard-coding names: reconstruction, typed
models, ``harness validate``, shrink's well-formedness check, secret scrubbing of split
strings, snapshots, ``harness inspect`` and ``harness diff``.

How to add a protocol
---------------------
1. Write ``harness/protocols/NAME.py`` with an object implementing :class:`StreamProtocol`
   (see :mod:`harness.protocols.assistants`): its event vocabulary, every diagnostic code it
   emits with a default :data:`Severity`, :meth:`~StreamProtocol.streamed_strings` (the one
   rule for which strings of a delta are appended to what came before), detection
   (:meth:`~StreamProtocol.claims_request` / :meth:`~StreamProtocol.claims_events`) and a
   :meth:`~StreamProtocol.new_folder` whose transcript's ``to_dict()`` is the JSON shape of
   ``harness inspect --format json`` for it (with a ``"protocol"`` key).
2. Add its module name to ``PROTOCOL_MODULES`` in :mod:`harness.protocols`. Callers never
   test a protocol's name: they call :func:`harness.protocols.protocol_for` and use the object.
3. Keep the module light: it is imported by ``harness inspect``; import pydantic models, the
   fold or anything heavy inside methods.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

if TYPE_CHECKING:
    from harness.cassette.model import Exchange
    from harness.conversation.view import ConversationView
    from harness.diagnostics import Diagnostic
    from harness.protocols.fold_support import DiagnosticSink
    from harness.sse.event import ServerSentEvent

#: How bad a diagnostic is by default. ``error``: a client would trip over it (``harness validate``
#: fails). ``warning``: the stream breaks the protocol in a way clients survive (``--strict``
#: fails). ``info``: a field-level difference from the reference that real servers produce.
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

JsonPath = tuple[str | int, ...]


def preview(text: str, limit: int = 40) -> str:
    """``text`` as a JSON string, cut after ``limit`` characters (views show streamed text so)."""
    return json.dumps(text if len(text) <= limit else text[:limit] + "...", ensure_ascii=False)


class StreamedString(NamedTuple):
    """One string a delta appends to what earlier deltas sent.

    ``path`` locates it in the event's JSON payload (list positions as sent); ``key`` names the
    accumulated string it extends (the object id, then list entries by their ``index`` field),
    so pieces with the same ``key`` join, in stream order, into the value a client sees.
    """

    path: JsonPath
    key: tuple[Any, ...]
    value: str


class Folder(Protocol):
    """Folds the streams of one conversation: :meth:`feed` each event, :meth:`end_stream` after each
    stream, then :meth:`transcript`. Never raises on malformed input."""

    def feed(self, event: ServerSentEvent) -> None: ...

    def end_stream(self) -> None: ...

    def transcript(self) -> FoldedTranscript: ...


class FoldedTranscript(Protocol):
    """What every protocol's transcript offers the views (timeline, snapshots, validation)."""

    @property
    def protocol(self) -> str: ...
    @property
    def event_names(self) -> list[str]: ...
    @property
    def event_object_ids(self) -> list[str | None]: ...
    @property
    def stream_starts(self) -> list[int]: ...
    @property
    def event_texts(self) -> list[str | None]: ...
    @property
    def event_data(self) -> list[str]: ...  # with ``views``: each event's data as sent
    @property
    def diagnostics(self) -> list[Diagnostic]: ...

    def to_dict(self) -> dict[str, Any]: ...


class StreamProtocol(Protocol):
    """One streaming protocol: vocabulary, diagnostics, the streamed-strings rule, detection, fold."""

    #: Short stable name (``"assistants"``); the ``protocol`` key of ``inspect --format json``.
    name: str
    #: Every event name the protocol defines.
    event_names: frozenset[str]
    #: Event names whose payload is a fragment to accumulate (their strings are streamed strings).
    delta_events: frozenset[str]
    #: Every diagnostic code this protocol's fold and checks emit -> its default severity.
    codes: Mapping[str, Severity]
    #: Codes expected when a stream ended early for a recorded reason (an error event, a cut);
    #: raised as the stream ends (``harness validate`` tells whether it stopped early, from all its
    #: names, by then).
    ended_early_codes: frozenset[str]
    #: Codes :meth:`conformance` reports per event that the fold also sums up on its final objects.
    per_event_codes: frozenset[str]

    def severity(self, diagnostic: Diagnostic) -> Severity:
        """The severity of one diagnostic (by default its code's entry in :attr:`codes`)."""
        ...

    def claims_request(self, method: str, path: str, body: bytes) -> bool:
        """Whether a request to ``path`` with ``body`` opens a stream of this protocol."""
        ...

    def starts_next_stream(self, name: str, previous: str) -> bool:
        """Whether an event named ``name`` right after one named ``previous``, in a raw body with no
        ``[DONE]`` between them, belongs to the next stream (a protocol whose streams end with
        ``[DONE]`` says no)."""
        ...

    def claims_events(self, names: Sequence[str]) -> bool:
        """Whether a stream with these event names (its first few suffice) is of this protocol."""
        ...

    def streamed_strings(self, name: str, payload: Any) -> Iterator[StreamedString]:
        """The strings the event ``name`` with parsed ``payload`` appends (nothing for non-deltas)."""
        ...

    def reports_error(self, names: Iterable[str]) -> bool:
        """Whether a stream with these event names (in any order, each at least once) carries an
        error the server sent."""
        ...

    def new_folder(self, *, views: bool = False, sink: DiagnosticSink | None = None) -> Folder:
        """A fresh fold for one conversation of this protocol; ``views`` keeps, per event, what the
        timeline and snapshots show (``event_texts``: a delta's appended text, an error's message).
        With a ``sink`` every diagnostic goes there as it is raised, none kept in the transcript."""
        ...

    def wellformedness_problems(self, transcript: Any, streams: Sequence[Sequence[str]]) -> set[str]:
        """Cross-reference problems of a folded conversation (shrink keeps candidates without new
        ones); ``streams`` holds the event names of each stream."""
        ...

    def object_lines(self, transcript: Any) -> list[str]:
        """The final objects of ``harness inspect``'s text form, after the event timeline."""
        ...

    def conformance(self, events: Iterable[ServerSentEvent], stream: int) -> Iterator[Diagnostic]:
        """Per-event checks against the reference (for ``harness validate``), event by event as
        ``events`` are read (a stream of millions is never held); may import models."""
        ...

    def conversation(self, exchanges: Sequence[Exchange]) -> ConversationView:
        """The migration check's protocol-neutral view of the conversation ``exchanges`` hold, read
        the protocol's way (requests and their folded responses; :mod:`harness.conversation`)."""
        ...
