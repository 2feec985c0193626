"""The harness's own cassette format (version 1).

A JSON document laid out so a pull request diff reads well: each SSE event of
a streamed body sits on a line of its own, as the exact text the server sent;
the chunk table (sizes and arrival times in milliseconds) follows on two lines.
Loading is one ``json.loads``: fast, and it can never run code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from harness.cassette.bodies import body_from_json, body_to_json
from harness.cassette.formats.json_text import parse_json_text
from harness.cassette.model import (
    Cassette,
    Exchange,
    Headers,
    RecordedRequest,
    RecordedResponse,
    RecordedStream,
)
from harness.errors import CassetteError

FORMAT_KEY = "harness_cassette"
FORMAT_VERSION = 1

T = TypeVar("T")


def looks_native(text: str) -> bool:
    return text.lstrip()[:1] == "{" and f'"{FORMAT_KEY}"' in text[:200]


def dumps(cassette: Cassette) -> str:
    lines = ["{", f'"{FORMAT_KEY}": {FORMAT_VERSION},']
    if cassette.metadata:
        lines.append(f'"metadata": {_compact(cassette.metadata)},')
    lines.append('"exchanges": [')
    for number, exchange in enumerate(cassette.exchanges):
        lines.extend(_exchange_lines(exchange))
        if number < len(cassette.exchanges) - 1:
            lines[-1] += ","
    lines.append("]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _exchange_lines(exchange: Exchange) -> list[str]:
    request, response = exchange.request, exchange.response
    lines = [
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
    ]
    stream = response.stream
    if stream is None:
        lines.append(f'  "body": {_compact(body_to_json(response.body))}')
    else:
        lines.append('  "stream": {')
        lines.append(f'    "cut": {_compact(stream.cut)},')
        lines.append(f'    "chunk_sizes": {_compact(stream.chunk_sizes)},')
        lines.append(f'    "chunk_ms": {_compact([round(t * 1000, 3) for t in stream.chunk_times])},')
        lines.append('    "events": [')
        frames = [_compact(body_to_json(frame)) for frame in stream.frames]
        lines.append(",\n".join(frames))
        lines.append("    ]")
        lines.append("  }")
    lines.append("}")
    lines.append("}")
    return lines


def loads(text: str, path: str | Path | None = None) -> Cassette:
    return _Reader(path).cassette(parse_json_text(text, path))


def load_path(path: Path) -> Cassette:
    """Read and parse ``path`` holding as little at once as possible: the file's text is
    dropped as soon as it is parsed, before the frames are built (long streams are big)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CassetteError(
            path, f"not valid UTF-8 ({error.reason})", location=f"byte {error.start}"
        ) from None
    document = parse_json_text(text, path)
    del text
    return _Reader(path).cassette(document)


class _Reader:
    """Validates a parsed document, naming the place of the first problem found."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> CassetteError:
        return CassetteError(self.path, message, location=where or None)

    def typed(self, value: Any, kind: type[T] | tuple[type, ...], where: str, what: str) -> T:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(where, f"expected {what}, got {type(value).__name__}")
        return value  # type: ignore[return-value]

    def field(self, mapping: dict[str, Any], key: str, where: str) -> Any:
        if key not in mapping:
            raise self.fail(where, f"missing key {key!r}")
        return mapping[key]

    def cassette(self, document: Any) -> Cassette:
        document = self.typed(document, dict, "", "a JSON object")
        version = document.get(FORMAT_KEY)
        if version != FORMAT_VERSION:
            raise self.fail(
                FORMAT_KEY,
                f"unsupported cassette version {version!r} (this harness reads version {FORMAT_VERSION})",
            )
        metadata = self.typed(document.get("metadata", {}), dict, "metadata", "an object")
        exchanges = self.typed(self.field(document, "exchanges", ""), list, "exchanges", "a list")
        return Cassette(
            [self.exchange(item, f"exchanges[{n}]") for n, item in enumerate(exchanges)], "harness", metadata
        )

    def exchange(self, item: Any, where: str) -> Exchange:
        item = self.typed(item, dict, where, "an object")
        return Exchange(
            self.request(self.field(item, "request", where), f"{where}.request"),
            self.response(self.field(item, "response", where), f"{where}.response"),
        )

    def request(self, item: Any, where: str) -> RecordedRequest:
        item = self.typed(item, dict, where, "an object")
        return RecordedRequest(
            self.typed(self.field(item, "method", where), str, f"{where}.method", "a string"),
            self.typed(self.field(item, "url", where), str, f"{where}.url", "a string"),
            self.headers(item.get("headers", []), f"{where}.headers"),
            self.body(item.get("body", ""), f"{where}.body"),
        )

    def response(self, item: Any, where: str) -> RecordedResponse:
        item = self.typed(item, dict, where, "an object")
        status = self.typed(self.field(item, "status", where), int, f"{where}.status", "an integer")
        if not 100 <= status <= 599:
            raise self.fail(f"{where}.status", f"HTTP status {status} is out of range")
        response = RecordedResponse(
            status,
            self.typed(item.get("reason", ""), str, f"{where}.reason", "a string"),
            self.headers(item.get("headers", []), f"{where}.headers"),
            self.body(item.get("body", ""), f"{where}.body"),
        )
        if "stream" in item:
            response.stream = self.stream(item["stream"], f"{where}.stream")
        return response

    def stream(self, item: Any, where: str) -> RecordedStream:
        item = self.typed(item, dict, where, "an object")
        events = self.typed(self.field(item, "events", where), list, f"{where}.events", "a list")
        try:  # the common case, every frame UTF-8 text, without a per-frame call
            frames = [frame.encode("utf-8") for frame in events]
        except (AttributeError, UnicodeEncodeError):
            frames = [self.body(frame, f"{where}.events[{n}]") for n, frame in enumerate(events)]
        sizes = self.numbers(item.get("chunk_sizes", []), f"{where}.chunk_sizes", int)
        times = self.numbers(item.get("chunk_ms", []), f"{where}.chunk_ms", (int, float))
        if len(sizes) != len(times):
            raise self.fail(
                where, f"chunk table mismatch: {len(sizes)} chunk_sizes but {len(times)} chunk_ms"
            )
        total = sum(len(frame) for frame in frames)
        if sum(sizes) != total:
            raise self.fail(
                f"{where}.chunk_sizes",
                f"the chunks add up to {sum(sizes)} bytes but the events hold {total} bytes",
            )
        cut = item.get("cut")
        if cut is not None:
            cut = self.typed(cut, str, f"{where}.cut", "a string or null")
        return RecordedStream(frames, sizes, [t / 1000 for t in times], cut)

    def numbers(self, value: Any, where: str, kind: type | tuple[type, ...]) -> list[Any]:
        numbers: list[Any] = self.typed(value, list, where, "a list")
        for n, number in enumerate(numbers):
            if (
                isinstance(number, bool)
                or not isinstance(number, (int, float))
                or not isinstance(number, kind)
                or number < 0
            ):
                raise self.fail(f"{where}[{n}]", f"expected a non-negative number, got {number!r}")
        return numbers

    def headers(self, value: Any, where: str) -> Headers:
        value = self.typed(value, list, where, "a list of [name, value] pairs")
        headers: Headers = []
        for n, pair in enumerate(value):
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
                raise self.fail(f"{where}[{n}]", "expected a [name, value] pair of strings")
            headers.append((pair[0], pair[1]))
        return headers

    def body(self, value: Any, where: str) -> bytes:
        return _checked(lambda: body_from_json(value), self.fail, where)


def _checked(make: Callable[[], bytes], fail: Callable[[str, str], CassetteError], where: str) -> bytes:
    try:
        return make()
    except ValueError as error:
        raise fail(where, str(error)) from None
