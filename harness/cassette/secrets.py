"""What counts as a secret, and finding any left in a cassette.

One home for the detection rules, used by the scrubber (``harness.scrub``),
which removes what they find, and by the writers, which refuse a cassette
where they still find something:

* by shape: OpenAI keys (``sk-...``, ``sess-...``) wherever they start (after an
  escaped newline, a quote, ``_`` or a digit too), bearer tokens, JWTs, and a
  value right after a secret's name in text (``api-key: ...``, ``Authorization:
  Basic ...``);
* by name: secret headers, and header / query / JSON field names that say
  "key", "token", "secret", "password", "signature"... holding a
  credential-shaped value (an Azure 32-hex ``api-key`` for instance), and a
  query value with a key's shape whatever its name;
* by value (:class:`KnownSecrets`): what the harness learnt while recording
  (the key it sent, the URL's password...), raw, JSON-escaped, URL-encoded or
  base64 of ``user:password``;
* in streams: also on the streamed strings joined across deltas
  (:mod:`harness.scrub_fragments`), so a key cut in pieces is found.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, quote, quote_plus, unquote, urlsplit

from harness.cassette.model import Cassette, Exchange

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
#: Environment variables the OpenAI SDKs read credentials from; their values are scrubbed by value.
SECRET_ENVIRONMENT = (
    "OPENAI_API_KEY",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "OPENAI_ADMIN_KEY",
    "OPENAI_WEBHOOK_SECRET",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_AD_TOKEN",
)

# Not after a letter (so `task-...` is no key) but after anything else, an escaped newline included.
_START = r"(?:(?<![A-Za-z])|(?<=\\[nrtbf]))"
KEY_PATTERN = re.compile(_START + r"(?:sk|sess)-[A-Za-z0-9_\-]{16,}")
BEARER_PATTERN = re.compile(r"\bBearer\s+(?!REDACTED\b)(?P<secret>[A-Za-z0-9._~+/\-]{12,}=*)")
JWT_PATTERN = re.compile(r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*")
_SECRET_WORDS = (
    r"(?:proxy-)?authorization|x-api-key|api[-_ ]?key|apikey|(?:ocp-apim-)?subscription[-_]key"
    r"|(?:x-)?auth[-_]token|access[-_]token|refresh[-_]token|password|passwd|client[-_]secret"
    r"|(?:set-)?cookie|openai-organization|openai-project"
)
#: A part of every word of _SECRET_WORDS (without an "i", which case-folds in more than one way).
_NAMED_WORD_PARTS = ("auth", "key", "token", "passw", "secret", "cook", "open")
#: A value right after a secret's name in free text: an echoed header, ``api_key="..."``.
NAMED_PATTERN = re.compile(
    r"(?i)(?<![A-Za-z0-9])(?:" + _SECRET_WORDS + r")\\?[\"']?\s*[:=]\s*\\?[\"']?(?:(?:basic|bearer)\s+)?"
    r"(?P<secret>(?!REDACTED\b)[A-Za-z0-9._~+/=%\-]{8,})"
)
_NAME_WORDS = frozenset(
    {
        "key",
        "apikey",
        "token",
        "secret",
        "password",
        "passwd",
        "pwd",
        "sig",
        "signature",
        "credential",
        "credentials",
        "cookie",
        "authorization",
    }
)
_HEX_KEY = re.compile(r"[0-9a-fA-F]{32,}")
_CREDENTIAL = re.compile(r"[A-Za-z0-9._~+/=:%\-]{8,}")
_ID_LIKE = re.compile(r"[a-z]+_[A-Za-z0-9]+")  # run_..., msg_..., call_...: ids, not keys


class Span(NamedTuple):
    start: int
    end: int
    placeholder: str


@functools.lru_cache(maxsize=4096)  # a session asks about the same few header and field names again and again
def is_secret_name(name: str) -> bool:
    """A header, query parameter or JSON field whose name says it holds a credential."""
    lowered = name.lower()
    if lowered in SECRET_HEADERS or lowered in SECRET_QUERY_PARAMS:
        return True
    words = re.split(r"[-_.\s]+", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower())
    return bool(words) and words[-1] in _NAME_WORDS


def is_credential(value: str) -> bool:
    """A value that could be a credential: one word of 8+ characters, not all digits, not redacted."""
    if value in (REDACTED, KEY_PLACEHOLDER) or not _CREDENTIAL.fullmatch(value):
        return False
    if set(value) <= {"*"} or value.isdigit():
        return False
    return len(value) >= 20 or (any(c.isdigit() for c in value) and any(c.isalpha() for c in value))


def has_key_shape(value: str) -> bool:
    """A value shaped like a key whatever it is called (for query parameters): a key pattern, or a
    long mixed-case token with digits that is not an id (``msg_...``) nor hex (request ids)."""
    if any(pattern.search(value) for pattern in (KEY_PATTERN, JWT_PATTERN)):
        return True
    if len(value) < 40 or _HEX_KEY.fullmatch(value) or _ID_LIKE.match(value) or not is_credential(value):
        return False
    return (
        any(c.isupper() for c in value)
        and any(c.islower() for c in value)
        and any(c.isdigit() for c in value)
    )


class KnownSecrets:
    """Secret values learnt while recording, found again raw, JSON-escaped or URL-encoded."""

    MIN_LENGTH = 8

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._values: set[str] = set()
        self._forms: list[str] = []
        for value in values:
            self.add(value)

    def add(self, value: str) -> None:
        value = value.strip()
        if len(value) < self.MIN_LENGTH or value in self._values or not is_credential_text(value):
            return
        self._values.add(value)
        forms = {value, json.dumps(value)[1:-1], quote(value, safe=""), quote_plus(value)}
        self._forms = sorted(set(self._forms) | forms, key=len, reverse=True)

    def add_credentials(self, user: str, password: str) -> None:
        """A user and password (URL userinfo, Basic auth): the password and the base64 of both."""
        user, password = unquote(user), unquote(password)
        self.add(password)
        self.add(base64.b64encode(f"{user}:{password}".encode()).decode())

    def add_authorization(self, value: str) -> None:
        scheme, _, credentials = value.strip().partition(" ")
        credentials = credentials.strip() or scheme
        self.add(credentials)
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(credentials, validate=True).decode().partition(":")
            except ValueError:
                return
            self.add_credentials(user, password)

    def add_cookies(self, value: str) -> None:
        self.add(value)
        for part in value.split(";"):
            self.add(part.partition("=")[2])

    def spans(self, text: str) -> Iterator[Span]:
        for form in self._forms:
            start = text.find(form)
            while start >= 0:
                yield Span(start, start + len(form), REDACTED)
                start = text.find(form, start + len(form))

    def __bool__(self) -> bool:
        return bool(self._values)

    def __len__(self) -> int:
        return len(self._values)


def is_credential_text(value: str) -> bool:
    """Not a placeholder or a mask: something worth looking for again."""
    return value not in (REDACTED, KEY_PLACEHOLDER) and not set(value) <= {"*", " "}


def secret_spans(text: str, known: KnownSecrets | None = None) -> list[Span]:
    """Where ``text`` holds a secret by shape or by value, overlapping spans merged, in order."""
    shaped = _short_shape_spans(text) if len(text) <= _SHORT_TEXT else _shape_spans(text)
    if known:
        found = list(known.spans(text))
        if found:  # else the shaped spans are merged and in order already
            return merge_spans([*shaped, *found])
    return list(shaped)


_SHORT_TEXT = 512  # header values, URLs, JSON strings: the same ones come back on every request


def _shape_spans(text: str) -> tuple[Span, ...]:
    # A pattern runs only where its literal part occurs at all: a substring test costs far less
    # than a pattern's scan of a long text (``harness inspect`` scrubs everything it prints).
    spans: list[Span] = []
    if "sk-" in text or "sess-" in text:
        spans += [Span(*match.span(), KEY_PLACEHOLDER) for match in KEY_PATTERN.finditer(text)]
    if "eyJ" in text:
        spans += [Span(*match.span(), REDACTED) for match in JWT_PATTERN.finditer(text)]
    if "Bearer" in text:
        spans += [Span(*match.span("secret"), REDACTED) for match in BEARER_PATTERN.finditer(text)]
    if _holds_word_part(text):
        spans += [Span(*match.span("secret"), REDACTED) for match in NAMED_PATTERN.finditer(text)]
    return tuple(merge_spans(spans))


_FOLD_WINDOW = 1 << 20
# a part folded is at most as long as the characters it came from: windows overlapping by this
# much hold every occurrence whole
_FOLD_OVERLAP = max(map(len, _NAMED_WORD_PARTS)) - 1


def _holds_word_part(text: str) -> bool:
    """Whether ``text`` case-folded holds one of the secret names' parts, as the pattern's ``(?i)``
    matches (the Kelvin sign is a k, a long s an s). A long text is folded a window at a time, not
    copied whole: str.casefold folds each character on its own, so the windows see what the whole
    would."""
    if len(text) <= _FOLD_WINDOW:
        folded = text.casefold()
        return any(part in folded for part in _NAMED_WORD_PARTS)
    for start in range(0, len(text), _FOLD_WINDOW):
        folded = text[start : start + _FOLD_WINDOW + _FOLD_OVERLAP].casefold()
        if any(part in folded for part in _NAMED_WORD_PARTS):
            return True
    return False


_short_shape_spans = functools.lru_cache(maxsize=4096)(_shape_spans)


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            placeholder = (
                KEY_PLACEHOLDER if KEY_PLACEHOLDER in (last.placeholder, span.placeholder) else REDACTED
            )
            merged[-1] = Span(last.start, max(last.end, span.end), placeholder)
        else:
            merged.append(span)
    return merged


def redact(text: str, spans: Sequence[Span], *, mask: bool = False) -> str:
    """``text`` with each span replaced by its placeholder, or with ``mask`` by as many ``*``."""
    pieces: list[str] = []
    position = 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append("*" * (span.end - span.start) if mask else span.placeholder)
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


def json_strings(node: Any, name: str = "") -> Iterator[tuple[Any, Any, str, str]]:
    """Every string in a JSON tree: (container, key in it, nearest field name, value)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                yield node, key, str(key), value
            else:
                yield from json_strings(value, str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, str):
                yield node, index, name, value
            else:
                yield from json_strings(value, name)


def string_secret_spans(name: str, value: str, known: KnownSecrets | None = None) -> list[Span]:
    """The secrets in one string value of a JSON field (or header, or query parameter) called ``name``."""
    if is_secret_name(name) and is_credential(value):
        return [Span(0, len(value), REDACTED)]
    return secret_spans(value, known)


def parse_json(text: str) -> Any:
    """The JSON document ``text`` holds, or None (also for a bare string or number: nothing to walk)."""
    if text.lstrip()[:1] not in ("[", "{"):
        return None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return document if isinstance(document, dict | list) else None


@dataclass(frozen=True)
class SecretFinding:
    exchange: int | None  # None: in the cassette's metadata
    where: str
    sample: str

    def __str__(self) -> str:
        if self.exchange is None:
            return f"{self.where}: {self.sample}"
        return f"exchange {self.exchange} {self.where}: {self.sample}"


class _Scan:
    def __init__(self, extra_headers: Iterable[str], known: KnownSecrets | None) -> None:
        self.secret_headers = SECRET_HEADERS | {name.lower() for name in extra_headers}
        self.known = known
        self.findings: list[SecretFinding] = []

    def add(self, number: int | None, where: str, secret: str) -> None:
        self.findings.append(SecretFinding(number, where, _sample(secret)))

    def text(self, number: int | None, where: str, text: str) -> None:
        for span in secret_spans(text, self.known):
            self.add(number, where, text[span.start : span.end])
        document = parse_json(text)
        if document is not None:
            self.document(number, where, document)

    def document(self, number: int | None, where: str, document: Any) -> None:
        for _, _, name, value in json_strings(document):
            for span in string_secret_spans(name, value, self.known):
                self.add(number, f"{where} field {name!r}", value[span.start : span.end])

    def url(self, number: int, url: str) -> None:
        self.text(number, "request url", url)
        parts = urlsplit(url)
        if parts.password and is_credential_text(parts.password):
            self.add(number, "request url password", parts.password)
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if (is_secret_name(name) and is_credential(value)) or has_key_shape(value):
                self.add(number, f"request url query {name}", value)

    def header(self, number: int, side: str, name: str, value: str) -> None:
        where = f"{side} header {name}"
        if name.lower() in self.secret_headers:
            if value != REDACTED:
                self.add(number, where, value)
        elif is_secret_name(name) and is_credential(value):
            self.add(number, where, value)
        else:
            self.text(number, where, value)

    def stream(self, number: int, frames: Sequence[bytes]) -> None:
        from harness.scrub_fragments import joined_streamed_strings

        for index, frame in enumerate(frames):
            self.text(number, f"stream event {index}", frame.decode("utf-8", "replace"))
        for indexes, joined in joined_streamed_strings(frames):
            for span in secret_spans(joined, self.known):
                where = f"stream events {indexes[0]}-{indexes[-1]} (joined)"
                self.add(number, where, joined[span.start : span.end])


def find_secrets(
    exchanges: Sequence[Exchange],
    extra_headers: Iterable[str] = (),
    *,
    known: KnownSecrets | None = None,
    metadata: dict[str, Any] | None = None,
) -> list[SecretFinding]:
    """Secrets that scrubbing left behind, by every rule above, in every place a cassette keeps text."""
    scan = _Scan(extra_headers, known)
    if metadata:
        scan.document(None, "metadata", metadata)
        for key in metadata:
            scan.text(None, "metadata key", str(key))
    for number, exchange in enumerate(exchanges):
        request, response = exchange.request, exchange.response
        scan.url(number, request.url)
        for side, headers in (("request", request.headers), ("response", response.headers)):
            for name, value in headers:
                scan.header(number, side, name, value)
        scan.text(number, "request body", request.body.decode("utf-8", "replace"))
        scan.text(number, "response body", response.body.decode("utf-8", "replace"))
        if response.stream is not None:
            scan.stream(number, response.stream.frames)
    return scan.findings


def cassette_secrets(
    cassette: Cassette, extra_headers: Iterable[str] = (), *, known: KnownSecrets | None = None
) -> list[SecretFinding]:
    """:func:`find_secrets` over the exchanges and the metadata of ``cassette``."""
    return find_secrets(cassette.exchanges, extra_headers, known=known, metadata=cassette.metadata)


def text_secrets(text: str) -> list[tuple[int, str]]:
    """``(offset, masked sample)`` of every secret found by shape in raw ``text`` (a file that does
    not load), in order."""
    return [(span.start, _sample(text[span.start : span.end])) for span in secret_spans(text)]


def _sample(secret: str) -> str:
    return secret[:6] + "..." if len(secret) > 6 else "..."
