"""Class names of generated models, the same as Tortoise 1.x gives them.

The names are observable: pydantic turns them into the ``$defs`` keys of JSON schemas
(``Address_zwygvk_leaf``), which applications snapshot in their OpenAPI documents. A
name is the model's ``module.qualname``; a nested model, or one made with options, adds
a six-letter digest of the generated shape, and a nested one ends in ``:leaf``.

The digest is taken over a text that lists, in field order, each field with the type
Tortoise annotates it with (``name:<class 'str'>``, ``reporter:<class '…Reporter:…:leaf'> |
None``, ``talks_to:list[…]``, ``name_length:computed``), then the nested models by
relation, the ``optional`` names, ``allow_cycles``, ``exclude_readonly`` and the
``computed`` option: two shapes that differ in any of these get different names.
"""
from __future__ import annotations

import typing
from base64 import b32encode
from dataclasses import dataclass, field
from hashlib import sha3_224
from typing import Any

#: what stands for a computed value in the digested text
COMPUTED = "computed"


@dataclass
class Shape:
    """What a generated class's name is derived from, collected while its fields are built."""

    model: Any
    #: (field name, annotation Tortoise gives it, or COMPUTED), in the class's field order
    entries: list[tuple[str, Any]] = field(default_factory=list)
    #: (relation name, class name of the nested model)
    nested: list[tuple[str, str]] = field(default_factory=list)
    #: the ``optional`` argument, as written
    optional: str = "()"
    allow_cycles: bool = False
    exclude_readonly: bool = False
    computed: tuple[str, ...] = ()

    def digest(self) -> str:
        model = self.model
        fields_text = [f"{name}:{kind}" for name, kind in self.entries]
        text = (
            f"{model.__module__}.{model.__qualname__};{fields_text};{self.nested};{self.optional};"
            f"{self.allow_cycles};{self.exclude_readonly};{self.computed}"
        )
        return b32encode(sha3_224(text.encode("utf-8")).digest()).decode("ascii").lower()[:6]


def class_name(shape: Shape, given: str | None, with_options: bool, leaf: bool) -> str:
    """``given`` if any; else ``module.qualname``, with ``:digest`` when options shaped the
    class or it is nested, and ``:leaf`` when it is nested."""
    if given:
        return given
    model = shape.model
    name = f"{model.__module__}.{model.__qualname__}"
    if with_options or leaf:
        name = f"{name}:{shape.digest()}"
    return f"{name}:leaf" if leaf else name


def or_none(annotation: Any) -> Any:
    """``annotation | None`` (``X | None`` spells the union as Tortoise's digest text does)."""
    try:
        return annotation | None
    except TypeError:
        return typing.Optional[annotation]


def declared_annotations(model: Any) -> dict[str, Any]:
    """The model's annotations as Tortoise reads them for the digest: every class's
    annotations resolved with the registered models in scope, or, when one cannot be
    resolved, the model's own annotations as written."""
    from tortoise import Tortoise

    scope: dict[str, Any] = {}
    for app_models in (Tortoise.apps or {}).values():
        scope.update(app_models)
    try:
        return typing.get_type_hints(model, localns=scope)
    except Exception:
        return dict(getattr(model, "__annotations__", {}))
