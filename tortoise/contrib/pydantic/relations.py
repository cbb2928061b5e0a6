"""Reading a Tortoise instance into plain data, and fetching the relations that needs."""
from __future__ import annotations

from typing import Any, Iterator

from tortoise.models import Model


def _relations(cls: Any) -> Iterator[tuple[str, str, Any]]:
    return ((name, kind, child) for name, kind, child in cls._tortoise_entries if kind in ("one", "many"))


def _fetched_one(value: Any) -> bool:
    """A fetched FK/O2O reads as the instance, or for no row as None or a falsy awaitable
    (Tortoise's ``NoneAwaitable``); an unfetched one reads as a query (always truthy)."""
    return isinstance(value, Model) or not value


def _is_fetched(obj: Model, name: str, kind: str) -> bool:
    value = getattr(obj, name)
    return _fetched_one(value) if kind == "one" else value._fetched


def _related(obj: Model, name: str, kind: str) -> list[Model]:
    value = getattr(obj, name)
    if kind == "one":
        return [value] if isinstance(value, Model) else []
    return list(value.related_objects)


def _paths(name: str, child: Any) -> list[str]:
    """Relation ``name`` and every path below it that ``child`` nests ("events__participants", …)."""
    return [name, *(f"{name}__{path}" for path in prefetch_paths(child))]


def prefetch_paths(cls: Any) -> list[str]:
    """Every relation path that ``cls`` nests, for ``prefetch_related``."""
    return [path for name, _kind, child in _relations(cls) for path in _paths(name, child)]


async def fetch_missing(cls: Any, instances: list[Model]) -> None:
    """Fetch, for all ``instances`` together, the relations of ``cls`` not fetched yet.

    A relation fetched on every instance is kept (and its own relations checked); any
    other is prefetched with everything nested below it, one query per relation level.
    """
    if not instances:
        return
    model = type(instances[0])
    for name, kind, child in _relations(cls):
        if all(_is_fetched(obj, name, kind) for obj in instances):
            await fetch_missing(child, [r for obj in instances for r in _related(obj, name, kind)])
        else:
            await model.fetch_for_list(instances, *_paths(name, child))


def _not_fetched(obj: Model, name: str) -> ValueError:
    return ValueError(
        f"{type(obj).__name__}.{name} was not fetched; use from_tortoise_orm()/from_queryset(), "
        "fetch_related() or prefetch_related() before validating the instance"
    )


def instance_data(cls: Any, obj: Model) -> dict[str, Any]:
    """The values of ``obj`` that ``cls`` validates: its columns, and its fetched related
    objects (which the nested classes read in turn); computed values are read when the
    model is serialized."""
    data: dict[str, Any] = {}
    for name, kind, _child in cls._tortoise_entries:
        if kind == "computed":
            continue
        value = getattr(obj, name)
        if kind == "one":
            if not _fetched_one(value):
                raise _not_fetched(obj, name)
            value = value or None
        elif kind == "many":
            if not value._fetched:
                raise _not_fetched(obj, name)
            value = list(value.related_objects)
        data[name] = value
    return data
