"""HAR 1.2 (HTTP Archive, as browser dev tools export it): ``log.entries[].request/response``.

Browsers store response bodies decoded, so a foreign HAR's ``content-encoding``
header no longer describes ``content.text`` and is dropped from streams.
Entries written by the harness carry an ``_harness`` object (custom fields
start with ``_`` in HAR) holding what HAR has no place for: whether the body
was a stream, its chunk sizes and arrival times, and why it was cut; with it,
bodies are taken exactly as written.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Generator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from harness.cassette.chunk_table import fit_chunk_table
from harness.cassette.formats.http_parts import build_response, chunk_lists, status_code
from harness.cassette.formats.json_stream import JsonText
from harness.cassette.formats.tree import Node, Source, child_path
from harness.cassette.model import (
    Cassette,
    Exchange,
    ExchangeReading,
    HeaderPairs,
    Headers,
    RecordedRequest,
    RecordedResponse,
    RecordedStream,
    header_value,
)
from harness.errors import CassetteError
from harness.sse.framing import split_frames

HAR_VERSION = "1.2"
CREATOR = {"name": "pytest-run-harness", "version": "0.1.0"}
EXTENSION = "_harness"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class _Entries:
    """HAR entries made exchanges one at a time, with the notes their reading left.

    The strings most entries repeat (methods, URLs, header names and values) and the header
    pairs (tuples) are kept once for the whole file, not once per entry: a file of many small
    entries is mostly those."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self._strings: dict[str, str] = {}
        self._pairs: dict[tuple[str, str], tuple[str, str]] = {}
        self._header_lists: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}

    def _shared(self, text: str) -> str:
        return self._strings.setdefault(text, text)

    def exchange(self, entry: Node) -> Exchange | None:
        """The exchange an entry records; None for one skipped (with a note saying why)."""
        response = entry.field("response")
        if response.field("status").value == 0:  # a browser's aborted or blocked request
            self.notes.append(f"{entry.where}: skipped (status 0: the request never got a response)")
            return None
        return Exchange(self._request(entry.field("request")), self._response(entry))

    def cassette(self, log: Node) -> Cassette:
        """The cassette of the log, without its exchanges (they are handed over as read)."""
        metadata: dict[str, Any] = {}
        extension = log.optional(EXTENSION)
        if extension is not None and extension.has("metadata"):
            metadata = dict(extension.field("metadata").mapping())
        if self.notes:
            metadata["import_notes"] = self.notes
        return Cassette([], "har", metadata)

    def _headers(self, node: Node | None) -> HeaderPairs:
        if node is None:
            return ()
        shared, pairs = self._shared, self._pairs
        read = [
            (shared(item.field("name").string()), shared(item.field("value").scalar_text()))
            for item in node.items()
        ]
        # each pair a tuple, and the pairs of an exchange a tuple, so safe to share: the exchanges
        # carrying the same headers share one tuple (``headers`` makes it a list when asked for)
        listed = tuple(pairs.setdefault(pair, pair) for pair in read)
        return self._header_lists.setdefault(listed, listed)

    def _request(self, request: Node) -> RecordedRequest:
        post_data = request.optional("postData")
        return RecordedRequest(
            self._shared(request.field("method").string()),
            self._shared(request.field("url").string()),
            self._headers(request.optional("headers")),
            _text_body(post_data, "text") if post_data is not None else b"",
        )

    def _response(self, entry: Node) -> RecordedResponse:
        response = entry.field("response")
        status = status_code(response.field("status"))
        reason_node = response.optional("statusText")
        reason = self._shared(reason_node.string()) if reason_node is not None else ""
        headers = self._headers(response.optional("headers"))
        body = _text_body(response.field("content"), "text")
        extension = entry.optional(EXTENSION)
        if extension is None:
            headers = _without_encoding(headers, body, response, self.notes)
            return build_response(status, reason, headers, body, where=response, notes=self.notes)
        stream = extension.optional("stream")
        if stream is None:
            return RecordedResponse(status, reason, headers, body)
        return RecordedResponse(status, reason, headers, stream=_stream(stream, body))


def _text_body(holder: Node, text_key: str) -> bytes:
    """``text`` (or ``postData.text``), base64-decoded when ``encoding`` says so."""
    text = holder.optional(text_key)
    if text is None:
        return b""
    encoding = holder.optional("encoding") or holder.optional("_encoding")
    if encoding is None:
        body = text.string().encode("utf-8")
        # the parsed document is this reader's own: a body's text goes once encoded, so a large
        # body is never held as document text, bytes and decoded events at once
        del holder.mapping()[text_key], text
        return body
    if encoding.string() != "base64":
        raise encoding.error(f"unknown body encoding {encoding.value!r} (only base64 is defined)")
    try:
        return base64.b64decode(text.string(), validate=True)
    except binascii.Error as error:
        raise text.error(f"invalid base64: {error}") from None


def from_tree(root: Node) -> Cassette:
    log = root.field("log")
    entries = _Entries()
    exchanges = [
        exchange
        for entry in log.field("entries").taken_items()
        if (exchange := entries.exchange(entry)) is not None
    ]
    cassette = entries.cassette(log)
    cassette.exchanges = exchanges
    return cassette


# The rest of a HAR log read after the document has ended: the exchanges not yet handed over, then
# the cassette without its exchanges (its format and metadata).
Finish = Callable[[], ExchangeReading]


def read_log(document: JsonText, source: Source) -> Generator[Exchange, None, Finish]:
    """The ``log`` object starting in ``document``, its entries parsed and made exchanges one at a
    time and handed over as made (a file of many entries is never held as its whole parsed tree,
    nor as its exchanges when the caller lets each go); what it returns hands over the rest, to be
    called once the rest of the document has been read.

    As when the whole document is parsed first, the document's own errors (invalid JSON, a
    duplicate key) come before any error in what an entry holds: an entry's error is raised by the
    function returned, and no exchange is handed over after it."""
    entries = _Entries()
    log: dict[str, Any] = {}
    failure: CassetteError | None = None
    streamed = False
    for key in document.members():
        if key != "entries" or streamed or document.peek() != "[":
            log[key] = document.value(child_path("log", key))
            continue
        streamed = True
        for index in document.items():
            where = f"log.entries[{index}]"
            entry = document.value(where)
            document.release()
            exchange = None
            if failure is None:
                try:
                    exchange = entries.exchange(Node(entry, where, source))
                except CassetteError as error:
                    failure = error
            del entry
            if exchange is not None:
                yield exchange
                del exchange  # the caller's to keep or let go

    def finish() -> ExchangeReading:
        if failure is not None:
            raise failure
        log_node = Node(log, "log", source)
        if not streamed:
            for entry in log_node.field("entries").taken_items():
                exchange = entries.exchange(entry)
                if exchange is not None:
                    yield exchange
        return entries.cassette(log_node)

    return finish


def _without_encoding(headers: HeaderPairs, body: bytes, response: Node, notes: list[str]) -> HeaderPairs:
    encoding = header_value(headers, "content-encoding")
    if not body or encoding is None:
        return headers
    notes.append(
        f"{response.where}: body stored decoded by the browser; content-encoding {encoding!r} "
        "and content-length headers dropped"
    )
    return [
        (name, value) for name, value in headers if name.lower() not in ("content-encoding", "content-length")
    ]


def _stream(stream: Node, body: bytes) -> RecordedStream:
    frames = split_frames(body)
    table = fit_chunk_table(
        frames, *chunk_lists(stream, "chunk_times"), path=stream.source.path, where=stream.where
    )
    cut = stream.optional("cut")
    return RecordedStream(frames, table.sizes, table.times, cut.string() if cut is not None else None)


def _content(data: bytes, mime_type: str) -> dict[str, Any]:
    content: dict[str, Any] = {"size": len(data), "mimeType": mime_type}
    try:
        content["text"] = data.decode("utf-8")
    except UnicodeDecodeError:
        content["text"] = base64.b64encode(data).decode("ascii")
        content["encoding"] = "base64"
    return content


def _started(headers: Headers) -> str:
    when = _EPOCH
    date = header_value(headers, "date")
    if date:
        try:
            parsed = parsedate_to_datetime(date)
            when = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)
        except (TypeError, ValueError):
            pass
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _har_headers(headers: Headers) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in headers]


def _entry(exchange: Exchange) -> dict[str, Any]:
    request, response = exchange.request, exchange.response
    har_request: dict[str, Any] = {
        "method": request.method,
        "url": request.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": _har_headers(request.headers),
        "queryString": [],
        "headersSize": -1,
        "bodySize": len(request.body),
    }
    if request.body:
        post = _content(request.body, header_value(request.headers, "content-type") or "")
        har_request["postData"] = {"mimeType": post["mimeType"], "text": post["text"]}
        if "encoding" in post:
            har_request["postData"]["_encoding"] = post["encoding"]
    body = response.content
    extension: dict[str, Any] = {"stream": None}
    elapsed_ms = 0.0
    if response.stream is not None:
        stream = response.stream
        extension["stream"] = {
            "chunk_sizes": stream.chunk_sizes,
            "chunk_times": stream.chunk_times,
            "cut": stream.cut,
        }
        elapsed_ms = stream.chunk_times[-1] * 1000 if stream.chunk_times else 0.0
    first_ms = response.stream.chunk_times[0] * 1000 if response.stream and response.stream.chunk_times else 0
    return {
        "startedDateTime": _started(response.headers),
        "time": elapsed_ms,
        "request": har_request,
        "response": {
            "status": response.status,
            "statusText": response.reason,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _har_headers(response.headers),
            "content": _content(body, header_value(response.headers, "content-type") or ""),
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": len(body),
        },
        "cache": {},
        "timings": {"send": 0, "wait": first_ms, "receive": elapsed_ms - first_ms},
        EXTENSION: extension,
    }


def to_document(cassette: Cassette) -> dict[str, Any]:
    log: dict[str, Any] = {
        "version": HAR_VERSION,
        "creator": CREATOR,
        "entries": [_entry(exchange) for exchange in cassette.exchanges],
    }
    if cassette.metadata:
        log[EXTENSION] = {"metadata": cassette.metadata}
    return {"log": log}


def write(cassette: Cassette) -> bytes:
    return (json.dumps(to_document(cassette), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
