"""Reading a Tortoise instance into plain data, and fetching the relations that needs."""
from __future__ import annotations

from typing import Any, Iterator

from tortoise.models import Model


def _relations(cls: Any) -> Iterator[tuple[str, str, Any]]:
    return ((name, kind, child) for name, kind, child in cls._tortoise_entries if kind in ("one", "many"))


def _is_fetched(obj: Model, name: str, kind: str) -> bool:
    value = getattr(obj, name)
    if kind == "one":  # a fetched FK/O2O is the instance (or None); otherwise a query
        return value is None or isinstance(value, Model)
    return value._fetched


def _related(obj: Model, name: str, kind: str) -> list[Model]:
    value = getattr(obj, name)
    if kind == "one":
        return [] if value is None else [value]
    return list(value.related_objects)


def prefetch_paths(cls: Any) -> list[str]:
    """Every relation path ("events", "events__participants", …) that ``cls`` nests."""
    paths = []
    for name, _kind, child in _relations(cls):
        paths.append(name)
        paths.extend(f"{name}__{path}" for path in prefetch_paths(child))
    return paths


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
            paths = [name, *(f"{name}__{path}" for path in prefetch_paths(child))]
            await model.fetch_for_list(instances, *paths)


def _not_fetched(obj: Model, name: str) -> ValueError:
    return ValueError(
        f"{type(obj).__name__}.{name} was not fetched; use from_tortoise_orm()/from_queryset(), "
        "fetch_related() or prefetch_related() before validating the instance"
    )


def instance_data(cls: Any, obj: Model) -> dict[str, Any]:
    """The values of ``obj`` that ``cls`` holds, nested relations as dicts and lists."""
    data: dict[str, Any] = {}
    for name, kind, child in cls._tortoise_entries:
        value = getattr(obj, name)
        if kind == "computed":
            value = value() if callable(value) else value
        elif kind == "one":
            if value is not None:
                if not isinstance(value, Model):
                    raise _not_fetched(obj, name)
                value = instance_data(child, value)
        elif kind == "many":
            if not value._fetched:
                raise _not_fetched(obj, name)
            value = [instance_data(child, item) for item in value.related_objects]
        data[name] = value
    return data
