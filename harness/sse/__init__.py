"""bytes -> server-sent events (and back)."""

from harness.sse.decoder import SSEDecoder, iter_sse, parse_sse
from harness.sse.encoder import encode_event, encode_events
from harness.sse.event import ServerSentEvent
from harness.sse.framing import split_frames

__all__ = [
    "SSEDecoder",
    "ServerSentEvent",
    "encode_event",
    "encode_events",
    "iter_sse",
    "parse_sse",
    "split_frames",
]
