"""Fields and types the models do not know, found in the final runs, steps, messages and threads.

Checked once on the final objects rather than on every event, so the fold stays
fast; everything is kept as sent either way, this only says so. The JSON is
walked with the static table of known fields (no pydantic model is built): it
finds what :func:`harness.models.unknown_fields` and the ``unknown-type`` check
of :func:`harness.models.reference_deviations` find.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.diagnostics import Diagnostic
from harness.protocols.assistants import UNKNOWN_FIELD, UNKNOWN_TYPE
from harness.protocols.assistants_fields import MODELS, ROOTS

_UNKNOWN_TAG = "unknown"


def unknown_in_final_objects(kinds: Sequence[tuple[str, Sequence[dict[str, Any]]]]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for kind, objects in kinds:
        root = ROOTS[kind]
        for data in objects:
            if type(data) is not dict:
                continue
            unknown: list[str] = []
            unknown_types: list[tuple[str, Any]] = []
            _walk(data, root, "", unknown, unknown_types)
            owner = f"{kind} {data.get('id')}"
            for path in unknown:
                found.append(
                    Diagnostic(
                        UNKNOWN_FIELD, f"{owner}: {path!r} is not a known field; kept as sent", path=path
                    )
                )
            for path, kind_value in unknown_types:
                found.append(
                    Diagnostic(
                        UNKNOWN_TYPE,
                        f"{owner}: type {kind_value!r} is not one the reference lists; kept as sent",
                        path=path or None,
                    )
                )
    return found


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _walk(
    data: dict[str, Any], model: str, path: str, unknown: list[str], unknown_types: list[tuple[str, Any]]
) -> None:
    entry = MODELS[model]
    fields: dict[str, Any] = entry["fields"]
    if entry["generic"]:
        kind = data.get("type")
        unknown_types.append((path, kind if type(kind) is str else None))
    else:
        unknown.extend(_join(path, key) for key in data if key not in fields)
    for name, spec in fields.items():
        if spec is not None and name in data:
            _walk_value(data[name], spec, _join(path, name), unknown, unknown_types)


def _walk_value(
    value: Any, spec: Any, path: str, unknown: list[str], unknown_types: list[tuple[str, Any]]
) -> None:
    model = _model_for(value, spec)
    if model is not None:
        _walk(value, model, path, unknown, unknown_types)
    elif type(spec) is list and spec[0] == "list" and type(value) is list and _fits(value, spec):
        for position, item in enumerate(value):
            _walk_value(item, spec[1], f"{path}[{position}]", unknown, unknown_types)
    elif type(spec) is list and spec[0] == "any" and type(value) is list:
        for option in spec[1]:
            if _fits(value, option):
                _walk_value(value, option, path, unknown, unknown_types)
                return


def _model_for(value: Any, spec: Any) -> str | None:
    """The model an object ``value`` loads into under ``spec``; None when it is not one."""
    if type(value) is not dict:
        return None
    if type(spec) is str:
        return spec
    if spec[0] == "tagged":
        tags: dict[str, str] = spec[1]
        kind = value.get("type")
        return tags.get(kind, tags[_UNKNOWN_TAG]) if type(kind) is str else tags[_UNKNOWN_TAG]
    if spec[0] == "any":
        for option in spec[1]:
            found = _model_for(value, option)
            if found is not None:
                return found
    return None


def _fits(value: Any, spec: Any) -> bool:
    """Whether ``value`` validates under ``spec`` as far as nesting goes (objects where models are)."""
    if type(spec) is str or spec[0] == "tagged":
        return type(value) is dict
    if spec[0] == "list":
        return type(value) is list and all(_fits(item, spec[1]) for item in value)
    return any(_fits(value, option) for option in spec[1])
