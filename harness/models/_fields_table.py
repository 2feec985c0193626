"""The static table of known fields (:mod:`harness.protocols.assistants_fields`), generated from the models.

Reconstruction checks its final objects for unknown fields and types without building pydantic
models (that import alone costs more than folding a long stream): it walks the JSON with this table.
``python -m harness.models._fields_table`` rewrites the table; a test keeps it in step with the models.
"""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path
from typing import Any, Union

from pydantic import Discriminator

from harness.models import Message, Run, RunStep, Thread
from harness.models._base import UNKNOWN_TAG, HarnessModel

TABLE_PATH = Path(__file__).resolve().parents[1] / "protocols" / "assistants_fields.py"
ROOTS: dict[str, type[HarnessModel]] = {"run": Run, "run step": RunStep, "message": Message, "thread": Thread}

Spec = Any  # None (a leaf), "Model", ["list", spec], ["any", [spec, ...]], ["tagged", {tag: "Model"}]


def _spec(annotation: Any, metadata: list[Any], models: dict[str, Any]) -> Spec:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        return _spec(inner, [*metadata, *extra], models)
    if isinstance(annotation, type) and issubclass(annotation, HarnessModel):
        _add(annotation, models)
        return annotation.__name__
    if origin is list:
        (item,) = typing.get_args(annotation)
        inner = _spec(item, [], models)
        return None if inner is None else ["list", inner]
    if origin in (Union, types.UnionType):
        members = [member for member in typing.get_args(annotation) if member is not type(None)]
        if any(isinstance(item, Discriminator) for item in metadata):
            tags: dict[str, str] = {}
            for member in members:
                model: type[HarnessModel] = typing.get_args(member)[0]
                tag = typing.get_args(member)[1].tag
                _add(model, models)
                tags[tag] = model.__name__
            return ["tagged", tags]
        specs = [spec for spec in (_spec(member, [], models) for member in members) if spec is not None]
        if not specs:
            return None
        return specs[0] if len(specs) == 1 else ["any", specs]
    return None


def _add(model: type[HarnessModel], models: dict[str, Any]) -> None:
    if model.__name__ in models:
        return
    entry: dict[str, Any] = {}
    models[model.__name__] = entry  # before the fields: models may nest themselves
    fields = {}
    for name, info in model.model_fields.items():
        fields[name] = _spec(info.annotation, list(info.metadata), models)
    entry["generic"] = model.generic
    entry["fields"] = fields


def table() -> tuple[dict[str, str], dict[str, Any]]:
    models: dict[str, Any] = {}
    for model in ROOTS.values():
        _add(model, models)
    return {kind: model.__name__ for kind, model in ROOTS.items()}, models


def source() -> str:
    roots, models = table()
    lines = [
        '"""Known fields of the Assistants objects, for the unknown-field check of reconstruction.',
        "",
        "Generated from harness.models by ``python -m harness.models._fields_table``; do not edit.",
        "Each model: ``generic`` (a catch-all for an unknown ``type``) and ``fields`` in declaration",
        'order, each a spec: None (a leaf), a model name, ``["list", spec]``, ``["any", [specs]]``',
        f'(the first model fits an object) or ``["tagged", {{type: model}}]`` ({UNKNOWN_TAG!r}: any',
        'other type)."""',
        "",
        "from typing import Any",
        "",
        f"ROOTS: dict[str, str] = {roots!r}",
        "",
        "MODELS: dict[str, Any] = {",
    ]
    for name, entry in models.items():
        lines.append(f"    {name!r}: {entry!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    TABLE_PATH.write_text(source())
    sys.stdout.write(f"wrote {TABLE_PATH}\n")
