"""Keeping secrets off disk: removing what :mod:`harness.cassette.secrets` detects from exchanges.

Scrubbing runs on every exchange before a cassette is written; afterwards
:func:`find_secrets` looks once more, and a cassette that still holds a secret
is refused (see ``harness.cassette.save``). Values learnt while recording
(:func:`learn_secrets`: the key sent, the URL's password, the SDK's
environment variables) are removed wherever else they appear.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from harness.cassette.frames import Frames, frame_ends, offsets
from harness.cassette.model import (
    Cassette,
    Exchange,
    Headers,
    RecordedRequest,
    RecordedResponse,
    RecordedStream,
)
from harness.cassette.secrets import (
    BEARER_PATTERN,
    KEY_PATTERN,
    REDACTED,
    SECRET_ENVIRONMENT,
    SECRET_HEADERS,
    SECRET_QUERY_PARAMS,
    KnownSecrets,
    SecretFinding,
    Span,
    cassette_secrets,
    find_secrets,
    has_key_shape,
    is_credential,
    is_secret_name,
    json_strings,
    merge_spans,
    parse_json,
    redact,
    secret_spans,
    string_secret_spans,
)
from harness.scrub_fragments import (
    Frame,
    Piece,
    apply_masks,
    rewrite_frame,
    split_secret_masks,
    streamed_strings,
)
from harness.sse.framing import split_frame_ends

__all__ = [
    "BEARER_PATTERN",
    "KEY_PATTERN",
    "REDACTED",
    "SECRET_HEADERS",
    "SECRET_QUERY_PARAMS",
    "KnownSecrets",
    "ScrubRules",
    "Scrubber",
    "SecretFinding",
    "cassette_secrets",
    "find_secrets",
    "learn_secrets",
    "scrub_cassette",
    "scrub_exchange",
    "scrub_exchanges",
    "scrub_message",
    "scrub_request",
    "scrub_response",
    "scrub_stream",
    "scrubbed_cassette",
]

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
        self._compiled = [re.compile(p) for p in self.patterns]

    @property
    def compiled(self) -> list[re.Pattern[str]]:
        """The user's extra patterns (the built-in ones live in :mod:`harness.cassette.secrets`)."""
        return list(self._compiled)

    def header_names(self) -> frozenset[str]:
        extra = {name.lower() for name in self.headers}
        return (SECRET_HEADERS | extra) if self.redact_default_headers else frozenset(extra)

    def scrub_url(self, url: str, known: KnownSecrets | None = None) -> str:
        return _scrub_url(url, self, known)

    def scrub_text(self, text: str, *, mask: bool = False, known: KnownSecrets | None = None) -> str:
        """Replace secrets by placeholders, or with ``mask`` by as many ``*``: stream events use
        masks so that deltas and the snapshots that repeat them stay equal after scrubbing."""
        spans = self.spans(text, known)
        return redact(text, spans, mask=mask) if spans else text

    def spans(self, text: str, known: KnownSecrets | None = None) -> list[Span]:
        spans = secret_spans(text, known)
        if self._compiled:
            extra = [Span(*m.span(), REDACTED) for pattern in self._compiled for m in pattern.finditer(text)]
            spans = merge_spans([*spans, *extra])
        return spans


class Scrubber:
    """Scrubbing for one recording session: the rules, plus the secret values learnt from what the
    session sent (and from the environment), removed wherever else they show up."""

    def __init__(self, rules: ScrubRules | None = None, environment: Mapping[str, str] | None = None) -> None:
        self.rules = rules or ScrubRules()
        self.known = known_from_environment(environment)
        # A client sends the same headers on every request: each is learnt from once, and scrubbed
        # once for as long as no new secret is learnt (the secrets known only grow).
        self._learnt_headers: set[tuple[str, str]] = set()
        self._scrubbed_headers: dict[tuple[str, str], tuple[str, str]] = {}
        self._scrubbed_with = len(self.known)

    def request(self, request: RecordedRequest, *, with_headers: bool = True) -> RecordedRequest:
        """Learn the secrets ``request`` carries, then a scrubbed copy of it (for matching, messages
        and the cassette; the request sent is left alone). ``with_headers=False``: the headers are
        learnt from but left out of the copy (for matching by parts that are not headers)."""
        unseen = [pair for pair in request.headers if pair not in self._learnt_headers]
        learn_header_secrets(unseen, self.rules, self.known)
        self._learnt_headers.update(unseen)
        body = _Body(request.body)  # decoded and parsed once, to learn from and then to scrub
        _learn_url_and_body(request.url, body, self.rules, self.known)
        if self._scrubbed_with != len(self.known):
            self._scrubbed_headers.clear()
            self._scrubbed_with = len(self.known)
        if not with_headers:
            return RecordedRequest(
                request.method,
                _scrub_url(request.url, self.rules, self.known),
                [],
                _scrub_body(request.body, self.rules, self.known, body),
            )
        return _scrubbed_request(request, self.rules, self.known, self._scrubbed_headers, body)

    def response(self, response: RecordedResponse) -> None:
        learn_header_secrets(response.headers, self.rules, self.known)
        scrub_response(response, self.rules, self.known)

    def stream(self, stream: RecordedStream) -> RecordedStream:
        return scrub_stream(stream, self.rules, self.known)

    def exchanges(self, exchanges: Iterable[Exchange]) -> list[Exchange]:
        return scrub_exchanges(exchanges, self.rules, self.known)

    def text(self, text: str) -> str:
        """A log line or message with every secret replaced (URLs' passwords and queries too)."""
        return scrub_message(text, self.rules, self.known)

    def leftovers(self, cassette: Cassette) -> list[SecretFinding]:
        return cassette_secrets(cassette, self.rules.header_names(), known=self.known)


_BATCH = 4096  # events joined at once when a scrubbed body is put together
_URL_IN_TEXT = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s\"'<>]+")


def _scrub_urls_in(text: str, rules: ScrubRules, known: KnownSecrets | None) -> str:
    if "://" not in text:  # every URL holds it; the pattern's scan costs far more on a long text
        return text
    return _URL_IN_TEXT.sub(lambda match: _scrub_url(match.group(0), rules, known), text)


def scrub_message(text: str, rules: ScrubRules | None = None, known: KnownSecrets | None = None) -> str:
    """Any text the harness prints or logs, with secrets and the passwords and secret queries of the
    URLs in it replaced."""
    rules = rules or ScrubRules()
    return rules.scrub_text(_scrub_urls_in(text, rules, known), known=known)


def known_from_environment(environment: Mapping[str, str] | None = None) -> KnownSecrets:
    """The credentials the SDKs would read from the environment (``OPENAI_API_KEY``...)."""
    environment = os.environ if environment is None else environment
    return KnownSecrets(environment[name] for name in SECRET_ENVIRONMENT if environment.get(name))


def learn_secrets(
    request: RecordedRequest, rules: ScrubRules, known: KnownSecrets, *, headers: bool = True
) -> None:
    """Remember the secret values ``request`` carries (headers unless told not to, URL password,
    query, body fields)."""
    if headers:
        learn_header_secrets(request.headers, rules, known)
    _learn_url_and_body(request.url, _Body(request.body), rules, known)


class _Body:
    """A request body decoded and parsed once, for learning the secrets it carries and then
    scrubbing it: its UTF-8 text (None when it is not UTF-8), its JSON document (read from the
    text with undecodable bytes replaced, for learning only, when it is not UTF-8) and the
    document's strings as they were before anything was scrubbed."""

    __slots__ = ("document", "strings", "text")

    def __init__(self, body: bytes) -> None:
        try:
            self.text: str | None = body.decode("utf-8")
        except UnicodeDecodeError:
            self.text = None
        readable = self.text if self.text is not None else body.decode("utf-8", "replace")
        self.document: Any = parse_json(readable) if body else None
        self.strings = list(json_strings(self.document)) if self.document is not None else []


def _learn_url_and_body(url: str, body: _Body, rules: ScrubRules, known: KnownSecrets) -> None:
    parts = urlsplit(url)
    if parts.password:
        known.add_credentials(parts.username or "", parts.password)
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if _secret_query(name, value):
            known.add(value)
    if body.document is not None:
        for path in rules.json_paths:
            for value in _path_values(body.document, path.split(".")):
                known.add(value)
        for _, _, name, value in body.strings:
            if is_secret_name(name) and is_credential(value):
                known.add(value)


def learn_header_secrets(headers: Headers, rules: ScrubRules, known: KnownSecrets) -> None:
    secret = rules.header_names() | SECRET_HEADERS
    for name, value in headers:
        lowered = name.lower()
        if lowered in ("authorization", "proxy-authorization"):
            known.add_authorization(value)
        elif lowered in ("cookie", "set-cookie"):
            known.add_cookies(value.split(";", 1)[0] if lowered == "set-cookie" else value)
        elif lowered in secret or (is_secret_name(name) and is_credential(value)):
            known.add(value)


def scrub_request(
    request: RecordedRequest,
    rules: ScrubRules,
    known: KnownSecrets | None = None,
    *,
    header_cache: dict[tuple[str, str], tuple[str, str]] | None = None,
) -> RecordedRequest:
    """A scrubbed copy of ``request`` (the one being sent is left alone). ``header_cache`` keeps
    each header's scrubbed form for the next request scrubbed with the same rules and secrets."""
    return _scrubbed_request(request, rules, known, header_cache, None)


def _scrubbed_request(
    request: RecordedRequest,
    rules: ScrubRules,
    known: KnownSecrets | None,
    header_cache: dict[tuple[str, str], tuple[str, str]] | None,
    body: _Body | None,
) -> RecordedRequest:
    return RecordedRequest(
        request.method,
        _scrub_url(request.url, rules, known),
        _scrub_headers(request.headers, rules, known, header_cache),
        _scrub_body(request.body, rules, known, body),
    )


def scrub_response(response: RecordedResponse, rules: ScrubRules, known: KnownSecrets | None = None) -> None:
    """Scrub ``response`` in place (a stream being recorded is scrubbed once it is complete)."""
    response.headers = _scrub_headers(response.headers, rules, known)
    response.body = _scrub_body(response.body, rules, known)
    if response.stream is not None:
        response.stream = scrub_stream(response.stream, rules, known)


def scrub_exchange(
    exchange: Exchange, rules: ScrubRules, known: KnownSecrets | None = None
) -> Exchange | None:
    """The default and configured rules, then the user's hooks (which may drop the exchange)."""
    exchange.request = scrub_request(exchange.request, rules, known)
    scrub_response(exchange.response, rules, known)
    result: Exchange | None = exchange
    for hook in rules.hooks:
        if result is None:
            break
        result = hook(result)
    return result


def scrub_exchanges(
    exchanges: Iterable[Exchange], rules: ScrubRules, known: KnownSecrets | None = None
) -> list[Exchange]:
    scrubbed = (scrub_exchange(exchange, rules, known) for exchange in exchanges)
    return [exchange for exchange in scrubbed if exchange is not None]


def scrubbed_cassette(
    cassette: Cassette, rules: ScrubRules | None = None, known: KnownSecrets | None = None
) -> Cassette:
    """A scrubbed copy of ``cassette`` (exchanges and metadata); the original is left alone."""
    copied = Cassette(
        copy.deepcopy(cassette.exchanges), cassette.source_format, copy.deepcopy(cassette.metadata)
    )
    scrub_cassette(copied, rules, known)
    return copied


def scrub_cassette(
    cassette: Cassette, rules: ScrubRules | None = None, known: KnownSecrets | None = None
) -> None:
    """Scrub ``cassette`` itself (exchanges, then metadata), for a caller that needs the original no
    more: no copy of it is made (a copy of a file of many exchanges is several times the file)."""
    rules = rules or ScrubRules()
    cassette.exchanges = scrub_exchanges(cassette.exchanges, rules, known)
    scrub_metadata(cassette.metadata, rules, known)


def scrub_metadata(metadata: dict[str, Any], rules: ScrubRules, known: KnownSecrets | None = None) -> bool:
    """Scrub a cassette's metadata in place; whether anything changed."""
    return _scrub_document(metadata, rules, known, mask=False)


def _scrub_headers(
    headers: Headers,
    rules: ScrubRules,
    known: KnownSecrets | None,
    cache: dict[tuple[str, str], tuple[str, str]] | None = None,
) -> Headers:
    cache = {} if cache is None else cache
    secret = rules.header_names()
    scrubbed: Headers = []
    for pair in headers:
        done = cache.get(pair)
        if done is None:
            name, value = pair
            if name.lower() in secret or (is_secret_name(name) and is_credential(value)):
                done = cache[pair] = (name, REDACTED)
            else:
                done = cache[pair] = (name, rules.scrub_text(value, known=known))
        scrubbed.append(done)
    return scrubbed


def _secret_query(name: str, value: str) -> bool:
    return (
        name.lower() in SECRET_QUERY_PARAMS
        or (is_secret_name(name) and is_credential(value))
        or (has_key_shape(value))
    )


def _scrub_url(url: str, rules: ScrubRules, known: KnownSecrets | None) -> str:
    parts = urlsplit(url)
    if parts.password is not None or parts.username:
        parts = parts._replace(netloc=f"{REDACTED}@" + parts.netloc.rpartition("@")[2])
    if parts.query:
        query = [
            (key, REDACTED if _secret_query(key, value) else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
        parts = parts._replace(query=urlencode(query, safe="/:"))
    return rules.scrub_text(urlunsplit(parts), known=known)


def _scrub_body(
    body: bytes, rules: ScrubRules, known: KnownSecrets | None, parsed: _Body | None = None
) -> bytes:
    """``body`` scrubbed; ``parsed`` is its :class:`_Body` when it was already read (and not changed)."""
    if not body:
        return body
    parsed = _Body(body) if parsed is None else parsed
    if parsed.text is None:
        return body
    text = parsed.text
    if parsed.document is not None and _scrub_document(
        parsed.document, rules, known, mask=False, strings=parsed.strings
    ):
        text = json.dumps(parsed.document, ensure_ascii=False, separators=(",", ":"))
    return rules.scrub_text(text, known=known).encode("utf-8")


def _scrub_document(
    document: Any,
    rules: ScrubRules,
    known: KnownSecrets | None,
    *,
    mask: bool,
    strings: list[tuple[Any, Any, str, str]] | None = None,
) -> bool:
    """Scrub every string of a JSON tree in place (named paths, secret-named fields, secrets in text).
    ``strings``: the tree's :func:`json_strings`, when they were listed already."""
    changed = False
    for path in rules.json_paths:
        changed |= _redact_path(document, path.split("."))
    if strings is None or changed:  # a redacted path leaves the listed values stale
        strings = list(json_strings(document))
    extra = rules.compiled
    for container, key, name, value in strings:
        spans = string_secret_spans(name, value, known)
        if extra:
            spans = merge_spans([*spans, *rules.spans(value)])
        if spans:
            container[key] = redact(value, spans, mask=mask)
            changed = True
    return changed


def _path_values(node: Any, keys: list[str]) -> list[str]:
    if not keys:
        return [node] if isinstance(node, str) else []
    head, rest = keys[0], keys[1:]
    if isinstance(node, dict):
        children = list(node.values()) if head == "*" else [node[head]] if head in node else []
    elif isinstance(node, list):
        children = (
            node if head == "*" else [node[int(head)]] if head.isdigit() and int(head) < len(node) else []
        )
    else:
        return []
    return [value for child in children for value in _path_values(child, rest)]


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


def scrub_stream(
    stream: RecordedStream, rules: ScrubRules, known: KnownSecrets | None = None
) -> RecordedStream:
    """Mask secrets in the events: first in the streamed strings joined across deltas, then in each
    event's decoded JSON strings, then in its raw text. Masks keep lengths (in decoded text), so the
    deltas still add up to the snapshots that repeat them.

    One event is decoded at a time (a long stream's decoded events are never all held): each is
    scrubbed as if no joined string masks it, its streamed pieces kept; the few events a joined
    secret reaches are then decoded again and scrubbed with their masks. Only changed events are
    kept beside the stream."""
    frames = stream.frames
    strings: dict[tuple[Any, ...], list[Piece]] = {}
    edited: dict[int, bytes] = {}
    for number, raw in enumerate(frames):
        frame = Frame(raw)
        if frame.payload is not None:
            for path, key, value in streamed_strings(frame.name, frame.payload):
                strings.setdefault(key, []).append((number, path, value))
        scrubbed = _scrub_event(raw, frame, rules, known, masked=False)
        if scrubbed != raw:
            edited[number] = scrubbed
    split = [pieces for pieces in strings.values() if len(pieces) > 1]
    del strings
    for number, masks in split_secret_masks(split, known).items():
        raw = frames[number]
        frame = Frame(raw)
        apply_masks(frame.payload, masks)
        edited[number] = _scrub_event(raw, frame, rules, known, masked=True)
    if not edited:
        return stream
    old_ends = frame_ends(frames)
    new_ends = offsets(_edited_ends(old_ends, edited))
    body = _edited_body(frames, edited)
    return RecordedStream(
        Frames(body, offsets(split_frame_ends(body))),
        _remap_chunks(stream.chunk_sizes, old_ends, new_ends),
        list(stream.chunk_times),
        stream.cut,
    )


def _scrub_event(
    raw: bytes, frame: Frame, rules: ScrubRules, known: KnownSecrets | None, *, masked: bool
) -> bytes:
    changed = masked
    if frame.payload is not None and _scrub_document(frame.payload, rules, known, mask=True):
        changed = True
    return _scrub_frame_text(rewrite_frame(raw, frame.payload) if changed else raw, rules, known)


def _edited_ends(old_ends: Sequence[int], edited: dict[int, bytes]) -> Iterator[int]:
    shift = 0
    for number, end in enumerate(old_ends):
        if number in edited:
            start = old_ends[number - 1] if number else 0
            shift += len(edited[number]) - (end - start)
        yield end + shift


def _edited_body(frames: Sequence[bytes], edited: dict[int, bytes]) -> bytes:
    """The body with the edited events in place, joined in batches (no list of every event)."""
    pieces: list[bytes] = []
    for start in range(0, len(frames), _BATCH):
        batch = frames[start : start + _BATCH]
        pieces.append(b"".join(edited.get(start + n, raw) for n, raw in enumerate(batch)))
    return b"".join(pieces)


def _scrub_frame_text(frame: bytes, rules: ScrubRules, known: KnownSecrets | None) -> bytes:
    try:
        text = frame.decode("utf-8")
    except UnicodeDecodeError:
        return frame
    scrubbed = rules.scrub_text(text, mask=True, known=known)
    return frame if scrubbed == text else scrubbed.encode("utf-8")


def _remap_chunks(chunk_sizes: list[int], old_ends: Sequence[int], new_ends: Sequence[int]) -> list[int]:
    """Move each chunk boundary to the same place in the edited frames."""
    old_starts, new_starts = offsets([0]), offsets([0])
    old_starts.extend(old_ends)
    new_starts.extend(new_ends)
    sizes: list[int] = []
    frame, previous_end, position = 0, 0, 0
    for size in chunk_sizes:
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
