"""Model managers: ``Meta.manager`` and manager attributes (``all_objects = Manager()``).

A manager makes the querysets of its model; subclasses override ``get_queryset()`` to
pre-filter them or to return a QuerySet subclass.  Every other attribute is looked up on
that queryset, so ``Model.all_objects.filter(...)`` and ``.count()`` work.
"""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model
    from tortoise.queryset import QuerySet


class Manager:
    def __init__(self, model: "type[Model] | None" = None) -> None:
        self._model = model

    def bound(self, model: "type[Model]") -> "Manager":
        """This manager for ``model`` (a copy when it was declared on a parent class)."""
        if self._model is model:
            return self
        clone = copy.copy(self)
        clone._model = model
        return clone

    def get_queryset(self) -> "QuerySet":
        from tortoise.queryset import QuerySet

        return QuerySet(self._model)

    def __get__(self, obj: Any, owner: "type[Model]") -> "Manager":
        return self.bound(owner)

    def __getattr__(self, item: str) -> Any:
        if item.startswith("__") or item == "_model":
            raise AttributeError(item)
        return getattr(self.get_queryset(), item)

    def __repr__(self) -> str:
        model = getattr(self._model, "__name__", None)
        return f"<{type(self).__name__} for {model}>" if model else f"<{type(self).__name__}>"


__all__ = ["Manager"]
