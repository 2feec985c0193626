"""The Chat Completions stream vocabulary: chunk objects, the ``[DONE]`` line, which strings stream.

One home for this knowledge: the fold (:mod:`harness.protocols.chat_fold`), detection, the
streamed-strings rule that scrubbing uses, and the timeline all read it.
"""

from __future__ import annotations

CHUNK_OBJECT = "chat.completion.chunk"
COMPLETION_OBJECT = "chat.completion"
DONE_DATA = "[DONE]"
DONE_NAME = "[DONE]"  # how the terminating line is named in `events`

# Strings of a choice's `delta` that arrive in pieces over consecutive chunks (joined by the fold,
# and by the scrubber before it looks for secrets): message fields, then tool-call function fields.
STREAMED_MESSAGE_FIELDS = ("content", "refusal", "reasoning_content")
STREAMED_FUNCTION_FIELDS = ("arguments", "name")
# Set once, by the first chunk that sends them; repeated values are not concatenated.
FIRST_VALUE_MESSAGE_FIELDS = ("role",)
FIRST_VALUE_TOOL_FIELDS = ("id", "type")
# Completion-level fields taken from the chunks (the last value that is not null wins).
COMPLETION_FIELDS = ("id", "created", "model", "service_tier", "system_fingerprint")


Fragment = tuple[tuple[str | int, ...], tuple[object, ...], str]  # (path in the payload, key, piece)


def streamed_strings(payload: dict[str, object]) -> list[Fragment]:
    """The streamed string fragments of one chunk: ``(path in the payload, key, fragment)`` each.

    Keys are ``(choice index, field)`` for message text and ``(choice index, "tool_calls",
    tool index, field)`` for function fields; fragments with equal keys in consecutive chunks are
    pieces of one string.
    """
    found: list[Fragment] = []
    choices = payload.get("choices")
    if type(choices) is not list:
        return found
    for place, choice in enumerate(choices):
        if type(choice) is not dict or type(choice.get("delta")) is not dict:
            continue
        delta = choice["delta"]
        position = choice.get("index")
        for name in STREAMED_MESSAGE_FIELDS:
            value = delta.get(name)
            if type(value) is str:
                found.append((("choices", place, "delta", name), (position, name), value))
        calls = delta.get("tool_calls")
        if type(calls) is not list:
            continue
        for slot, call in enumerate(calls):
            function = call.get("function") if type(call) is dict else None
            if type(function) is not dict:
                continue
            for name in STREAMED_FUNCTION_FIELDS:
                value = function.get(name)
                if type(value) is str:
                    path = ("choices", place, "delta", "tool_calls", slot, "function", name)
                    found.append((path, (position, "tool_calls", call.get("index"), name), value))
    return found


def is_chat_chunk(payload: object) -> bool:
    return type(payload) is dict and payload.get("object") == CHUNK_OBJECT
