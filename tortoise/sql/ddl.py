"""DDL helpers shared by ``generate_schemas()`` and migrations: constraint names and the
dependency order of models.  The statements themselves come from
``tortoise.sql.schema_editor``."""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model


def constraint_name(prefix: str, table: str, columns: Iterable[str], limit: int = 60) -> str:
    """A stable, length-limited name for an index or constraint."""
    cols = list(columns)
    name = f"{prefix}_{table}_{'_'.join(cols)}"
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{prefix}_{table[:limit - len(prefix) - 10]}_{digest}"


def order_by_dependencies(models: list["type[Model]"]) -> list["type[Model]"]:
    """Models ordered so that FK targets come first (cycles fall back to given order)."""
    remaining = list(models)
    ordered: list[Any] = []
    placed: set[Any] = set()
    while remaining:
        progress = False
        for model in list(remaining):
            meta = model._meta
            deps = {
                meta.fields_map[n].related_model for n in meta.fk_fields | meta.o2o_fields
            } - {model}
            if all(dep in placed or dep not in remaining for dep in deps):
                ordered.append(model)
                placed.add(model)
                remaining.remove(model)
                progress = True
        if not progress:
            ordered.append(remaining.pop(0))
            placed.add(ordered[-1])
    return ordered


def pk_column_field(meta: Any) -> Any:
    """The data field holding a model's key (a one-to-one primary key keeps it in its id field)."""
    pk = meta.pk
    return meta.fields_map[pk.source_field_name] if pk.relation_kind else pk
