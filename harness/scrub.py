"""Keeping secrets off disk: header, pattern and JSON-path scrubbing of exchanges.

Scrubbing runs on every exchange before a cassette is written; afterwards
:func:`find_secrets` looks once more, and a cassette that still holds a
key-shaped string is refused (see ``harness.cassette.save``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from harness.cassette.model import Exchange, Headers, RecordedRequest, RecordedResponse, RecordedStream
from harness.scrub_fragments import mask_split_secrets
from harness.sse.framing import split_frames

REDACTED = "REDACTED"
KEY_PLACEHOLDER = "sk-REDACTED"

SECRET_HEADERS = frozenset(
    {
        "authorization",
        "api-key",
        "x-api-key",
        "openai-organization",
        "openai-project",
        "cookie",
        "set-cookie",
        "proxy-authorization",
    }
)
SECRET_QUERY_PARAMS = frozenset({"api-key", "api_key", "key", "access_token", "token"})

# Key-shaped: OpenAI secret keys (sk-..., sk-proj-...), session keys and bearer tokens.
KEY_PATTERN = re.compile(r"\b(?:sk|sess)-[A-Za-z0-9_\-]{16,}")
BEARER_PATTERN = re.compile(r"\bBearer\s+(?!REDACTED\b)[A-Za-z0-9._~+/\-]{12,}=*")

ExchangeHook = Callable[[Exchange], "Exchange | None"]


@dataclass
class ScrubRules:
    """What to remove before writing. The defaults cover what MISSION.md calls secret.

    ``headers``: extra header names to redact; ``patterns``: extra regexes
    whose matches are replaced in URLs, bodies and stream data; ``json_paths``:
    dotted paths (``metadata.user_email``, ``*`` for any key or list item) whose
    values are redacted in JSON bodies and in stream event data; ``hooks``:
    callables run last on each exchange, returning it (changed or not) or
    ``None`` to drop the exchange.
    """

    headers: Sequence[str] = ()
    patterns: Sequence[str | re.Pattern[str]] = ()
    json_paths: Sequence[str] = ()
    hooks: Sequence[ExchangeHook] = ()
    redact_default_headers: bool = True
    _compiled: list[re.Pattern[str]] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self._compiled = [KEY_PATTERN, BEARER_PATTERN] + [re.compile(p) for p in self.patterns]

    @property
    def compiled(self) -> list[re.Pattern[str]]:
        return list(self._compiled)

    def header_names(self) -> frozenset[str]:
        extra = {name.lower() for name in self.headers}
        return (SECRET_HEADERS | extra) if self.redact_default_headers else frozenset(extra)

    def scrub_url(self, url: str) -> str:
        return _scrub_url(url, self)

    def scrub_text(self, text: str, *, mask: bool = False) -> str:
        """Replace secrets by placeholders, or with ``mask`` by as many ``*``: stream events use
        masks so that deltas and the snapshots that repeat them stay equal after scrubbing."""
        for pattern in self._compiled:
            if mask:
                text = pattern.sub(_stars, text)
            elif pattern is KEY_PATTERN:
                text = pattern.sub(KEY_PLACEHOLDER, text)
            elif pattern is BEARER_PATTERN:
                text = pattern.sub("Bearer " + REDACTED, text)
            else:
                text = pattern.sub(REDACTED, text)
        return text


def _stars(match: re.Match[str]) -> str:
    return "*" * len(match.group(0))


def scrub_request(request: RecordedRequest, rules: ScrubRules) -> RecordedRequest:
    """A scrubbed copy of ``request`` (the one being sent is left alone)."""
    return RecordedRequest(
        request.method,
        _scrub_url(request.url, rules),
        _scrub_headers(request.headers, rules),
        _scrub_body(request.body, rules),
    )


def scrub_response(response: RecordedResponse, rules: ScrubRules) -> None:
    """Scrub ``response`` in place (a stream being recorded is scrubbed once it is complete)."""
    response.headers = _scrub_headers(response.headers, rules)
    response.body = _scrub_body(response.body, rules)
    if response.stream is not None:
        response.stream = scrub_stream(response.stream, rules)


def scrub_exchange(exchange: Exchange, rules: ScrubRules) -> Exchange | None:
    """The default and configured rules, then the user's hooks (which may drop the exchange)."""
    exchange.request = scrub_request(exchange.request, rules)
    scrub_response(exchange.response, rules)
    result: Exchange | None = exchange
    for hook in rules.hooks:
        if result is None:
            break
        result = hook(result)
    return result


def scrub_exchanges(exchanges: Iterable[Exchange], rules: ScrubRules) -> list[Exchange]:
    scrubbed = (scrub_exchange(exchange, rules) for exchange in exchanges)
    return [exchange for exchange in scrubbed if exchange is not None]


def _scrub_headers(headers: Headers, rules: ScrubRules) -> Headers:
    secret = rules.header_names()
    return [
        (name, REDACTED if name.lower() in secret else rules.scrub_text(value)) for name, value in headers
    ]


def _scrub_url(url: str, rules: ScrubRules) -> str:
    parts = urlsplit(url)
    if parts.query:
        query = [
            (key, REDACTED if key.lower() in SECRET_QUERY_PARAMS else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
        url = urlunsplit(parts._replace(query=urlencode(query, safe="/:")))
    return rules.scrub_text(url)


def _scrub_body(body: bytes, rules: ScrubRules) -> bytes:
    if not body:
        return body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    if rules.json_paths:
        text = _redact_json_paths(text, rules.json_paths)
    return rules.scrub_text(text).encode("utf-8")


def _redact_json_paths(text: str, paths: Sequence[str]) -> str:
    try:
        document = json.loads(text)
    except ValueError:
        return text
    changed = False
    for path in paths:
        changed |= _redact_path(document, path.split("."))
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) if changed else text


def _redact_path(node: Any, keys: list[str]) -> bool:
    if not keys:
        return False
    head, rest = keys[0], keys[1:]
    if isinstance(node, dict):
        targets = list(node) if head == "*" else [head] if head in node else []
    elif isinstance(node, list) and (head == "*" or head.isdigit()):
        targets = list(range(len(node))) if head == "*" else [int(head)] if int(head) < len(node) else []
    else:
        return False
    changed = False
    for key in targets:
        if rest:
            changed |= _redact_path(node[key], rest)
        elif node[key] != REDACTED:
            node[key] = REDACTED
            changed = True
    return changed


def scrub_stream(stream: RecordedStream, rules: ScrubRules) -> RecordedStream:
    new_frames = mask_split_secrets([_scrub_frame(frame, rules) for frame in stream.frames], rules.compiled)
    if new_frames == stream.frames:
        return stream
    body = b"".join(new_frames)
    frames = split_frames(body)
    return RecordedStream(frames, _remap_chunks(stream, new_frames), list(stream.chunk_times), stream.cut)


def _scrub_frame(frame: bytes, rules: ScrubRules) -> bytes:
    try:
        text = frame.decode("utf-8")
    except UnicodeDecodeError:
        return frame
    if not rules.json_paths:
        return rules.scrub_text(text, mask=True).encode("utf-8")
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if line.startswith("data:"):
            value = line[5:].lstrip(" ")
            redacted = _redact_json_paths(value, rules.json_paths)
            if redacted != value:
                lines[number] = "data: " + redacted
    return rules.scrub_text("\n".join(lines), mask=True).encode("utf-8")


def _remap_chunks(stream: RecordedStream, new_frames: list[bytes]) -> list[int]:
    """Move each chunk boundary to the same place in the edited frames."""
    old_starts, new_starts = [0], [0]
    for old, new in zip(stream.frames, new_frames, strict=True):
        old_starts.append(old_starts[-1] + len(old))
        new_starts.append(new_starts[-1] + len(new))
    sizes: list[int] = []
    frame, previous_end, position = 0, 0, 0
    for size in stream.chunk_sizes:
        position += size
        while frame + 1 < len(old_starts) - 1 and old_starts[frame + 1] <= position:
            frame += 1
        if position >= old_starts[-1]:
            new_end = new_starts[-1]
        else:
            offset = position - old_starts[frame]
            new_end = new_starts[frame] + min(offset, new_starts[frame + 1] - new_starts[frame])
        sizes.append(max(new_end - previous_end, 0))
        previous_end = new_end
    if sizes:
        sizes[-1] += new_starts[-1] - sum(sizes)
    return sizes


@dataclass(frozen=True)
class SecretFinding:
    exchange: int
    where: str
    sample: str

    def __str__(self) -> str:
        return f"exchange {self.exchange} {self.where}: {self.sample}"


def find_secrets(exchanges: Sequence[Exchange], rules: ScrubRules | None = None) -> list[SecretFinding]:
    """Key-shaped strings and unredacted secret headers that scrubbing left behind."""
    rules = rules or ScrubRules()
    secret_headers = SECRET_HEADERS | rules.header_names()
    findings: list[SecretFinding] = []

    def scan(number: int, where: str, text: str) -> None:
        findings.extend(SecretFinding(number, where, sample) for _, sample in key_shaped_strings(text))

    for number, exchange in enumerate(exchanges):
        request, response = exchange.request, exchange.response
        scan(number, "request url", request.url)
        for side, headers in (("request", request.headers), ("response", response.headers)):
            for name, value in headers:
                if name.lower() in secret_headers and value != REDACTED:
                    findings.append(SecretFinding(number, f"{side} header {name}", _mask(value)))
                else:
                    scan(number, f"{side} header {name}", value)
        scan(number, "request body", request.body.decode("utf-8", "replace"))
        scan(number, "response body", response.body.decode("utf-8", "replace"))
        if response.stream is not None:
            for index, frame in enumerate(response.stream.frames):
                scan(number, f"stream event {index}", frame.decode("utf-8", "replace"))
    return findings


def key_shaped_strings(text: str) -> list[tuple[int, str]]:
    """``(offset, masked sample)`` of every key-shaped string and bearer token in ``text``, in order."""
    found = [
        (match.start(), _mask(match.group(0)))
        for pattern in (KEY_PATTERN, BEARER_PATTERN)
        for match in pattern.finditer(text)
    ]
    return sorted(found)


def _mask(secret: str) -> str:
    return secret[:6] + "..." if len(secret) > 6 else "..."
