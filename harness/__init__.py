"""pytest-run-harness: record, replay, reconstruct and snapshot OpenAI Assistants run streams."""

from harness.sse import ServerSentEvent, encode_events, parse_sse

__all__ = ["ServerSentEvent", "encode_events", "parse_sse"]
