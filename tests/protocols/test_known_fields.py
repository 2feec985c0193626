"""The unknown-field check of reconstruction (a static table, no pydantic) agrees with the models."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.diagnostics import Diagnostic
from harness.models import Message, Run, RunStep, Thread, reference_deviations, unknown_fields
from harness.models._fields_table import table
from harness.protocols import assistants_fields
from harness.reconstruct import reconstruct
from harness.reconstruct.unknown import unknown_in_final_objects
from harness.sse import parse_sse
from tests.reconstruct.corpus import CORPUS_FILES

MODELS: dict[str, Any] = {"run": Run, "run step": RunStep, "message": Message, "thread": Thread}


def by_models(kind: str, data: dict[str, Any]) -> list[tuple[str, str | None]]:
    """What the pydantic models find: unknown fields, then unknown types (code, path)."""
    model = MODELS[kind].model_validate(data)
    found: list[tuple[str, str | None]] = [("unknown-field", path) for path in unknown_fields(model)]
    found += [(d.code, d.path) for d in reference_deviations(model) if d.code == "unknown-type"]
    return found


def by_table(kind: str, data: dict[str, Any]) -> list[tuple[str, str | None]]:
    found: list[Diagnostic] = unknown_in_final_objects([(kind, [data])])
    return [(d.code, d.path) for d in found]


def test_the_table_is_generated_from_the_models() -> None:
    roots, models = table()
    assert roots == assistants_fields.ROOTS
    assert models == assistants_fields.MODELS, "run: python -m harness.models._fields_table"


def final_objects() -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for path in CORPUS_FILES:
        transcript = reconstruct(parse_sse(path.read_bytes()))
        found += [("run", run) for run in transcript.runs]
        found += [("run step", step) for step in transcript.run_steps]
        found += [("message", message) for message in transcript.messages]
    return found


FINAL_OBJECTS = final_objects()


@pytest.mark.parametrize("index", range(0, len(FINAL_OBJECTS), 7))
def test_real_objects_agree(index: int) -> None:
    kind, data = FINAL_OBJECTS[index]
    assert by_table(kind, data) == by_models(kind, data)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for position, value in enumerate(node):
            found += _paths(value, (*path, position))
    return found


ODD_VALUES: st.SearchStrategy[Any] = st.sampled_from(
    [None, 1, "x", [], {}, [1], [{}], {"type": "mystery"}, {"surprise": 1}]
)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_edited_objects_agree(data: st.DataObject) -> None:
    """Unknown keys added, values replaced by ones of another JSON type, unknown `type`s."""
    kind, original = data.draw(st.sampled_from(FINAL_OBJECTS), label="object")
    edited = copy.deepcopy(original)
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        paths = _paths(edited)
        where = data.draw(st.sampled_from(paths), label="where")
        node: Any = edited
        for step in where[:-1]:
            node = node[step]
        value = copy.deepcopy(data.draw(ODD_VALUES, label="value"))
        if where and isinstance(node, dict | list):
            node[where[-1]] = value
        elif isinstance(edited, dict):
            edited["surprise"] = value
    assert by_table(kind, edited) == by_models(kind, edited)
