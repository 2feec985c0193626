"""The real captured streams (cassettes/real/), decoded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from harness.sse import ServerSentEvent, parse_sse

CORPUS_DIR = Path(__file__).resolve().parents[2] / "cassettes" / "real"
SSE_FILES = sorted(CORPUS_DIR.glob("*.sse"))
ERROR_BODY = CORPUS_DIR / "022-ruby-openai-stream-request-http400-invalid-thread.json"


@cache
def events(name: str) -> tuple[ServerSentEvent, ...]:
    return tuple(parse_sse((CORPUS_DIR / name).read_bytes()))


def all_events() -> list[tuple[str, int, ServerSentEvent]]:
    return [(path.name, index, sse) for path in SSE_FILES for index, sse in enumerate(events(path.name))]
