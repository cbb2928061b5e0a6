"""``Field.deconstruct()``: the import path and arguments that rebuild a field.

Migration files write fields out as constructor calls (``IntField(db_default=42)``), so
a field must say how it was made.  Fields keep their options as attributes named like
their constructor parameters; only the options that differ from the constructor's
defaults are returned, which keeps written migrations short and stable.
"""
from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.base import Field

#: parameters the common options below handle, deprecated aliases of them, and those that
#: never go into a migration file
_SKIPPED = {"self", "args", "kwargs", "model", "validators", "primary_key", "generated", "null", "default",
            "unique", "db_index", "description", "source_field", "create_unique_index"}


def _common(field: "Field") -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if field.pk:
        kwargs["primary_key"] = True
    if field.generated != bool(field.pk and field.allows_generated):
        kwargs["generated"] = field.generated
    if field.null:
        kwargs["null"] = True
    if field.default is not None:
        kwargs["default"] = field.default
    if field.unique and not field.pk:
        kwargs["unique"] = True
    if field.index:
        kwargs["db_index"] = True
    if field.description is not None:
        kwargs["description"] = field.description
    if field.source_field and field.source_field != field.model_field_name:
        kwargs["source_field"] = field.source_field
    if field.has_db_default():
        kwargs["db_default"] = field.db_default
    return kwargs


def _own_options(field: "Field") -> dict[str, Any]:
    """The class-specific constructor options (max_length, enum_type, model_name …)."""
    kwargs: dict[str, Any] = {}
    own = vars(field)
    for cls in type(field).__mro__:
        init = cls.__dict__.get("__init__")
        if init is None:
            continue
        for name, param in inspect.signature(init).parameters.items():
            if name in _SKIPPED or name in kwargs or name not in own:
                continue
            value = own[name]
            if name == "model_name" and hasattr(value, "_meta"):  # a model class: its "app.Model" name
                value = f"{value._meta.app}.{value.__name__}"
            if param.default is inspect.Parameter.empty or value != param.default:
                kwargs[name] = value
    if kwargs.get("auto_now"):  # auto_now implies auto_now_add; both together are refused
        kwargs.pop("auto_now_add", None)
    return kwargs


def deconstruct(field: "Field") -> tuple[str, list[Any], dict[str, Any]]:
    """``(path, args, kwargs)`` such that ``import_string(path)(*args, **kwargs)`` is an equal field."""
    cls = type(field)
    return f"{cls.__module__}.{cls.__qualname__}", [], {**_own_options(field), **_common(field)}
