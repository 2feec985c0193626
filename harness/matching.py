"""Deciding which recorded exchange answers a request, and explaining a miss."""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from harness.cassette.model import RecordedRequest

Matcher = Callable[[RecordedRequest, RecordedRequest], bool]

DEFAULT_MATCH_ON = ("method", "path", "query", "json_body")
# Bodies whose parsed form is kept: a cassette's recorded requests plus the requests in flight.
_PARSED_BODIES = 4096
# The parts of a URL only these matchers compare; a diff leaves them out otherwise.
_URL_ORIGIN_MATCHERS = ("host", "scheme")


def _method(a: RecordedRequest, b: RecordedRequest) -> bool:
    return a.method.upper() == b.method.upper()


def _path(a: RecordedRequest, b: RecordedRequest) -> bool:
    return urlsplit(a.url).path.rstrip("/") == urlsplit(b.url).path.rstrip("/")


def _query(a: RecordedRequest, b: RecordedRequest) -> bool:
    return sorted(parse_qsl(urlsplit(a.url).query)) == sorted(parse_qsl(urlsplit(b.url).query))


def _host(a: RecordedRequest, b: RecordedRequest) -> bool:
    return urlsplit(a.url).netloc == urlsplit(b.url).netloc


def _scheme(a: RecordedRequest, b: RecordedRequest) -> bool:
    return urlsplit(a.url).scheme == urlsplit(b.url).scheme


def _raw_body(a: RecordedRequest, b: RecordedRequest) -> bool:
    return a.body == b.body


def parse_json_body(body: bytes) -> Any:
    """The body as JSON, or ``None`` when it is empty or not JSON."""
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def without_fields(document: Any, ignored: Sequence[str]) -> Any:
    """A copy of ``document`` without the dotted paths in ``ignored`` (``*`` matches any key)."""
    if not ignored or not isinstance(document, dict):
        return document
    result = dict(document)
    for path in ignored:
        _drop(result, path.split("."))
    return result


def _drop(node: Any, keys: list[str]) -> None:
    if not isinstance(node, dict):
        return
    head, rest = keys[0], keys[1:]
    names = list(node) if head == "*" else [head]
    for name in names:
        if name not in node:
            continue
        if rest:
            node[name] = dict(node[name]) if isinstance(node[name], dict) else node[name]
            _drop(node[name], rest)
        else:
            del node[name]


def json_body_matcher(ignored_fields: Sequence[str] = ()) -> Matcher:
    """Bodies equal as JSON (key order and whitespace do not matter), minus ``ignored_fields``;
    bodies that are not JSON must be byte-identical. Each distinct body is parsed once (a
    request compared with every recording is not parsed once per recording)."""

    @functools.lru_cache(maxsize=_PARSED_BODIES)
    def compared(body: bytes) -> Any:
        document = parse_json_body(body)
        return None if document is None else without_fields(document, ignored_fields)

    def match(a: RecordedRequest, b: RecordedRequest) -> bool:
        if a.body == b.body:
            return True
        first, second = compared(a.body), compared(b.body)
        if first is None or second is None:
            return False
        return bool(first == second)

    return match


MATCHERS: dict[str, Matcher] = {
    "method": _method,
    "path": _path,
    "query": _query,
    "host": _host,
    "scheme": _scheme,
    "body": _raw_body,
    "json_body": json_body_matcher(),
}


def resolve_matchers(
    match_on: Sequence[str | Matcher], ignored_fields: Sequence[str] = ()
) -> list[tuple[str, Matcher]]:
    resolved: list[tuple[str, Matcher]] = []
    for item in match_on:
        if callable(item):
            resolved.append((getattr(item, "__name__", "custom"), item))
        elif item == "json_body":
            resolved.append((item, json_body_matcher(ignored_fields)))
        elif item in MATCHERS:
            resolved.append((item, MATCHERS[item]))
        else:
            raise ValueError(
                f"unknown matcher {item!r}; choose from {', '.join(MATCHERS)} or pass a "
                "function (recorded_request, request) -> bool"
            )
    return resolved


def describe_request(request: RecordedRequest, *, with_origin: bool = True) -> list[str]:
    """A request as lines a person can diff: the request line, then the JSON body pretty-printed.
    ``with_origin=False`` leaves the scheme, host and port out of the request line."""
    lines = [f"{request.method.upper()} {request.url if with_origin else request_target(request.url)}"]
    document = parse_json_body(request.body)
    if document is not None:
        lines.extend(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).splitlines())
    elif request.body:
        lines.append(request.body.decode("utf-8", "replace"))
    return lines


def explain_miss(
    request: RecordedRequest, candidates: Sequence[RecordedRequest], matchers: Sequence[tuple[str, Matcher]]
) -> str:
    """Which recorded request comes closest, what differs, and a unified diff."""
    if not candidates:
        return "The cassette holds no recorded requests."
    scored = []
    for number, candidate in enumerate(candidates):
        failed = [name for name, matcher in matchers if not matcher(candidate, request)]
        scored.append((len(failed), number, failed, candidate))
    _, number, failed, closest = min(scored, key=lambda item: (item[0], item[1]))
    with_origin = any(name in _URL_ORIGIN_MATCHERS for name, _ in matchers)
    diff = difflib.unified_diff(
        describe_request(closest, with_origin=with_origin),
        describe_request(request, with_origin=with_origin),
        fromfile=f"recorded request #{number}",
        tofile="this request",
        lineterm="",
    )
    return (
        f"Closest recorded request: #{number} {closest.method.upper()} {closest.url} "
        f"(differs in: {', '.join(failed) or 'nothing; it was already played'})\n" + "\n".join(diff)
    )


def request_target(url: str) -> str:
    """``/v1/threads?limit=2`` of ``https://api.openai.com:443/v1/threads?limit=2``."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
