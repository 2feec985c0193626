"""The conversations the emulator can play, and how a run picks one.

Selection, first match wins:

1. the run request's ``metadata["emulator_scenario"]``;
2. a ``[scenario:NAME]`` tag in the thread's last user message;
3. the assistant's ``metadata["emulator_scenario"]``;
4. the emulator's default (``Emulator(scenario=...)``, ``"text"`` unless set).

The number of text deltas of the ``text`` and ``unicode`` replies comes the
same way from ``metadata["emulator_message_deltas"]``, a ``[deltas:N]`` tag, or
``Emulator(message_deltas=N)``.

The Responses and Chat Completions APIs pick the same way from the request's
``metadata`` and its last user message. Every scenario is written once against
:class:`~harness.emulator.script.Simulation` and plays the same conversation
on every API that can say it (:data:`API_SCENARIOS`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from harness.emulator import content
from harness.emulator.objects import JsonObject
from harness.emulator.pieces import filler_tokens, split_tokens
from harness.emulator.script import Citation, FunctionCall, Items, Scenario, Simulation, TextPlan

SCENARIO_KEY = "emulator_scenario"
DELTAS_KEY = "emulator_message_deltas"
_SCENARIO_TAG = re.compile(r"\[scenario:([a-z-]+)\]")
_DELTAS_TAG = re.compile(r"\[deltas:(\d+)\]")

# How many deltas an interrupted reply gets out before the interruption.
_DELTAS_BEFORE_INTERRUPTION = 6


def _reply_pieces(sim: Simulation, default_text: str) -> list[str]:
    wanted = sim.message_deltas
    return filler_tokens(wanted) if wanted is not None else split_tokens(default_text)


def text(sim: Simulation) -> Items:
    yield from sim.start()
    yield from sim.message_step(TextPlan(_reply_pieces(sim, content.GREETING)))
    yield from sim.complete()


def unicode(sim: Simulation) -> Items:
    pieces = list(content.UNICODE_PIECES)
    wanted = sim.message_deltas
    if wanted is not None:
        pieces = [pieces[i % len(pieces)] for i in range(wanted)]
    yield from sim.start()
    yield from sim.message_step(TextPlan(pieces))
    yield from sim.complete()


def annotated(sim: Simulation) -> Items:
    """A reply citing a generated file (file_path) and two uploaded files (file_citation)."""
    csv_file = sim.ids.new("file-")
    cited = [sim.ids.new("file-"), sim.ids.new("file-")]
    pieces: list[str] = []
    citations: dict[int, list[Citation]] = {}
    length = 0

    def add(words: str) -> None:
        nonlocal length
        for piece in split_tokens(words):
            pieces.append(piece)
            length += len(piece)

    def cite(kind: str, marker: str, file_id: str, filename: str) -> None:
        nonlocal length
        citations[len(pieces)] = [Citation(kind, marker, length, file_id=file_id, filename=filename)]
        pieces.append(marker)
        length += len(marker)

    add(content.ANNOTATED_BEFORE)
    cite("file_path", content.ANNOTATED_PATH, csv_file, content.ANNOTATED_PATH.rsplit("/", 1)[-1])
    add(content.ANNOTATED_MIDDLE)
    cite("file_citation", "\u30104:0\u2020data_dictionary.md\u3011", cited[0], "data_dictionary.md")
    add(content.ANNOTATED_AFTER)
    cite("file_citation", "\u30104:1\u2020notes.txt\u3011", cited[1], "notes.txt")
    add(content.ANNOTATED_END)
    yield from sim.start()
    yield from sim.message_step(TextPlan(pieces, citations))
    yield from sim.complete()


def file_search(sim: Simulation) -> Items:
    file_id = sim.ids.new("file-")
    score = round(0.55 + sim.rng.random() * 0.3, 16)
    result = {
        "file_id": file_id,
        "file_name": content.FILE_SEARCH_FILE_NAME,
        "score": score,
        "attributes": {},
        "content": [{"type": "text", "text": content.FILE_SEARCH_CHUNK}],
    }
    marker = f"\u30104:0\u2020{content.FILE_SEARCH_FILE_NAME}\u3011"
    pieces = split_tokens(content.FILE_SEARCH_ANSWER_BEFORE)
    start = len(content.FILE_SEARCH_ANSWER_BEFORE)
    citation = Citation(
        "file_citation", marker, start, file_id=file_id, filename=content.FILE_SEARCH_FILE_NAME
    )
    citations = {len(pieces): [citation]}
    pieces += [marker, *split_tokens(content.FILE_SEARCH_ANSWER_AFTER)]
    yield from sim.start()
    yield from sim.file_search_step([result])
    yield from sim.message_step(TextPlan(pieces, citations))
    yield from sim.complete()


def web_search(sim: Simulation) -> Items:
    """A web search, then a reply citing the page it found (url_citation)."""
    pieces = split_tokens(content.WEB_SEARCH_ANSWER_BEFORE)
    link = content.WEB_SEARCH_LINK
    citation = Citation(
        "url_citation",
        link,
        len(content.WEB_SEARCH_ANSWER_BEFORE),
        url=content.WEB_SEARCH_URL,
        title=content.WEB_SEARCH_TITLE,
    )
    citations = {len(pieces): [citation]}
    pieces += [link, *split_tokens(content.WEB_SEARCH_ANSWER_AFTER)]
    yield from sim.start()
    yield from sim.web_search_step(content.WEB_SEARCH_QUERY)
    yield from sim.message_step(TextPlan(pieces, citations))
    yield from sim.complete()


def reasoning(sim: Simulation) -> Items:
    """The model reasons (a streamed summary where the API has one), then answers."""
    yield from sim.start()
    yield from sim.reasoning_step(split_tokens(content.REASONING_SUMMARY))
    yield from sim.message_step(TextPlan(split_tokens(content.REASONING_ANSWER)))
    yield from sim.complete()


def refusal(sim: Simulation) -> Items:
    yield from sim.start()
    yield from sim.refusal_step(split_tokens(content.REFUSAL))
    yield from sim.complete()


def code_interpreter(sim: Simulation) -> Items:
    image_file = sim.ids.new("file-")
    yield from sim.start()
    yield from sim.code_interpreter_step(
        content.CODE_LOGS_INPUT, {"type": "logs", "logs": content.CODE_LOGS_OUTPUT}
    )
    yield from sim.code_interpreter_step(
        content.CODE_IMAGE_INPUT, {"type": "image", "image": {"file_id": image_file}}
    )
    yield from sim.message_step(TextPlan(split_tokens(content.CODE_SUMMARY)), image_file_id=image_file)
    yield from sim.complete()


def tool_call(sim: Simulation) -> Items:
    yield from _function_calls(sim, count=1)


def parallel_tools(sim: Simulation) -> Items:
    yield from _function_calls(sim, count=2)


def _function_calls(sim: Simulation, *, count: int) -> Items:
    functions = sim.functions()
    if not functions:
        functions = [{"name": "get_current_weather", "parameters": {"type": "object", "properties": {}}}]
    calls = []
    for position in range(count):
        function = functions[position % len(functions)]
        calls.append(FunctionCall(function["name"], example_arguments(function.get("parameters"), position)))
    yield from sim.start()
    yield from sim.function_calls_step(calls)
    outputs = "; ".join(sim.tool_outputs.get(call.call_id, "") for call in calls)
    yield from sim.message_step(TextPlan(split_tokens(content.AFTER_TOOL_OUTPUT.format(outputs=outputs))))
    yield from sim.complete()


_SAMPLE_STRINGS = {
    "location": ["Paris, France", "Lima, Peru"],
    "city": ["Paris", "Lima"],
    "day": ["Thursday", "Saturday"],
    "unit": ["celsius", "fahrenheit"],
}


def example_arguments(parameters: Mapping[str, Any] | None, variant: int = 0) -> str:
    """Compact JSON arguments that fit the function's parameter schema."""
    values: dict[str, Any] = {}
    for name, schema in ((parameters or {}).get("properties") or {}).items():
        values[name] = _example_value(name, schema or {}, variant)
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


def _example_value(name: str, schema: Mapping[str, Any], variant: int) -> Any:
    if schema.get("enum"):
        choices = list(schema["enum"])
        return choices[variant % len(choices)]
    kind = schema.get("type", "string")
    if kind == "integer":
        return 3 + variant
    if kind == "number":
        return 2.5 + variant
    if kind == "boolean":
        return variant % 2 == 0
    if kind == "array":
        return []
    if kind == "object":
        return {}
    for hint, samples in _SAMPLE_STRINGS.items():
        if hint in name.lower():
            return samples[variant % len(samples)]
    return f"example {name} {variant + 1}"


def incomplete(sim: Simulation) -> Items:
    limit = sim.token_limit() or 16
    pieces = split_tokens(content.TRUNCATED_REPLY)[:limit]
    yield from sim.start()
    yield from sim.message_step(TextPlan(pieces), ending="incomplete")
    yield from sim.complete_incomplete()


def _interrupted(sim: Simulation) -> Items:
    yield from sim.start()
    yield from sim.message_step(
        TextPlan(split_tokens(content.INTERRUPTED_REPLY)), stop_after=_DELTAS_BEFORE_INTERRUPTION
    )


def failed(sim: Simulation) -> Items:
    yield from _interrupted(sim)
    yield from sim.fail()


def cancelled(sim: Simulation) -> Items:
    """As if another client cancelled the run while it streamed."""
    yield from _interrupted(sim)
    yield from sim.cancel()


def expired(sim: Simulation) -> Items:
    yield from _interrupted(sim)
    yield from sim.expire()


def error(sim: Simulation) -> Items:
    yield from _interrupted(sim)
    yield from sim.stream_error(sim.ids.request_id())


SCENARIOS: dict[str, Scenario] = {
    "text": text,
    "annotations": annotated,
    "tool-call": tool_call,
    "parallel-tools": parallel_tools,
    "code-interpreter": code_interpreter,
    "file-search": file_search,
    "incomplete": incomplete,
    "failed": failed,
    "cancelled": cancelled,
    "expired": expired,
    "error": error,
    "unicode": unicode,
    "reasoning": reasoning,
    "refusal": refusal,
    "web-search": web_search,
}

# The scenarios each emulated API can play: Assistants runs have no web search;
# Responses and Chat Completions have no threads to cancel or expire, and the
# built-in code interpreter and file search are Assistants-only here; a Chat
# stream has no failed status (its server errors are the ``error`` scenario).
API_SCENARIOS: dict[str, tuple[str, ...]] = {
    "assistants": tuple(name for name in SCENARIOS if name != "web-search"),
    "responses": (
        "text",
        "annotations",
        "tool-call",
        "parallel-tools",
        "incomplete",
        "failed",
        "error",
        "unicode",
        "reasoning",
        "refusal",
        "web-search",
    ),
    "chat": (
        "text",
        "annotations",
        "tool-call",
        "parallel-tools",
        "incomplete",
        "error",
        "unicode",
        "reasoning",
        "refusal",
        "web-search",
    ),
}


def _message_text(message: Mapping[str, Any]) -> str:
    return " ".join(
        part["text"]["value"] for part in message.get("content", []) if part.get("type") == "text"
    )


def select(
    *,
    run_metadata: Mapping[str, str],
    assistant_metadata: Mapping[str, str],
    thread_messages: list[JsonObject],
    default_scenario: str,
    default_deltas: int | None,
) -> tuple[str, int | None]:
    """(scenario name, message delta count) for a new run; see the module docstring."""
    last_user = next((m for m in reversed(thread_messages) if m.get("role") == "user"), None)
    user_text = _message_text(last_user) if last_user is not None else ""
    return select_by(
        metadata=[run_metadata, assistant_metadata],
        user_text=user_text,
        default_scenario=default_scenario,
        default_deltas=default_deltas,
    )


def select_by(
    *,
    metadata: list[Mapping[str, Any]],
    user_text: str,
    default_scenario: str,
    default_deltas: int | None,
) -> tuple[str, int | None]:
    """The first of: ``metadata[0]``, the user text's tags, the later metadata, the defaults.

    Raises ValueError when the delta count is not an integer.
    """
    first, later = (metadata[0] if metadata else {}), metadata[1:]
    tagged = _SCENARIO_TAG.search(user_text)
    tagged_deltas = _DELTAS_TAG.search(user_text)
    scenario = (
        first.get(SCENARIO_KEY)
        or (tagged.group(1) if tagged else None)
        or next((m[SCENARIO_KEY] for m in later if m.get(SCENARIO_KEY)), None)
        or default_scenario
    )
    deltas_text = (
        first.get(DELTAS_KEY)
        or (tagged_deltas.group(1) if tagged_deltas else None)
        or next((m[DELTAS_KEY] for m in later if m.get(DELTAS_KEY)), None)
    )
    deltas = int(deltas_text) if deltas_text else default_deltas
    return str(scenario), deltas
