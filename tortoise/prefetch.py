"""prefetch_related / fetch_related: load relations of many instances in one query each."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from tortoise.exceptions import FieldError, OperationalError
from tortoise.sql import statements as statements_sql
from tortoise.sql.cache import statements as statement_cache
from tortoise.sql.nodes import encoder_for

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model
    from tortoise.queryset import QuerySet


class Prefetch:
    """``Prefetch("posts", queryset=Post.filter(published=True), to_attr="published_posts")``."""

    def __init__(self, relation: str, queryset: "QuerySet", to_attr: str | None = None) -> None:
        self.relation, self.queryset, self.to_attr = relation, queryset, to_attr


async def prefetch_instances(model: "type[Model]", instances: list["Model"], specs: Sequence[Any], using_db: Any) -> None:
    """Load every relation named in ``specs`` ("posts", "comments__author", Prefetch(...))."""
    # (relation, to_attr) → [queryset, nested specs]: one relation may be loaded into
    # several attributes by Prefetch objects with different querysets
    tree: dict[tuple[str, str | None], list] = {}
    for spec in specs:
        if isinstance(spec, Prefetch):
            head, _, rest = spec.relation.partition("__")
            if head not in model._meta.fetch_fields:  # Tortoise raises OperationalError for these
                raise OperationalError(f"relation {head} for {model._meta.db_table} not found: {_relations_of(model)}")
            if rest:
                tree.setdefault((head, None), [None, []])[1].append(Prefetch(rest, spec.queryset, spec.to_attr))
            else:
                tree.setdefault((head, spec.to_attr), [None, []])[0] = spec.queryset
        else:
            head, _, rest = spec.partition("__")
            entry = tree.setdefault((head, None), [None, []])
            if rest:
                entry[1].append(rest)
    for (name, to_attr), (queryset, nested) in tree.items():
        field = model._meta.fields_map.get(name)
        if field is None:
            raise FieldError(f"Relation {name} for {model._meta.full_name} not found: {_relations_of(model)}")
        if field.relation_kind is None:
            raise FieldError(f"Field {name} on {model._meta.full_name} is not a relation: {_relations_of(model)}")
        related = await _LOADERS[field.relation_kind](field, instances, queryset, to_attr, using_db)
        if nested and related:
            await prefetch_instances(field.related_model, related, nested, using_db)


def _relations_of(model: "type[Model]") -> str:
    """The end of a prefetch error: what could have been named."""
    return f"the relations of {model.__name__} are: {', '.join(sorted(model._meta.fetch_fields)) or 'none'}"


def _base(field: Any, queryset: Any, using_db: Any, key: str) -> "QuerySet":
    """The queryset loading related objects; one restricted with only() also fetches
    ``key``, the attribute the objects are matched on."""
    qs = queryset if queryset is not None else field.related_model.all()
    if qs._only and key not in qs._only:
        qs = qs.only(*qs._only, key)
    return qs.using_db(using_db) if using_db is not None else qs


async def _forward(field: Any, instances: list, queryset: Any, to_attr: str | None, using_db: Any) -> list:
    to_name = field.to_field_instance.model_field_name
    keys = {i.__dict__.get(field.source_field_name) for i in instances} - {None}
    cache = to_attr or f"_{field.model_field_name}"
    if not keys:  # every relation is NULL: fetched, and None
        for inst in instances:
            inst.__dict__[cache] = None
        return []
    found = await _base(field, queryset, using_db, to_name).filter(**{f"{to_name}__in": list(keys)})
    by_key = {getattr(o, to_name): o for o in found}
    for inst in instances:
        inst.__dict__[cache] = by_key.get(inst.__dict__.get(field.source_field_name))
    return found


async def _backward(field: Any, instances: list, queryset: Any, to_attr: str | None, using_db: Any) -> list:
    owner_meta = field.model._meta
    key_attr = owner_meta.fields_db_projection_reverse.get(field.to_field_column, owner_meta.pk_attr)
    keys = {i.__dict__.get(key_attr) for i in instances} - {None}
    query = _base(field, queryset, using_db, field.relation_field)
    found = await query.filter(**{f"{field.relation_field}__in": list(keys)}) if keys else []
    groups: dict[Any, list] = {}
    for obj in found:
        groups.setdefault(obj.__dict__.get(field.relation_field), []).append(obj)
    name = field.model_field_name
    for inst in instances:
        objs = groups.get(inst.__dict__.get(key_attr), [])
        if field.relation_kind == "backward_o2o":
            inst.__dict__[to_attr or f"_{name}"] = objs[0] if objs else None
        elif to_attr:
            inst.__dict__[to_attr] = objs
        else:
            getattr(inst, name)._set_result(objs)
    return found


async def _m2m(field: Any, instances: list, queryset: Any, to_attr: str | None, using_db: Any) -> list:
    keys = [i.pk for i in instances if i.pk is not None]
    if not keys:
        return []
    related = field.related_model
    db = using_db or related._choose_db()
    dialect = db.dialect
    args = (dialect, field.through, field.backward_key, field.forward_key, len(keys))
    sql = statement_cache.compiled(("m2m_pairs", dialect.name, *args[1:]), lambda: statements_sql.m2m_pairs(*args))
    owner_pk, target_pk = field.model._meta.pk, related._meta.pk
    encode = encoder_for(owner_pk, dialect)
    pairs = await db.fetch_rows(sql, [encode(k) for k in keys])
    # the through table's columns come back as the driver gives them (a UUID as text on SQLite)
    decode_owner, decode_target = dialect.decoder(owner_pk), dialect.decoder(target_pk)
    if decode_owner is not None or decode_target is not None:
        pairs = [
            (o if decode_owner is None or o is None else decode_owner(o), t if decode_target is None or t is None else decode_target(t))
            for o, t in pairs
        ]
    owners_of: dict[Any, list] = {}
    for owner, target in pairs:
        owners_of.setdefault(target, []).append(owner)
    query = _base(field, queryset, using_db, related._meta.pk_attr)
    found = await query.filter(pk__in=list(owners_of)) if owners_of else []
    groups: dict[Any, list] = {}
    for obj in found:  # in the queryset's order
        for owner in owners_of.get(obj.pk, ()):
            groups.setdefault(owner, []).append(obj)
    for inst in instances:
        objs = groups.get(inst.pk, [])
        if to_attr:
            inst.__dict__[to_attr] = objs
        else:
            getattr(inst, field.model_field_name)._set_result(objs)
    return found


_LOADERS = {
    "fk": _forward,
    "o2o": _forward,
    "backward_fk": _backward,
    "backward_o2o": _backward,
    "m2m": _m2m,
}
