"""The pydantic annotation and ``Field(...)`` arguments of one Tortoise field or computed value."""
from __future__ import annotations

import functools
import inspect
import operator
import re
import types
import typing
from decimal import Decimal
from typing import Any, Optional

from pydantic import Field as PydanticField
from pydantic import computed_field as pydantic_computed_field
from pydantic.fields import FieldInfo

from tortoise.exceptions import NoValuesFetched
from tortoise.fields import Field

_DOC_COMMENT = re.compile(r"^\s*#:\s?(.*)$")
_ASSIGNMENT = re.compile(r"^\s*(\w+)\s*[:=]")


def python_type(field: Field, hint: Any = None) -> Any:
    """The type pydantic validates values of ``field`` with; ``hint`` is the model's own annotation."""
    if hint is not None:
        return hint
    field_type = declared_type(field)
    return field_type if isinstance(field_type, (type, types.UnionType, types.GenericAlias)) else Any


def declared_type(field: Field) -> Any:
    """The Python type of ``field``'s values as Tortoise states it: the enum of an enum field,
    the union of several accepted types (``dict | list`` for a JSON document)."""
    field_type = getattr(field, "enum_type", None) or field.field_type
    if isinstance(field_type, tuple):
        return functools.reduce(operator.or_, field_type)
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


def computed_field(model: type, name: str) -> Any:
    """A pydantic computed field whose value is ``model.name()`` (or the property ``model.name``).

    As in Tortoise it is part of the serialized output and the serialization schema (read
    only, described by the docstring), not of the input. None when the method has no return
    annotation: without one there is no schema to give, and Tortoise leaves such a value
    out as well."""
    member = inspect.getattr_static(model, name)
    func = member.fget if isinstance(member, property) else member
    func = getattr(func, "__func__", func)  # staticmethod / classmethod
    if "return" not in getattr(func, "__annotations__", {}):
        return None
    try:
        annotation = typing.get_type_hints(func)["return"]
    except Exception:  # an unresolvable forward reference: accept any value
        annotation = Any

    def read(generated: Any) -> Any:
        return computed_value(generated, model, name)

    read.__name__ = read.__qualname__ = name
    description = as_description(inspect.cleandoc(func.__doc__ or "")) or ""
    return pydantic_computed_field(property(read), return_type=annotation, description=description)


def computed_value(generated: Any, model: type, name: str) -> Any:
    """The value of computed ``name`` for a generated instance: read from the Tortoise object
    it was validated from, else (built from plain data) computed on the instance itself."""
    source = generated._tortoise_source
    if source is None:
        member = inspect.getattr_static(model, name)
        if isinstance(member, property):
            return member.fget(generated)
        if isinstance(member, classmethod):
            return member.__func__(model)
        if isinstance(member, staticmethod):
            return member.__func__()
        return member(generated)
    try:
        value = getattr(source, name)
        return value() if callable(value) else value
    except NoValuesFetched as exc:
        raise NoValuesFetched(
            f"computed value {model.__name__}.{name} reads a relation that was not fetched: include the "
            "relation in the pydantic model (it is then fetched for you) or fetch_related() it first"
        ) from exc


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
