"""The pydantic annotation and ``Field(...)`` arguments of one Tortoise data field."""
from __future__ import annotations

import functools
import inspect
import re
import typing
from decimal import Decimal
from typing import Any, Optional

from pydantic import Field as PydanticField
from pydantic import JsonValue, WithJsonSchema
from pydantic.fields import FieldInfo

from tortoise.fields import Field, JSONField

#: any JSON document; described as such instead of pydantic's untyped ``{}``
_JSON = typing.Annotated[
    JsonValue,
    WithJsonSchema(
        {"anyOf": [{"type": t} for t in ("object", "array", "string", "number", "boolean")]}
    ),
]
_DOC_COMMENT = re.compile(r"^\s*#:\s?(.*)$")
_ASSIGNMENT = re.compile(r"^\s*(\w+)\s*(?::[^=]*)?=")


def python_type(field: Field) -> Any:
    """The type pydantic validates values of ``field`` with."""
    if isinstance(field, JSONField):
        return _JSON if getattr(field, "_adapter", None) is None else field.field_type
    field_type = field.field_type
    if not isinstance(field_type, type):  # e.g. a tuple of accepted types
        return Any
    return field_type


def is_read_only(field: Field) -> bool:
    """Set by the database or the ORM, never by a client: generated keys, auto_now(_add)."""
    return (field.pk and field.generated) or bool(field.constraints.get("readOnly"))


def data_field(field: Field, description: str | None, optional: bool) -> tuple[Any, FieldInfo]:
    """``(annotation, FieldInfo)`` for a column: nullability, default, constraints, description."""
    annotation = python_type(field)
    kwargs: dict[str, Any] = {"description": description}
    constraints = field.constraints
    if annotation is str and constraints.get("max_length"):
        kwargs["max_length"] = constraints["max_length"]
    if annotation is int:
        kwargs.update({k: constraints[k] for k in ("ge", "le") if k in constraints})
    if annotation is Decimal:
        kwargs["max_digits"] = getattr(field, "max_digits", None)
        kwargs["decimal_places"] = getattr(field, "decimal_places", None)
    if is_read_only(field):
        kwargs["json_schema_extra"] = {"readOnly": True}
    if optional or field.null:
        annotation = Optional[annotation]
        kwargs["default"] = None
    elif field.has_default() and not is_read_only(field):
        default = field.default
        if callable(default):
            kwargs["default_factory"] = default
        else:
            kwargs["default"] = default
    return annotation, PydanticField(**kwargs)


def computed_field(model: type, name: str) -> tuple[Any, FieldInfo]:
    """A read-only field whose value is ``model.name()`` (or the property ``model.name``)."""
    member = inspect.getattr_static(model, name)
    func = member.fget if isinstance(member, property) else member
    try:
        annotation = typing.get_type_hints(func).get("return", Any)
    except Exception:  # unresolvable forward references: accept any value
        annotation = Any
    doc = inspect.getdoc(func) if func.__doc__ else None
    return annotation, PydanticField(description=doc, json_schema_extra={"readOnly": True})


@functools.lru_cache(maxsize=None)
def doc_comments(model: type) -> dict[str, str]:
    """``#: text`` comments written above field assignments in the model's source (and its parents')."""
    from tortoise.models import Model

    comments: dict[str, str] = {}
    for klass in reversed(model.__mro__):
        if not issubclass(klass, Model) or klass is Model:
            continue
        try:
            lines = inspect.getsource(klass).splitlines()
        except (OSError, TypeError):
            continue
        pending: list[str] = []
        for line in lines:
            match = _DOC_COMMENT.match(line)
            if match:
                pending.append(match.group(1).strip())
                continue
            assigned = _ASSIGNMENT.match(line)
            if assigned and pending:
                comments[assigned.group(1)] = " ".join(pending)
            pending = []
    return comments


__all__ = ["computed_field", "data_field", "doc_comments", "is_read_only", "python_type"]
