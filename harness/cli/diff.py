"""``harness diff A B``: an event-level diff of two cassettes or raw ``.sse`` bodies.

Both sides are normalized as the snapshots are (ids become ``<run:1>``... by
first appearance, timestamps offsets from the earliest one), then written as
lines: a delta on one line with the text it appends; a run, step or message
event as a line naming it and its id, then one line per field
(``  usage.total_tokens = 73``), so that a change shows as the fields that
changed. Long strings are cut into pieces of at most 100 characters. Prints
nothing and exits 0 when the two are equal; prints a unified diff and exits 1
when not; exits 2 when a file cannot be read.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from typing import Any

from harness.cassette.model import Cassette
from harness.cli.cassettes import open_cassette
from harness.cli.errors import CommandError
from harness.diagnostics import stream_label
from harness.protocols import JsonPath, StreamProtocol, protocol_for
from harness.scrub import scrubbed_cassette
from harness.snapshot.normalizer import normalize, timestamps_in
from harness.snapshot.placeholders import Placeholders
from harness.sse import ServerSentEvent

# Keys of a delta that only place its streamed strings.
_BOOKKEEPING_KEYS = frozenset({"index", "type"})
TROUBLE = 2
MAX_PIECE = 100


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("first", metavar="A", help="a cassette or raw .sse body")
    parser.add_argument("second", metavar="B", help="a cassette or raw .sse body")
    parser.add_argument(
        "--conversation",
        action="store_true",
        help="compare the conversations the two tell (messages, tool calls and outputs, final status), "
        "across protocols: an Assistants run cassette against its Responses or Chat migration",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.conversation:
        from harness.cli import diff_conversation

        return diff_conversation.run((args.first, _open(args.first)), (args.second, _open(args.second)))
    first, second = (event_lines(_open(path).event_streams()) for path in (args.first, args.second))
    if first == second:
        return 0
    for line in difflib.unified_diff(first, second, fromfile=args.first, tofile=args.second, lineterm=""):
        sys.stdout.write(line + "\n")
    return 1


def _open(path: str) -> Cassette:
    # As diff(1) does: exit 1 means "they differ", 2 means "could not compare".
    try:
        return scrubbed_cassette(open_cassette(path))  # what it prints holds no secret
    except CommandError as error:
        raise CommandError(str(error), exit_code=TROUBLE) from None


def event_lines(streams: list[list[ServerSentEvent]]) -> list[str]:
    """The normalized lines of a conversation: a header per stream, then one line per event."""
    payloads = [[_payload(event) for event in events] for events in streams]
    placeholders = Placeholders()
    placeholders.see_timestamps(
        moment for stream in payloads for payload in stream for moment in timestamps_in(payload)
    )
    lines: list[str] = []
    for number, (events, stream_payloads) in enumerate(zip(streams, payloads, strict=True)):
        lines.append(f"{stream_label(number)}: {len(events)} events")
        protocol = protocol_for(events=(event.event for event in events))
        for event, payload in zip(events, stream_payloads, strict=True):
            lines.extend(_lines(protocol, event, payload, placeholders))
    return lines


def _payload(event: ServerSentEvent) -> Any:
    try:
        return json.loads(event.data)
    except ValueError:
        return None


def _lines(
    protocol: StreamProtocol, event: ServerSentEvent, payload: Any, placeholders: Placeholders
) -> list[str]:
    if payload is None:  # `done`, or data that is not JSON: shown as sent
        return [f"{event.event} {placeholders.text(event.data)}"]
    delta = payload.get("delta") if isinstance(payload, dict) else None
    pieces = list(protocol.streamed_strings(event.event, payload))
    streamed = {piece.path for piece in pieces}
    if (
        event.event in protocol.delta_events
        and isinstance(delta, dict)
        and not _carries_more(delta, ("delta",), streamed)
    ):
        object_id = placeholders.text(str(payload.get("id")))
        text = "".join(piece.value for piece in pieces)
        return [f"{event.event} {object_id} +{_compact(placeholders.text(text))}"]
    normalized = normalize(payload, placeholders)
    if not isinstance(normalized, dict):
        return [f"{event.event} {_compact(normalized)}"]
    fields = dict(normalized)
    object_id = fields.pop("id", None)
    header = f"{event.event} {object_id}" if isinstance(object_id, str) else event.event
    return [header, *field_lines(fields)]


def field_lines(value: Any, where: str = "") -> list[str]:
    """``  path = value`` for every leaf of ``value``, keys sorted, long strings cut in pieces."""
    if isinstance(value, dict) and value:
        return [
            line
            for key in sorted(value)
            for line in field_lines(value[key], f"{where}.{key}" if where else str(key))
        ]
    if isinstance(value, list) and value:
        return [line for index, item in enumerate(value) for line in field_lines(item, f"{where}[{index}]")]
    if isinstance(value, str) and len(value) > MAX_PIECE:
        pieces = [value[start : start + MAX_PIECE] for start in range(0, len(value), MAX_PIECE)]
        return [f"  {where} = {_compact(pieces[0])}", *(f"  {where} += {_compact(p)}" for p in pieces[1:])]
    return [f"  {where} = {_compact(value)}"]


def _carries_more(node: Any, path: JsonPath, streamed: set[JsonPath]) -> bool:
    """Whether a delta holds anything beyond its streamed strings and their index/type bookkeeping."""
    if isinstance(node, dict):
        return any(
            _carries_more(value, (*path, key), streamed)
            for key, value in node.items()
            if key not in _BOOKKEEPING_KEYS
        )
    if isinstance(node, list):
        return any(_carries_more(item, (*path, position), streamed) for position, item in enumerate(node))
    return path not in streamed


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
