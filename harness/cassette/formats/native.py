"""The harness's own cassette format (version 1).

A JSON document laid out so a pull request diff reads well: each SSE event of
a streamed body sits on a line of its own, as the exact text the server sent;
the chunk table (sizes and arrival times in milliseconds) follows on two lines.
Loading is one ``json.loads``: fast, and it can never run code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from itertools import accumulate, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.cassette.bodies import body_from_json, body_to_json
from harness.cassette.chunk_table import fit_chunk_table, fitting_chunk_table
from harness.cassette.formats.documents import decode_text, document_reader, parse_json
from harness.cassette.formats.http_parts import (
    chunk_lists,
    header_pairs,
    json_body,
    plain_chunk_lists,
    plain_header_pairs,
    status_code,
)
from harness.cassette.formats.json_text import parse_small_json_bytes
from harness.cassette.formats.tree import Node, Source
from harness.cassette.frames import Frames, encoded_texts, offsets
from harness.cassette.model import (
    Cassette,
    Exchange,
    RecordedRequest,
    RecordedResponse,
    RecordedStream,
)
from harness.errors import CassetteError

if TYPE_CHECKING:  # the lists are cut out of large files only: a test's cassette never imports the cutter
    from harness.cassette.formats.event_lists import EventLists

FORMAT_KEY = "harness_cassette"
FORMAT_VERSION = 1
_BATCH = 4096
_NONES = [None] * _BATCH
# A file up to this size (a test's cassette) is parsed whole: several times faster than cutting its
# lists out of the bytes, and its strings are held only while the frames are built.
SMALL_FILE_BYTES = 256 * 1024


def looks_native(text: str) -> bool:
    return text.lstrip()[:1] == "{" and f'"{FORMAT_KEY}"' in text[:200]


def dumps(cassette: Cassette) -> str:
    return "".join(text_pieces(cassette))


def text_pieces(cassette: Cassette) -> Iterator[str]:
    """The text of :func:`dumps` in pieces, for writing a long stream without holding its text."""
    yield head_text(cassette.metadata)
    for number, exchange in enumerate(cassette.exchanges):
        yield from exchange_pieces(exchange, number)
    yield tail_text(len(cassette.exchanges))


def head_text(metadata: dict[str, Any]) -> str:
    """The text before the first exchange: the format's key, the metadata, the list opened."""
    listed = f'"metadata": {_compact(metadata)},\n' if metadata else ""
    return f'{{\n"{FORMAT_KEY}": {FORMAT_VERSION},\n{listed}"exchanges": [\n'


def exchange_pieces(exchange: Exchange, number: int) -> Iterator[str]:
    """The text of exchange ``number`` (from 0) of the list, after the separator before it: a
    writer given the exchanges one at a time writes the text :func:`text_pieces` writes."""
    if number:
        yield ",\n"
    yield from _exchange_pieces(exchange)


def tail_text(count: int) -> str:
    """The text after the last of ``count`` exchanges."""
    return ("\n" if count else "") + "]\n}\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _exchange_pieces(exchange: Exchange) -> Iterator[str]:
    request, response = exchange.request, exchange.response
    yield "\n".join(
        [
            "{",
            '"request": {',
            f'  "method": {_compact(request.method)},',
            f'  "url": {_compact(request.url)},',
            f'  "headers": {_compact([list(pair) for pair in request.headers])},',
            f'  "body": {_compact(body_to_json(request.body))}',
            "},",
            '"response": {',
            f'  "status": {response.status},',
            f'  "reason": {_compact(response.reason)},',
            f'  "headers": {_compact([list(pair) for pair in response.headers])},',
            "",
        ]
    )
    stream = response.stream
    if stream is None:
        yield f'  "body": {_compact(body_to_json(response.body))}\n'
    else:
        yield "\n".join(
            [
                '  "stream": {',
                f'    "cut": {_compact(stream.cut)},',
                f'    "chunk_sizes": {_compact(stream.chunk_sizes)},',
                f'    "chunk_ms": {_compact([round(t * 1000, 3) for t in stream.chunk_times])},',
                '    "events": [',
                "",
            ]
        )
        frames = stream.frames
        for start in range(0, len(frames), _BATCH):
            texts = ",\n".join(_compact(body_to_json(frame)) for frame in frames[start : start + _BATCH])
            yield ("" if start == 0 else ",\n") + texts
        yield "\n    ]\n  }\n"
    yield "}\n}"


def looks_native_bytes(head: bytes, path: Path) -> bool:
    return looks_native(head[:256].decode("utf-8", "replace"))


def loads(text: str, path: Path | None = None) -> Cassette:
    return from_tree(parse_json(text, path))


def from_tree(root: Node, lists: EventLists | None = None) -> Cassette:
    """The cassette of a parsed document (whose ``events`` lists ``lists`` holds when it was read
    by :func:`read`)."""
    root.mapping()
    version = root.mapping().get(FORMAT_KEY)
    if version != FORMAT_VERSION:
        raise root.child(FORMAT_KEY, version).error(
            f"unsupported cassette version {version!r} (this harness reads version {FORMAT_VERSION})"
        )
    metadata = root.optional("metadata")
    exchanges = [_exchange(item, lists) for item in root.field("exchanges").taken_items()]
    return Cassette(exchanges, "harness", dict(metadata.mapping()) if metadata is not None else {})


# the file's bytes and text are dropped as soon as they are parsed, before the frames are built
_read_document = document_reader(from_tree)


def read(data: bytes, path: Path | None) -> Cassette:
    """The cassette in a file's bytes (the only reference to them, let go once read): its
    ``events`` lists read straight from the bytes, the rest parsed as JSON; a small file, or one
    whose lists or layout are unusual, is read as one JSON document (which names what is wrong)."""
    owned = [data]
    del data  # the plain reader gets the only reference, to let it go in turn
    if len(owned[0]) <= SMALL_FILE_BYTES:
        try:
            document = parse_small_json_bytes(owned[0])
        except ValueError:
            return _read_document(owned.pop(), path)
        owned.clear()
        plain = _plain_cassette(document)
        return plain if plain is not None else from_tree(Node(document, "", Source(path)))
    from harness.cassette.formats.event_lists import NotPlain, cut_event_lists

    try:
        rest, lists = cut_event_lists(owned[0])
        root: Node | None = parse_json(decode_text(rest, path), path)
        del rest
    except (NotPlain, CassetteError):
        root = None  # read plainly once out of here: the traceback holds the bytes
    if root is None or sorted(_placeholders(root.value, lists)) != list(range(len(lists))):
        return _read_document(owned.pop(), path)  # or a list cut from elsewhere than a stream's events
    owned.clear()
    return from_tree(root, lists)


def _placeholders(document: Any, lists: EventLists) -> Iterator[int]:
    """The lists named where a stream's events belong, in a document as :func:`read` cut it."""
    exchanges = document.get("exchanges") if isinstance(document, dict) else None
    for exchange in exchanges if isinstance(exchanges, list) else ():
        response = exchange.get("response") if isinstance(exchange, dict) else None
        stream = response.get("stream") if isinstance(response, dict) else None
        number = lists.number(stream.get("events")) if isinstance(stream, dict) else None
        if number is not None:
            yield number


def _exchange(item: Node, lists: EventLists | None) -> Exchange:
    return Exchange(_request(item.field("request")), _response(item.field("response"), lists))


def _request(item: Node) -> RecordedRequest:
    return RecordedRequest(
        item.field("method").string(),
        item.field("url").string(),
        header_pairs(item.optional("headers")),
        json_body(item.optional("body")),
    )


def _response(item: Node, lists: EventLists | None) -> RecordedResponse:
    reason = item.optional("reason")
    response = RecordedResponse(
        status_code(item.field("status")),
        reason.string() if reason is not None else "",
        header_pairs(item.optional("headers")),
        json_body(item.optional("body")),
    )
    if item.has("stream"):
        response.stream = _stream(item.field("stream"), lists)
    return response


def _frames(values: list[Any], frame_of: Callable[[int, Any], bytes], *, release: bool) -> Frames:
    """The frames of a stream's ``events`` list, each frame that is not text (or not UTF-8) read by
    ``frame_of(index, value)``. With ``release`` (the document is this reader's own) each batch of
    texts is let go once encoded: a stream of millions of events is never held as both, nor as an
    object per event."""
    pieces: list[bytes] = []
    ends = offsets(())
    for start in range(0, len(values), _BATCH):
        batch = values[start : start + _BATCH]
        try:  # the common case, every frame text, encoded in one call
            joined, lengths = encoded_texts(batch)
        except (TypeError, UnicodeEncodeError):  # a frame kept as base64, a lone surrogate
            frames = [frame_of(start + n, frame) for n, frame in enumerate(batch)]
            joined, lengths = b"".join(frames), [len(frame) for frame in frames]
        ends.extend(islice(accumulate(lengths, initial=ends[-1] if ends else 0), 1, None))
        pieces.append(joined)
        if release:
            values[start : start + len(batch)] = _NONES[: len(batch)]
    return Frames(b"".join(pieces), ends)


def _stream(item: Node, lists: EventLists | None) -> RecordedStream:
    events = item.field("events")
    number = lists.number(events.value) if lists is not None else None
    if lists is not None and number is not None:
        frames = lists.take(number)
    elif not isinstance(events.value, list):
        raise events.expected("a list")
    else:
        frames = _frames(events.value, lambda n, frame: json_body(events.child(n, frame)), release=True)
    sizes, times = chunk_lists(item, "chunk_ms", per_second=1000)
    table = fit_chunk_table(frames, sizes, times, path=item.source.path, where=item.where)
    cut = item.optional("cut")
    return RecordedStream(frames, table.sizes, table.times, cut.string() if cut is not None else None)


# --- a small file's document, built without a Node per value ----------------------------------
#
# The walk above names the place of every type error, at the cost of a Node (and its path) per
# field: most of loading a test's cassette. A document as the harness writes it is built directly
# instead; at the first thing unusual (a wrong type, a missing key, a chunk table to refit) the
# builder gives up, having changed nothing, and the walk builds the cassette or names the problem.


class _Unusual(Exception):
    """Something only the walk may decide about."""


def _plain_cassette(document: Any) -> Cassette | None:
    """The cassette of a parsed document (not changed), or None when the walk must read it."""
    if type(document) is not dict or document.get(FORMAT_KEY) != FORMAT_VERSION:
        return None
    metadata = document.get("metadata")
    exchanges = document.get("exchanges")
    if (metadata is not None and type(metadata) is not dict) or type(exchanges) is not list:
        return None
    try:
        built = [_plain_exchange(item) for item in exchanges]
    except _Unusual:
        return None
    return Cassette(built, "harness", dict(metadata) if metadata is not None else {})


def _plain_exchange(item: Any) -> Exchange:
    request, response = _mapping(item, "request"), _mapping(item, "response")
    recorded_request = RecordedRequest(
        _string(request, "method"),
        _string(request, "url"),
        _plain_headers(request),
        _plain_body(request.get("body")),
    )
    status = response.get("status")
    if type(status) is not int or not 100 <= status <= 599:
        raise _Unusual
    reason = response.get("reason")
    recorded_response = RecordedResponse(
        status,
        "" if reason is None else _string(response, "reason"),
        _plain_headers(response),
        _plain_body(response.get("body")),
    )
    if "stream" in response:
        recorded_response.stream = _plain_stream(_mapping(response, "stream"))
    return Exchange(recorded_request, recorded_response)


def _plain_stream(stream: dict[str, Any]) -> RecordedStream:
    events = stream.get("events")
    if type(events) is not list:
        raise _Unusual
    frames = _frames(events, lambda _, frame: _plain_body(frame), release=False)
    lists = plain_chunk_lists(stream, "chunk_ms", per_second=1000)
    table = fitting_chunk_table(frames, *lists) if lists is not None else None
    cut = stream.get("cut")
    if table is None or (cut is not None and type(cut) is not str):
        raise _Unusual
    return RecordedStream(frames, table.sizes, table.times, cut)


def _mapping(item: Any, key: str) -> dict[str, Any]:
    value = item.get(key) if type(item) is dict else None
    if type(value) is not dict:
        raise _Unusual
    return value


def _string(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if type(value) is not str:
        raise _Unusual
    return value


def _plain_headers(item: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = item.get("headers")
    headers = [] if pairs is None else plain_header_pairs(pairs)
    if headers is None:
        raise _Unusual
    return headers


def _plain_body(value: Any) -> bytes:
    if value is None:
        return b""
    try:
        return body_from_json(value)
    except ValueError:
        raise _Unusual from None
