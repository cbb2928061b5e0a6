"""Checks of what ``pydantic_model_creator`` is given: errors name the model and the field."""
from __future__ import annotations

import inspect
import re
import warnings
from typing import Any

from tortoise.exceptions import ConfigurationError
from tortoise.warnings import TortoiseWarning


#: between the steps of an include/exclude path: "events__participants" or, as Tortoise 1.x
#: writes it, "events.participants"
PATH_SEPARATOR = re.compile(r"__|\.")


def check_model(cls: Any) -> None:
    from tortoise.models import Model

    if not (isinstance(cls, type) and issubclass(cls, Model)):
        raise ConfigurationError(f"pydantic_model_creator needs a Tortoise model class, got {cls!r}")
    if cls._meta.abstract:
        raise ConfigurationError(f"pydantic_model_creator: {cls.__name__} is abstract and has no table")


def name_tuple(value: Any, option: str) -> tuple[str, ...]:
    """``include``/``exclude``/``computed``/``optional`` as a tuple of names (a str is one name)."""
    if isinstance(value, str):
        return (value,)
    result = tuple(value or ())
    if not all(isinstance(n, str) for n in result):
        raise ConfigurationError(f"pydantic_model_creator: {option} must contain field names (str), got {value!r}")
    return result


def check_paths(model: Any, paths: tuple[str, ...], option: str, computed: tuple[str, ...]) -> None:
    """Every name in ``include``/``exclude`` is a field (or computed value) of the model it reaches.

    A wrong ``include`` is an error.  A wrong ``exclude`` is a ``TortoiseWarning``: Tortoise
    accepts such names (one exclude list is often shared by several models), and leaving out
    a field that does not exist changes nothing."""
    for path in paths:
        problem = _path_problem(model, path, option, computed)
        if problem is None:
            continue
        if option == "exclude":
            warnings.warn(f"{problem} (nothing is excluded for it)", TortoiseWarning, stacklevel=4)
        else:
            raise ConfigurationError(problem)


def _path_problem(model: Any, path: str, option: str, computed: tuple[str, ...]) -> str | None:
    current = model
    parts = PATH_SEPARATOR.split(path)
    for i, part in enumerate(parts):
        field_obj = current._meta.fields_map.get(part)
        if field_obj is None:
            if i == 0 and part in computed and len(parts) == 1:
                return None
            known = ", ".join(current._meta.fields_map)
            return (
                f"pydantic_model_creator({model.__name__}): {option} names '{path}', but "
                f"{current.__name__} has no field '{part}'; its fields are: {known}"
            )
        if i < len(parts) - 1:
            if field_obj.relation_kind is not None and field_obj.related_model is None:
                return None  # not resolved before Tortoise.init: nothing to check against
            if field_obj.relation_kind is None:
                return (
                    f"pydantic_model_creator({model.__name__}): {option} path '{path}' goes through "
                    f"{current.__name__}.{part}, which is not a relation"
                )
            current = field_obj.related_model
    return None


def check_computed(model: Any, names: tuple[str, ...]) -> None:
    for name in names:
        try:
            inspect.getattr_static(model, name)
        except AttributeError:
            raise ConfigurationError(
                f"pydantic_model_creator({model.__name__}): computed names '{name}', which is not a "
                f"method or property of {model.__name__}"
            ) from None
