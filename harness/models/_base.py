"""The base every payload model shares: keep everything, coerce nothing, never fail on a field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationError,
    model_validator,
)


class HarnessModel(BaseModel):
    """A lenient, lossless view of one JSON object of the Assistants API.

    * Unknown keys are kept (``extra="allow"``) and dumped back, after the
      declared fields (which follow the API's own key order).
    * Validation is strict, so no value is ever coerced (``"1"`` never becomes
      ``1``, ``1`` never becomes ``1.0``): what validates dumps back unchanged.
    * Every field is optional. A value whose JSON type does not fit its field
      does not fail validation: the field stays unset, the raw value is kept
      among the extras under its own key (so dumps still reproduce it), and
      :attr:`invalid_fields` records why. :mod:`harness.models.conformance`
      turns that into a ``reference-deviation`` diagnostic.

    Dump with :meth:`to_dict` / :meth:`to_json` (``exclude_unset=True``):
    absent keys stay absent and explicit ``null`` stays ``null``. (A plain
    ``model_dump_json()`` would also write every unset field as ``null``, and
    a kept ill-typed value twice: as that ``null`` and as the raw value.)
    """

    model_config = ConfigDict(extra="allow", strict=True, protected_namespaces=())

    #: True on the catch-all models used for an unknown ``type`` value.
    generic: ClassVar[bool] = False

    _invalid: dict[str, str] | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_invalid_values(
        cls, data: Any, handler: ModelWrapValidatorHandler[HarnessModel]
    ) -> HarnessModel:
        try:
            return handler(data)
        except ValidationError as exc:
            if not isinstance(data, dict):
                raise
            reasons: dict[str, str] = {}
            for error in exc.errors(include_url=False):
                location = error["loc"]
                if location and isinstance(location[0], str) and location[0] in data:
                    reasons.setdefault(location[0], error["msg"])
            if not reasons:
                raise
            model = handler({key: value for key, value in data.items() if key not in reasons})
            extra = model.__pydantic_extra__
            assert extra is not None  # extra="allow" always gives a dict
            for key in reasons:
                extra[key] = data[key]
            model._invalid = reasons
            return model

    @property
    def invalid_fields(self) -> dict[str, str]:
        """Fields of this object (not nested ones) whose value did not fit: name -> reason."""
        return dict(self._invalid or {})

    @property
    def unknown_keys(self) -> list[str]:
        """Keys of this object (not nested ones) that no field declares, in input order."""
        extra = self.__pydantic_extra__ or {}
        invalid = self._invalid or {}
        return [key for key in extra if key not in invalid]

    def to_dict(self) -> dict[str, Any]:
        """The JSON value this object was loaded from (plus any changes made since)."""
        return self.model_dump(mode="json", exclude_unset=True)

    def to_json(self) -> str:
        """Compact JSON; for objects loaded from real streams, the exact bytes of the ``data:`` line."""
        return self.model_dump_json(exclude_unset=True)


UNKNOWN_TAG = "unknown"


def tag_by_type(*known: str) -> Callable[[Any], str]:
    """A pydantic discriminator: the object's ``type`` if it is one of ``known``, else ``"unknown"``.

    Unions use it with a catch-all member tagged ``"unknown"``, so a ``type``
    the reference does not list (a v1 ``retrieval``, a future content part)
    still loads, into a generic model that keeps every key.
    """
    names = frozenset(known)

    def tag(value: Any) -> str:
        kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
        return kind if isinstance(kind, str) and kind in names else UNKNOWN_TAG

    return tag
