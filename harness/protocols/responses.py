"""The Responses API stream as a :class:`~harness.protocols.base.StreamProtocol`.

Vocabulary and the streamed-strings rule live in :mod:`harness.protocols.responses_vocabulary`,
the fold in :mod:`harness.protocols.responses_fold`, the text form in
:mod:`harness.protocols.responses_text`; this module ties them to the protocol interface.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from harness.protocols import new_protocol_codes as code_table
from harness.protocols import responses_vocabulary as vocab
from harness.protocols.base import Severity, StreamedString

if TYPE_CHECKING:
    from harness.cassette.model import Exchange
    from harness.conversation.view import ConversationView
    from harness.diagnostics import Diagnostic
    from harness.protocols.base import Folder
    from harness.protocols.fold_support import DiagnosticSink
    from harness.sse.event import ServerSentEvent

NAME = "responses"

# POST /v1/responses creates (and streams) a response; GET /v1/responses/{id}?stream=true resumes one.
_PATH = re.compile(r"/responses(?:/[^/?]+)?/?(?:\?.*)?$")


class ResponsesProtocol:
    """The Responses API stream (``response.*`` events)."""

    name = NAME
    event_names = frozenset(vocab.KNOWN_EVENTS)
    delta_events = vocab.STREAMED_DELTA_EVENTS
    codes = code_table.RESPONSES_CODES
    ended_early_codes = frozenset({code_table.MISSING_TERMINAL})
    per_event_codes: frozenset[str] = frozenset()

    def severity(self, diagnostic: Diagnostic) -> Severity:
        return self.codes.get(diagnostic.code, "error")

    def claims_request(self, method: str, path: str, body: bytes) -> bool:
        return _PATH.search(path) is not None

    def starts_next_stream(self, name: str, previous: str) -> bool:
        # no `[DONE]`: a response.created opens the next response; after a terminal event, an event
        # of another protocol starts that protocol's stream
        if name == vocab.CREATED:
            return True
        other = not vocab.is_responses_event(name) and name != vocab.ERROR
        return other and previous in vocab.TERMINAL_EVENTS

    def claims_events(self, names: Sequence[str]) -> bool:
        return any(vocab.is_responses_event(name) for name in names)

    def streamed_strings(self, name: str, payload: Any) -> Iterator[StreamedString]:
        if name not in vocab.STREAMED_DELTA_EVENTS or type(payload) is not dict:
            return
        delta = payload.get("delta")
        key = vocab.fragment_key(name, payload)
        if type(delta) is str and key is not None:
            yield StreamedString(("delta",), key, delta)

    def reports_error(self, names: Iterable[str]) -> bool:
        return any(name == vocab.ERROR for name in names)

    def new_folder(self, *, views: bool = False, sink: DiagnosticSink | None = None) -> Folder:
        from harness.protocols.responses_fold import ResponsesFolder

        return ResponsesFolder(views=views, sink=sink)

    def wellformedness_problems(self, transcript: Any, streams: Sequence[Sequence[str]]) -> set[str]:
        # events about items no stream introduced: what removing an output_item.added leaves behind
        return {
            f"{diagnostic.code}: {diagnostic.message}"
            for diagnostic in transcript.diagnostics
            if diagnostic.code in code_table.RESPONSES_REFERENCE_CODES
        }

    def object_lines(self, transcript: Any) -> list[str]:
        from harness.protocols.responses_text import object_lines

        return object_lines(transcript)

    def conformance(self, events: Iterable[ServerSentEvent], stream: int) -> Iterator[Diagnostic]:
        return iter(())  # the fold checks every event; there are no typed models of these events yet

    def conversation(self, exchanges: Sequence[Exchange]) -> ConversationView:
        from harness.conversation.responses import conversation

        return conversation(exchanges)


PROTOCOL = ResponsesProtocol()
