"""The conversations the emulator can play, and how a run picks one.

Selection, first match wins:

1. the run request's ``metadata["emulator_scenario"]``;
2. a ``[scenario:NAME]`` tag in the thread's last user message;
3. the assistant's ``metadata["emulator_scenario"]``;
4. the emulator's default (``Emulator(scenario=...)``, ``"text"`` unless set).

The number of text deltas of the ``text`` and ``unicode`` replies comes the
same way from ``metadata["emulator_message_deltas"]``, a ``[deltas:N]`` tag, or
``Emulator(message_deltas=N)``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from harness.emulator import content
from harness.emulator.objects import JsonObject
from harness.emulator.pieces import filler_tokens, split_tokens
from harness.emulator.simulation import FunctionCall, Items, RunSimulation, Scenario, TextPlan

SCENARIO_KEY = "emulator_scenario"
DELTAS_KEY = "emulator_message_deltas"
_SCENARIO_TAG = re.compile(r"\[scenario:([a-z-]+)\]")
_DELTAS_TAG = re.compile(r"\[deltas:(\d+)\]")

# How many deltas an interrupted reply gets out before the interruption.
_DELTAS_BEFORE_INTERRUPTION = 6


def _reply_pieces(sim: RunSimulation, default_text: str) -> list[str]:
    wanted = sim.context.message_deltas
    return filler_tokens(wanted) if wanted is not None else split_tokens(default_text)


def text(sim: RunSimulation) -> Items:
    yield from sim.start()
    yield from sim.message_step(TextPlan(_reply_pieces(sim, content.GREETING)))
    yield from sim.complete()


def unicode(sim: RunSimulation) -> Items:
    pieces = list(content.UNICODE_PIECES)
    wanted = sim.context.message_deltas
    if wanted is not None:
        pieces = [pieces[i % len(pieces)] for i in range(wanted)]
    yield from sim.start()
    yield from sim.message_step(TextPlan(pieces))
    yield from sim.complete()


def annotated(sim: RunSimulation) -> Items:
    """A reply citing a generated file (file_path) and two uploaded files (file_citation)."""
    csv_file = sim.ids.new("file-")
    cited = [sim.ids.new("file-"), sim.ids.new("file-")]
    pieces: list[str] = []
    marks: dict[int, list[JsonObject]] = {}
    length = 0

    def add(words: str) -> None:
        nonlocal length
        for piece in split_tokens(words):
            pieces.append(piece)
            length += len(piece)

    def annotate(marker: str, annotation: JsonObject) -> None:
        nonlocal length
        annotation.update({"text": marker, "start_index": length, "end_index": length + len(marker)})
        marks[len(pieces)] = [{"index": len(marks), **annotation}]
        pieces.append(marker)
        length += len(marker)

    add(content.ANNOTATED_BEFORE)
    annotate(content.ANNOTATED_PATH, {"type": "file_path", "file_path": {"file_id": csv_file}})
    add(content.ANNOTATED_MIDDLE)
    annotate(
        "\u30104:0\u2020data_dictionary.md\u3011",
        {"type": "file_citation", "file_citation": {"file_id": cited[0], "quote": ""}},
    )
    add(content.ANNOTATED_AFTER)
    annotate(
        "\u30104:1\u2020notes.txt\u3011",
        {"type": "file_citation", "file_citation": {"file_id": cited[1], "quote": ""}},
    )
    add(content.ANNOTATED_END)
    _reorder_annotation_keys(marks)
    yield from sim.start()
    yield from sim.message_step(TextPlan(pieces, marks))
    yield from sim.complete()


def _reorder_annotation_keys(marks: dict[int, list[JsonObject]]) -> None:
    """index, type, text, start_index, end_index, then the payload: the API's key order."""
    order = ("index", "type", "text", "start_index", "end_index")
    for group in marks.values():
        for position, annotation in enumerate(group):
            ordered = {key: annotation[key] for key in order}
            ordered.update({k: v for k, v in annotation.items() if k not in order})
            group[position] = ordered


def file_search(sim: RunSimulation) -> Items:
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
    citation = {
        "index": 0,
        "type": "file_citation",
        "text": marker,
        "start_index": start,
        "end_index": start + len(marker),
        "file_citation": {"file_id": file_id, "quote": ""},
    }
    marks = {len(pieces): [citation]}
    pieces += [marker, *split_tokens(content.FILE_SEARCH_ANSWER_AFTER)]
    yield from sim.start()
    yield from sim.file_search_step([result])
    yield from sim.message_step(TextPlan(pieces, marks))
    yield from sim.complete()


def code_interpreter(sim: RunSimulation) -> Items:
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


def tool_call(sim: RunSimulation) -> Items:
    yield from _function_calls(sim, count=1)


def parallel_tools(sim: RunSimulation) -> Items:
    yield from _function_calls(sim, count=2)


def _function_calls(sim: RunSimulation, *, count: int) -> Items:
    functions = [tool["function"] for tool in sim.run["tools"] if tool.get("type") == "function"]
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


def incomplete(sim: RunSimulation) -> Items:
    limit = sim.run["max_completion_tokens"] or 16
    pieces = split_tokens(content.TRUNCATED_REPLY)[:limit]
    yield from sim.start()
    yield from sim.message_step(TextPlan(pieces), ending="incomplete")
    yield from sim.complete_incomplete()


def _interrupted(sim: RunSimulation) -> Items:
    yield from sim.start()
    yield from sim.message_step(
        TextPlan(split_tokens(content.INTERRUPTED_REPLY)), stop_after=_DELTAS_BEFORE_INTERRUPTION
    )


def failed(sim: RunSimulation) -> Items:
    yield from _interrupted(sim)
    yield from sim.fail()


def cancelled(sim: RunSimulation) -> Items:
    """As if another client cancelled the run while it streamed."""
    yield from _interrupted(sim)
    yield from sim.cancel()


def expired(sim: RunSimulation) -> Items:
    yield from _interrupted(sim)
    yield from sim.expire()


def error(sim: RunSimulation) -> Items:
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
    tagged = _SCENARIO_TAG.search(user_text)
    scenario = (
        run_metadata.get(SCENARIO_KEY)
        or (tagged.group(1) if tagged else None)
        or assistant_metadata.get(SCENARIO_KEY)
        or default_scenario
    )
    tagged_deltas = _DELTAS_TAG.search(user_text)
    deltas_text = (
        run_metadata.get(DELTAS_KEY)
        or (tagged_deltas.group(1) if tagged_deltas else None)
        or assistant_metadata.get(DELTAS_KEY)
    )
    deltas = int(deltas_text) if deltas_text else default_deltas
    return scenario, deltas
