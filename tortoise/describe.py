"""Model.describe() and Model.check()."""
from __future__ import annotations

from typing import Any

from tortoise.exceptions import ConfigurationError


def describe_model(model: Any, serializable: bool = True) -> dict[str, Any]:
    meta = model._meta

    def group(names: set[str]) -> list[dict[str, Any]]:
        return [meta.fields_map[n].describe(serializable) for n in sorted(names)]

    relational = meta.fetch_fields
    data = [
        f.describe(serializable)
        for name, f in meta.fields_map.items()
        if f.relation_kind is None and not f.pk
    ]
    return {
        "name": f"{meta.app}.{model.__name__}",
        "app": meta.app,
        "table": meta.db_table,
        "abstract": meta.abstract,
        "description": meta.table_description or None,
        "docstring": (model.__doc__ or "").strip() or None,
        "unique_together": [list(g) for g in meta.unique_together],
        "indexes": [list(getattr(i, "fields", i)) for i in meta.indexes],
        "pk_field": meta.pk.describe(serializable),
        "data_fields": data,
        "fk_fields": group(meta.fk_fields),
        "backward_fk_fields": group(meta.backward_fk_fields),
        "o2o_fields": group(meta.o2o_fields),
        "backward_o2o_fields": group(meta.backward_o2o_fields),
        "m2m_fields": group(meta.m2m_fields),
        "relational_fields": sorted(relational),
    }


def check_model(model: Any) -> None:
    meta = model._meta
    for group in meta.unique_together:
        for name in group:
            if name not in meta.fields_map:
                raise ConfigurationError(f"{model.__name__}.Meta.unique_together names unknown field '{name}'")
    for index in meta.indexes:
        names = getattr(index, "fields", index)
        for name in (names,) if isinstance(names, str) else names:
            if name not in meta.fields_map:
                raise ConfigurationError(
                    f"{model.__name__}.Meta.indexes names unknown field '{name}'; fields are: {', '.join(meta.fields_map)}"
                )


def check_ordering(model: Any) -> None:
    """Meta.ordering names fields (checked at the first query, as Tortoise does)."""
    meta = model._meta
    for name in meta.ordering:
        if name.lstrip("-+") not in meta.fields_map and name.lstrip("-+") != "pk":
            raise ConfigurationError(
                f"{model.__name__}.Meta.ordering names unknown field '{name}'; fields are: {', '.join(meta.fields_map)}"
            )
