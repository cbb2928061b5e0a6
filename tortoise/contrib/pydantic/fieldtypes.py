"""The pydantic annotation and ``Field(...)`` arguments of one Tortoise field or computed value."""
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
    WithJsonSchema({"anyOf": [{"type": t} for t in ("object", "array", "string", "number", "boolean")]}),
]
_DOC_COMMENT = re.compile(r"^\s*#:\s?(.*)$")
_ASSIGNMENT = re.compile(r"^\s*(\w+)\s*[:=]")


def python_type(field: Field, hint: Any = None) -> Any:
    """The type pydantic validates values of ``field`` with; ``hint`` is the model's own annotation."""
    if hint is not None:
        return hint
    if isinstance(field, JSONField):
        return _JSON if getattr(field, "_adapter", None) is None else field.field_type
    field_type = field.field_type
    if not isinstance(field_type, type):  # e.g. a tuple of accepted types
        return Any
    return field_type


def is_read_only(field: Field) -> bool:
    """Set by the database or the ORM, never by a client: keys that are generated or have a
    default (Tortoise leaves every key out of an input model; one the client must give stays
    here), auto_now(_add). Input models (``exclude_readonly``) leave these out."""
    return (field.pk and (field.generated or field.has_default())) or bool(field.constraints.get("readOnly"))


def as_description(text: str | None) -> str | None:
    """A description as Tortoise writes it into schemas: line breaks as ``<br/>``."""
    text = (text or "").replace("\n", "<br/>").strip()
    return text or None


def data_field(field: Field, description: str | None, optional: bool, hint: Any = None) -> tuple[Any, FieldInfo]:
    """``(annotation, FieldInfo)`` for a column: nullability, default, constraints, description.

    As in Tortoise, only a constant default makes a field optional (a callable one is
    computed at save time, so an output model always has the value), the field's value
    constraints apply whatever the annotation, and only auto timestamps are read-only in
    the schema (a key is a value like the others once the row exists)."""
    annotation = python_type(field, hint)
    kwargs: dict[str, Any] = {"description": as_description(description), "title": _title(field)}
    extra: dict[str, Any] = {}
    constraints = dict(field.constraints)
    if constraints.pop("readOnly", False):
        extra["readOnly"] = True
    kwargs.update({k: v for k, v in constraints.items() if k in ("ge", "le", "max_length")})
    if annotation is Decimal:
        kwargs["max_digits"] = getattr(field, "max_digits", None)
        kwargs["decimal_places"] = getattr(field, "decimal_places", None)
    if field.null:
        extra["nullable"] = True
    if optional or field.null:
        annotation = Optional[annotation]
        kwargs["default"] = None
    elif field.has_default() and not callable(field.default) and not is_read_only(field):
        kwargs["default"] = field.default
    return annotation, PydanticField(json_schema_extra=extra or None, **kwargs)


def _title(field: Field) -> str:
    return field.model_field_name.replace("_", " ").title()


def relation_field(field: Field, annotation: Any, description: str | None, nullable: bool) -> tuple[Any, FieldInfo]:
    """A nested model (or list of them); a nullable one defaults to None."""
    kwargs: dict[str, Any] = {"description": as_description(description), "title": _title(field)}
    if nullable:
        return Optional[annotation], PydanticField(default=None, json_schema_extra={"nullable": True}, **kwargs)
    return annotation, PydanticField(**kwargs)


def computed_field(model: type, name: str) -> tuple[Any, FieldInfo] | None:
    """A read-only field whose value is ``model.name()`` (or the property ``model.name``).

    None when the method has no return annotation: without one there is no schema to
    give, and Tortoise leaves such a value out as well."""
    member = inspect.getattr_static(model, name)
    func = member.fget if isinstance(member, property) else member
    func = getattr(func, "__func__", func)  # staticmethod / classmethod
    if "return" not in getattr(func, "__annotations__", {}):
        return None
    try:
        annotation = typing.get_type_hints(func)["return"]
    except Exception:  # an unresolvable forward reference: accept any value
        annotation = Any
    doc = as_description(inspect.getdoc(func)) if func.__doc__ else None
    return annotation, PydanticField(description=doc, json_schema_extra={"readOnly": True})


@functools.lru_cache(maxsize=None)
def model_hints(model: type) -> dict[str, Any]:
    """Annotations written on the model's classes (``st: Literal["a", "b"] = CharField(...)``)
    that are plain types, not Tortoise's relation hints; unresolvable ones are skipped."""
    from tortoise.models import Model

    hints: dict[str, Any] = {}
    for klass in reversed(model.__mro__):
        if not issubclass(klass, Model) or klass is Model:
            continue
        module = inspect.getmodule(klass)
        for name, raw in vars(klass).get("__annotations__", {}).items():
            try:
                hint = typing.get_type_hints(
                    type("_", (), {"__annotations__": {name: raw}}), vars(module) if module else None
                )[name]
            except Exception:
                continue
            hints[name] = hint
    return hints


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
                comments[assigned.group(1)] = "\n".join(pending)
            pending = []
    return comments
