"""JSON Lines export: one object a line, easy to grep, ``jq`` and diff, and read back exactly.

Line 1: ``{"harness_jsonl": 1, "metadata": {...}}``. Then per exchange, in order:

* ``{"type": "request", "exchange": N, "method", "url", "headers": [[name, value], ...], "body"}``
* ``{"type": "response", "exchange": N, "status", "reason", "headers", "body"}`` for a plain
  body, or with ``"stream": {"events": count, "chunk_sizes", "chunk_times" (seconds), "cut"}``
  instead of ``body`` for an event stream, followed by
* ``{"type": "event", "exchange": N, "index": i, "event": name, "data": text, "raw": frame}``
  per SSE event. ``raw`` is the frame exactly as sent and is what the reader rebuilds the
  stream from; ``event`` / ``data`` are its decoded view (null for trailing bytes that hold
  no event) and must agree with ``raw``.

Bodies and frames are text when UTF-8, else ``{"base64": ...}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from harness.cassette.bodies import body_to_json
from harness.cassette.chunk_table import fit_chunk_table
from harness.cassette.formats.documents import decode_text
from harness.cassette.formats.http_parts import chunk_lists, header_pairs, json_body, status_code
from harness.cassette.formats.json_text import parse_json_text
from harness.cassette.formats.tree import Node, Source
from harness.cassette.model import (
    Cassette,
    Exchange,
    RecordedRequest,
    RecordedResponse,
    RecordedStream,
)
from harness.errors import CassetteError
from harness.sse.decoder import parse_sse

FORMAT_KEY = "harness_jsonl"
FORMAT_VERSION = 1


def looks_like_jsonl(data: bytes, path: Path) -> bool:
    first_line = data[:512].split(b"\n", 1)[0]
    return first_line.lstrip().startswith(b"{") and f'"{FORMAT_KEY}"'.encode() in first_line


def _line(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _event_view(frame: bytes) -> tuple[str | None, str | None]:
    events = parse_sse(frame)
    return (events[0].event, events[0].data) if events else (None, None)


def write(cassette: Cassette) -> bytes:
    lines = [_line({FORMAT_KEY: FORMAT_VERSION, "metadata": cassette.metadata})]
    for number, exchange in enumerate(cassette.exchanges):
        request, response = exchange.request, exchange.response
        lines.append(
            _line(
                {
                    "type": "request",
                    "exchange": number,
                    "method": request.method,
                    "url": request.url,
                    "headers": [list(pair) for pair in request.headers],
                    "body": body_to_json(request.body),
                }
            )
        )
        head: dict[str, Any] = {
            "type": "response",
            "exchange": number,
            "status": response.status,
            "reason": response.reason,
            "headers": [list(pair) for pair in response.headers],
        }
        stream = response.stream
        if stream is None:
            lines.append(_line({**head, "body": body_to_json(response.body)}))
            continue
        table = {
            "events": len(stream.frames),
            "chunk_sizes": stream.chunk_sizes,
            "chunk_times": stream.chunk_times,
            "cut": stream.cut,
        }
        lines.append(_line({**head, "stream": table}))
        for index, frame in enumerate(stream.frames):
            name, data = _event_view(frame)
            lines.append(
                _line(
                    {
                        "type": "event",
                        "exchange": number,
                        "index": index,
                        "event": name,
                        "data": data,
                        "raw": body_to_json(frame),
                    }
                )
            )
    return ("\n".join(lines) + "\n").encode("utf-8")


def read(data: bytes, path: Path) -> Cassette:
    text = decode_text(data, path)
    del data  # the only reference, handed over by load_cassette
    rows = _rows(text, Source(path))
    header = next(rows, None)
    if header is None:
        raise CassetteError(path, "the file is empty")
    if header.mapping().get(FORMAT_KEY) != FORMAT_VERSION:
        raise header.error(f'expected a first line with "{FORMAT_KEY}": {FORMAT_VERSION}')
    metadata = header.optional("metadata")
    return Cassette(
        _Rebuilder(rows).exchanges(), "jsonl", dict(metadata.mapping()) if metadata is not None else {}
    )


def _rows(text: str, source: Source) -> Iterator[Node]:
    """The parsed rows one at a time (each let go once rebuilt: the file is never all parsed at once),
    blank lines skipped."""
    start, number = 0, 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line, start, number = text[start:end], end + 1, number + 1
        if line.strip():
            node = Node(parse_json_text(line, source.path, line=number), f"line {number}", source)
            node.mapping()
            yield node


class _Rebuilder:
    """Walks the rows in order, checking each is the kind of line expected next."""

    def __init__(self, rows: Iterator[Node]) -> None:
        self.rows = rows
        self.ahead = next(rows, None)

    def next(self, kind: str, exchange: int) -> Node | None:
        row = self.ahead
        if row is None:
            return None
        if row.field("type").value != kind or row.field("exchange").value != exchange:
            raise row.error(f"expected the {kind} line of exchange {exchange}")
        self.ahead = next(self.rows, None)
        return row

    def exchanges(self) -> list[Exchange]:
        exchanges: list[Exchange] = []
        while True:
            number = len(exchanges)
            request = self.next("request", number)
            if request is None:
                return exchanges
            response = self.next("response", number)
            if response is None:
                raise request.error(f"exchange {number} has no response line")
            exchanges.append(Exchange(_request(request), self.response(response, number)))

    def response(self, row: Node, number: int) -> RecordedResponse:
        status = status_code(row.field("status"))
        reason = row.field("reason").string()
        headers = header_pairs(row.field("headers"))
        stream = row.optional("stream")
        if stream is None:
            return RecordedResponse(status, reason, headers, json_body(row.field("body")))
        count = stream.field("events").integer()
        frames = []
        for index in range(count):
            event = self.next("event", number)
            if event is None:
                raise stream.error(f"announces {count} events but the file ends after {index}")
            frames.append(_frame(event, index))
        return RecordedResponse(status, reason, headers, stream=_stream(stream, frames))


def _request(row: Node) -> RecordedRequest:
    return RecordedRequest(
        row.field("method").string(),
        row.field("url").string(),
        header_pairs(row.field("headers")),
        json_body(row.field("body")),
    )


def _frame(row: Node, index: int) -> bytes:
    if row.field("index").value != index:
        raise row.field("index").error(f"expected event index {index}")
    frame = json_body(row.field("raw"))
    if _event_view(frame) != (row.mapping().get("event"), row.mapping().get("data")):
        raise row.error("event/data disagree with raw; raw is what gets replayed, so edit raw")
    return frame


def _stream(stream: Node, frames: list[bytes]) -> RecordedStream:
    table = fit_chunk_table(
        frames, *chunk_lists(stream, "chunk_times"), path=stream.source.path, where=stream.where
    )
    cut = stream.optional("cut")
    return RecordedStream(frames, table.sizes, table.times, cut.string() if cut is not None else None)
