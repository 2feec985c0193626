"""Chat Completions chunks as a :class:`~harness.protocols.base.StreamProtocol`.

Vocabulary and the streamed-strings rule live in :mod:`harness.protocols.chat_vocabulary`, the
fold in :mod:`harness.protocols.chat_fold`, the text form in :mod:`harness.protocols.chat_text`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from harness.protocols import chat_vocabulary as vocab
from harness.protocols import new_protocol_codes as code_table
from harness.protocols.base import Severity, StreamedString

if TYPE_CHECKING:
    from harness.cassette.model import Exchange
    from harness.conversation.view import ConversationView
    from harness.diagnostics import Diagnostic
    from harness.protocols.base import Folder
    from harness.protocols.fold_support import DiagnosticSink
    from harness.sse.event import ServerSentEvent

NAME = "chat.completions"

# Chunks are sent without an `event:` line, so their events carry the default name.
_DEFAULT_EVENT_NAME = "message"


class ChatProtocol:
    """Chat Completions streams (``chat.completion.chunk`` data lines ending ``data: [DONE]``)."""

    name = NAME
    event_names = frozenset({vocab.CHUNK_OBJECT, vocab.DONE_NAME, "error"})
    delta_events = frozenset({vocab.CHUNK_OBJECT})
    codes = code_table.CHAT_CODES
    ended_early_codes = frozenset({code_table.MISSING_DONE})
    per_event_codes: frozenset[str] = frozenset()

    def severity(self, diagnostic: Diagnostic) -> Severity:
        return self.codes.get(diagnostic.code, "error")

    def claims_request(self, method: str, path: str, body: bytes) -> bool:
        return path.split("?", 1)[0].rstrip("/").endswith("/chat/completions")

    def starts_next_stream(self, name: str, previous: str) -> bool:
        return False  # its streams end with `data: [DONE]`

    def claims_events(self, names: Sequence[str]) -> bool:
        return bool(names) and all(name == _DEFAULT_EVENT_NAME for name in names)

    def streamed_strings(self, name: str, payload: Any) -> Iterator[StreamedString]:
        if type(payload) is not dict:
            return
        for path, key, value in vocab.streamed_strings(payload):
            yield StreamedString(path, key, value)

    def reports_error(self, names: Iterable[str]) -> bool:
        return any(name == "error" for name in names)

    def new_folder(self, *, views: bool = False, sink: DiagnosticSink | None = None) -> Folder:
        from harness.protocols.chat_fold import ChatFolder

        return ChatFolder(views=views, sink=sink)

    def wellformedness_problems(self, transcript: Any, streams: Sequence[Sequence[str]]) -> set[str]:
        return set()  # chunks name nothing that another chunk must have introduced

    def object_lines(self, transcript: Any) -> list[str]:
        from harness.protocols.chat_text import object_lines

        return object_lines(transcript)

    def conformance(self, events: Iterable[ServerSentEvent], stream: int) -> Iterator[Diagnostic]:
        return iter(())  # the fold checks every chunk; there are no typed models of chunks yet

    def conversation(self, exchanges: Sequence[Exchange]) -> ConversationView:
        from harness.conversation.chat import conversation

        return conversation(exchanges)


PROTOCOL = ChatProtocol()
