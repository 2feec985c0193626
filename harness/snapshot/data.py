"""Snapshotting plain data (dicts, lists, pydantic models such as the SDK's ``Run``) in amber form.

Models are written field by field, like dataclasses, so syrupy's ``exclude`` and
matchers address their fields by name. Volatile values are replaced by a matcher
that runs after the user's own, so a user matcher still sees the raw value
(``path_type({"created_at": (int,)})`` works).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from syrupy.extensions.amber.serializer import AmberDataSerializer, AmberDataSerializerPlugin, attr_getter
from syrupy.types import PropertyMatcher, PropertyPath, SerializableData

from harness.snapshot.placeholders import MASKED, Placeholder, Placeholders, is_masked, is_timestamp


def model_fields(model: BaseModel) -> list[str]:
    """Declared fields in declaration order, then extra fields the payload carried."""
    names = list(type(model).model_fields)
    names += [name for name in (model.model_extra or {}) if name not in names]
    return names


class ModelFieldsPlugin(AmberDataSerializerPlugin):
    """Writes a pydantic model as ``Run(id=..., status=..., ...)``, one field per line."""

    @classmethod
    def is_data_serializable(cls, data: SerializableData) -> bool:
        return isinstance(data, BaseModel)

    @classmethod
    def serialize(cls, data: SerializableData, **kwargs: Any) -> str:
        assert isinstance(data, BaseModel)
        return RunDataSerializer.serialize_custom_iterable(
            data=data, resolve_entries=(model_fields(data), attr_getter, None), separator="=", **kwargs
        )


class RunDataSerializer(AmberDataSerializer):
    VERSION = "1-run"
    serializer_plugins = (ModelFieldsPlugin,)


def _walk(value: Any, key: object = None) -> Iterator[tuple[object, Any]]:
    """(key, value) for every node, models included, in the order a reader meets them."""
    yield key, value
    if isinstance(value, BaseModel):
        for name in model_fields(value):
            yield from _walk(getattr(value, name, None), name)
    elif isinstance(value, dict):
        for child_key, child in value.items():
            yield from _walk(child, child_key)
    elif isinstance(value, list | tuple | set | frozenset):
        for child in value:
            yield from _walk(child)


def prepared_placeholders(data: Any, placeholders: Placeholders) -> Placeholders:
    """Number ids by first appearance and find the earliest timestamp, before serializing."""
    timestamps = []
    for key, value in _walk(data):
        if isinstance(key, str):
            placeholders.see_ids(key)
        if isinstance(value, str):
            placeholders.see_ids(value)
        elif is_timestamp(key, value):
            timestamps.append(value)
    placeholders.see_timestamps(timestamps)
    return placeholders


def normalizing_matcher(placeholders: Placeholders, user_matcher: PropertyMatcher | None) -> PropertyMatcher:
    def match(*, data: SerializableData, path: PropertyPath) -> SerializableData | None:
        if user_matcher is not None:
            replaced = user_matcher(data=data, path=path)
            if replaced is not data:
                return replaced
        key = path[-1][0] if path else None
        if is_masked(key, data):
            return Placeholder(MASKED)
        if isinstance(data, str):
            return placeholders.text(data)
        if is_timestamp(key, data):
            return placeholders.timestamp(data)
        return data

    return match
