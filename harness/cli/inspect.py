"""``harness inspect PATH [--format text|json]``: what a recorded stream contains, and what it folds into.

A raw ``.sse`` body is folded straight from a streaming decode, 64 KiB at a time (its events are
never all held); any other cassette is folded as its exchanges are read. Streams and events are
numbered from 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.protocols import FoldedTranscript

CHUNK_SIZE = 64 * 1024


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "inspect",
        description=(
            "Reconstruct the conversation stored at PATH and show it. PATH is a raw "
            "text/event-stream body (.sse) or a cassette in any format the harness reads "
            "(harness JSON, vcrpy / pytest-recording YAML, Ruby VCR, HAR, cassetter)."
        ),
    )
    parser.add_argument("path", metavar="PATH", help="a raw .sse body or a cassette of any format")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: a readable timeline (default); json: the reconstruction as one object",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    views = args.format == "text"
    path = Path(args.path)
    if _is_raw_sse(path):
        from harness.cassette.formats.raw_sse import iter_bodies
        from harness.protocols.mixed import fold_bodies
        from harness.sse.decoder import iter_sse

        # the bodies cut as the loader cuts a raw .sse; each read by the protocol its events speak
        transcript = fold_bodies(iter_bodies(iter_sse(_chunks(path))), views=views)
    else:
        from harness.cli.cassettes import open_exchanges
        from harness.validation import fold_conversation

        # each stream by its own protocol (from its request, then its events); a cassette of one
        # protocol, the usual case, reads as that protocol's object. Folded as read: a format read
        # an exchange at a time (HAR) is never held whole; an error found late still shows nothing
        transcript = fold_conversation(open_exchanges(path), views=views)
    _show(transcript, args.format)
    return 0


def _shape(transcript: FoldedTranscript) -> dict[str, Any]:
    """The JSON form: which protocol first, then the protocol's own shape."""
    return {"protocol": transcript.protocol, **transcript.to_dict()}


def _json(transcript: FoldedTranscript) -> Iterator[str]:
    from harness.protocols import by_name
    from harness.protocols.mixed import MixedTranscript
    from harness.scrub import scrub_message

    if isinstance(transcript, MixedTranscript):
        vocabulary = frozenset().union(*(by_name(name).event_names for name in transcript.protocols))
    else:
        vocabulary = by_name(transcript.protocol).event_names
    return _scrubbed_json(_shape(transcript), vocabulary, scrub_message)


def _show(transcript: FoldedTranscript, form: str) -> None:
    # a cassette from a bug report may hold a key: never print it
    if form == "json":
        for piece in _json(transcript):
            sys.stdout.write(piece)
        return
    from harness.cli.scrubbed_output import write_scrubbed

    # the timeline is written as it is rendered, scrubbed a batch at a time: never held whole
    write_scrubbed(_text_pieces(transcript), sys.stdout.write)


def _text_pieces(transcript: FoldedTranscript) -> Iterator[str]:
    from harness.cli.render_text import text_pieces
    from harness.protocols.mixed import MixedTranscript

    if isinstance(transcript, MixedTranscript):
        yield from _mixed_text(transcript)
    else:
        yield from text_pieces(transcript)


def _mixed_text(transcript: Any) -> Iterator[str]:
    """A cassette mixing protocols: each protocol's streams folded apart, in order of appearance,
    headed by the streams' numbers in the cassette (within a part, streams count again from 1)."""
    from harness.cli.render_text import text_pieces
    from harness.diagnostics import streams_label

    for share in transcript.shares:
        yield f"== {share.protocol}: {streams_label(share.stream_numbers)} of the cassette ==\n"
        yield from text_pieces(share.transcript)


_EVENTS_STAND_IN = "harness-inspect-events-stand-in"


def _scrubbed_json(
    data: dict[str, Any], vocabulary: frozenset[str], scrub: Callable[[str], str]
) -> Iterator[str]:
    """``data`` as indented JSON with every secret scrubbed, in pieces to write one after another.
    The list of event names, most of the text for a long stream, is left out of the scan when every
    name is one of the protocol's own (constants, which hold no secret), and written a batch of
    names at a time: the whole text is never held."""
    names = data.get("events")
    if not (isinstance(names, list) and vocabulary.issuperset(names)):
        yield scrub(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
        return
    text = scrub(json.dumps({**data, "events": _EVENTS_STAND_IN}, indent=2, ensure_ascii=False))
    before, after = text.split(json.dumps(_EVENTS_STAND_IN), 1)
    yield before
    yield from _indented_names(names)
    yield after + "\n"


_NAMES_PER_PIECE = 1 << 14


def _indented_names(names: list[str]) -> Iterator[str]:
    """``json.dumps(names, indent=2)`` one level in, in pieces of at most ``_NAMES_PER_PIECE`` names,
    each distinct name encoded once (the encoder with an indent is pure Python: ten times slower on
    a long list)."""
    if not names:
        yield "[]"
        return
    encoded = {name: json.dumps(name, ensure_ascii=False) for name in set(names)}
    separator = ",\n    "
    for start in range(0, len(names), _NAMES_PER_PIECE):
        batch = names[start : start + _NAMES_PER_PIECE]
        yield ("[\n    " if start == 0 else separator) + separator.join(map(encoded.__getitem__, batch))
    yield "\n  ]"


def _is_raw_sse(path: Path) -> bool:
    """A ``.sse`` file that starts like an event stream (anything else goes through the loader)."""
    if path.suffix.lower() != ".sse" or not path.is_file():
        return False
    from harness.sse.framing import starts_like_event_stream

    with path.open("rb") as file:
        head = file.read(256)
    return starts_like_event_stream(head)


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_SIZE):
            yield chunk
