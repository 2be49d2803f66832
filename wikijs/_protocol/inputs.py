"""The base of the SDK's input models (``PageCreate``, ``UserUpdate``, …). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from ..errors import InvalidArgumentError, ValidationError
from . import validation as v

M = TypeVar("M", bound="InputModel")


class InputModel(BaseModel):
    """Frozen, strict about unknown fields, and raising the SDK's ValidationError."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=False, use_attribute_docstrings=True
    )

    #: fields of an update model that may be set to ``None`` (meaning "clear")
    _nullable: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def build(cls: type[M], value: Any = None, /, **fields: Any) -> M:
        """Accept a model, a mapping, or keyword fields; raise our ValidationError."""
        if value is not None and fields:
            raise InvalidArgumentError(f"pass a {cls.__name__} or keyword fields, not both")
        if isinstance(value, cls):
            return value
        if value is None:
            data: Mapping[str, Any] = fields
        elif isinstance(value, Mapping):
            data = value
        else:
            raise InvalidArgumentError(
                f"expected {cls.__name__} or a mapping, not {type(value).__name__}"
            )
        import pydantic

        try:
            return cls.model_validate(dict(data))
        except pydantic.ValidationError as exc:
            raise _sdk_error(cls, exc) from None

    def __init__(self, /, **data: Any) -> None:
        import pydantic

        try:
            super().__init__(**data)
        except pydantic.ValidationError as exc:
            raise _sdk_error(type(self), exc) from None

    def changes(self) -> dict[str, Any]:
        """For update models: the fields that were set (``None`` only where it clears)."""
        out: dict[str, Any] = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            if value is None and name not in self._nullable:
                raise InvalidArgumentError(f"{name} cannot be set to None", field=name)
            out[name] = value
        if not out:
            raise InvalidArgumentError("give at least one field to change")
        return out


def _sdk_error(model: type[BaseModel], error: Any) -> ValidationError:
    """The SDK's error for a model's pydantic error (an SDK check inside keeps its field)."""
    first = error.errors()[0]
    original = (first.get("ctx") or {}).get("error")
    if isinstance(original, ValidationError):
        return original
    field = ".".join(str(p) for p in first["loc"]) or None
    return InvalidArgumentError(f"invalid {model.__name__}: {field}: {first['msg']}", field=field)


def split_update(item: Any, model: type[InputModel]) -> tuple[int, dict[str, Any]]:
    """One ``*_many`` update item — ``{"id": 7, field: value}`` or ``(7, Model | mapping)``
    — as its id and the changes it asks for."""
    if isinstance(item, tuple) and len(item) == 2:
        item_id, changes = item
        fields = model.build(changes).changes()
    elif isinstance(item, Mapping):
        rest = dict(item)
        item_id = rest.pop("id", None)
        fields = model.build(rest).changes()
    else:
        raise InvalidArgumentError(
            f"an update is {{'id': ..., field: value}} or (id, {model.__name__}), "
            f"not {type(item).__name__}"
        )
    return v.check_id(item_id, "id"), fields
