"""Lookups (``field__icontains=…``) and the resolver that turns names into SQL nodes.

A ``Resolver`` is made per query execution.  It walks ``a__b__c`` paths across
relations, adding the joins it needs, and turns each ``key=value`` filter into a
condition node using the lookup registry below.
"""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Callable

from tortoise.exceptions import FieldError
from tortoise.sql import nodes
from tortoise.sql.query import Join

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.base import Field
    from tortoise.models import Model

TRANSFORMS = frozenset(
    {"year", "quarter", "month", "week", "day", "hour", "minute", "second", "microsecond", "date"}
)


# --- the lookup registry: name → builder(lhs node, value, field) → condition node ------
def _rhs(value: Any, field: "Field | None", resolver: "Resolver") -> nodes.Node:
    from tortoise.expressions import Expression

    if isinstance(value, Expression):
        return value.resolve(resolver)
    return nodes.Param(_pk_of(value), field)


def _pk_of(value: Any) -> Any:
    from tortoise.models import Model

    return value.pk if isinstance(value, Model) else value


def _compare(name: str) -> Callable[..., nodes.Node]:
    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        if value is None:
            raise FieldError(f"lookup '{name}' on {_label(field)} cannot compare with None; use __isnull")
        return nodes.Lookup(name, lhs, _rhs(value, field, r))

    return build


def _exact(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
    if value is None:
        return nodes.Template("{0} IS NULL", [lhs])
    return nodes.Lookup("exact", lhs, _rhs(value, field, r))


def _not(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
    if value is None:
        return nodes.Template("{0} IS NOT NULL", [lhs])
    condition = nodes.Lookup("not", lhs, _rhs(value, field, r))
    if field is not None and field.null:
        return nodes.Junction("OR", [condition, nodes.Template("{0} IS NULL", [lhs])])
    return condition


def _in(negate: bool) -> Callable[..., nodes.Node]:
    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        from tortoise.expressions import Subquery
        from tortoise.queryset import AwaitableQuery

        op = "NOT IN" if negate else "IN"
        if isinstance(value, AwaitableQuery):
            value = Subquery(value)
        if isinstance(value, Subquery):
            return nodes.Template("{0} %s {1}" % op, [lhs, value.resolve(r)])
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise FieldError(f"lookup '{op.lower().replace(' ', '_')}' on {_label(field)} needs a list of values, got {value!r}")
        params = [nodes.Param(_pk_of(v), field) for v in value]
        if not params:
            return nodes.TRUE if negate else nodes.FALSE
        marks = ",".join("{%d}" % (i + 1) for i in range(len(params)))
        return nodes.Template("{0} %s (%s)" % (op, marks), [lhs, *params])

    return build


def _range(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
    try:
        low, high = value
    except (TypeError, ValueError):
        raise FieldError(f"lookup 'range' on {_label(field)} needs a (low, high) pair, got {value!r}") from None
    return nodes.Template("{0} BETWEEN {1} AND {2}", [lhs, _rhs(low, field, r), _rhs(high, field, r)])


def _isnull(negate: bool) -> Callable[..., nodes.Node]:
    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        is_null = bool(value) != negate
        return nodes.Template("{0} IS NULL" if is_null else "{0} IS NOT NULL", [lhs])

    return build


def _pattern(name: str) -> Callable[..., nodes.Node]:
    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        if value is None:
            raise FieldError(f"lookup '{name}' on {_label(field)} needs a value, got None")
        return nodes.Lookup(name, lhs, nodes.PatternParam(name, value))

    return build


def _regex(insensitive: bool) -> Callable[..., nodes.Node]:
    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        return nodes.Regex(lhs, nodes.Param(str(value)), insensitive)

    return build


def _search(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
    return nodes.Search(lhs, nodes.PatternParam("search", value))


LOOKUPS: dict[str, Callable[..., nodes.Node]] = {
    "exact": _exact,
    "not": _not,
    "in": _in(False),
    "not_in": _in(True),
    "gt": _compare("gt"),
    "gte": _compare("gte"),
    "lt": _compare("lt"),
    "lte": _compare("lte"),
    "range": _range,
    "isnull": _isnull(False),
    "not_isnull": _isnull(True),
    "iexact": _compare("iexact"),
    "contains": _pattern("contains"),
    "icontains": _pattern("icontains"),
    "startswith": _pattern("startswith"),
    "istartswith": _pattern("istartswith"),
    "endswith": _pattern("endswith"),
    "iendswith": _pattern("iendswith"),
    "search": _search,
    "regex": _regex(False),
    "posix_regex": _regex(False),
    "iregex": _regex(True),
    "iposix_regex": _regex(True),
}


def _label(field: Any) -> str:
    return field.qualified_name if field is not None else "expression"


# --- the resolver ------------------------------------------------------------------------
class Resolver:
    """Resolves names of one query's model into nodes; collects the joins it needs."""

    def __init__(self, model: "type[Model]", annotations: dict[str, Any] | None = None) -> None:
        self.model = model
        self.alias = model._meta.db_table
        self.annotations = annotations or {}
        self.joins: list[Join] = []
        self._join_aliases: dict[tuple[str, ...], tuple[str, Any]] = {}
        self.has_multi_join = False  # a reverse FK / M2M join may repeat base rows

    # -- public API used by expressions and the queryset --------------------------------
    def resolve_field_ref(self, name: str) -> tuple[nodes.Node, Any]:
        """A field/annotation path (``"views"``, ``"author__name"``) → (node, field)."""
        if name in self.annotations:
            expr = self.annotations[name]
            return expr.resolve(self), expr.output_field(self)
        node, field, rest = self.walk(name.split("__"))
        if rest:
            raise FieldError(f"unknown field '{'__'.join(rest)}' after {_label(field)} in '{name}'")
        return node, field

    def resolve_filter(self, key: str, value: Any) -> nodes.Node:
        parts = key.split("__")
        lookup = "exact"
        if len(parts) > 1 and parts[-1] in LOOKUPS:
            lookup = parts.pop()
        transform = None
        if len(parts) > 1 and parts[-1] in TRANSFORMS:
            transform = parts.pop()
        if parts[0] in self.annotations and len(parts) == 1:
            expr = self.annotations[parts[0]]
            lhs, field = expr.resolve(self), expr.output_field(self)
        else:
            lhs, field, rest = self.walk(parts)
            if rest:
                raise FieldError(
                    f"unknown lookup '{'__'.join(rest)}' on {_label(field)} in filter '{key}'; "
                    f"lookups are: {', '.join(sorted(LOOKUPS))}; transforms: {', '.join(sorted(TRANSFORMS))}"
                )
        if transform is not None:
            lhs = nodes.DatePart(transform, lhs)
            if transform == "date":
                if isinstance(value, datetime.datetime):
                    value = value.date()
                field = None
            else:
                field = None
                value = _as_int(value, key) if lookup not in ("in", "not_in", "range", "isnull", "not_isnull") else value
        return LOOKUPS[lookup](lhs, value, field, self)

    # -- path walking -------------------------------------------------------------------------
    def walk(self, parts: list[str]) -> tuple[nodes.Node, Any, list[str]]:
        """Follow ``parts`` from the base model; return (column node, field, unused parts)."""
        model, alias, path = self.model, self.alias, ()
        i = 0
        if not parts or not parts[0]:
            raise FieldError(f"empty field name in filter on {model.__name__}")
        while True:
            name = parts[i]
            meta = model._meta
            if name == "pk":
                name = meta.pk_attr
            field = meta.fields_map.get(name)
            if field is None and name in meta.query_names:  # a related_query_name
                name = meta.query_names[name]
                field = meta.fields_map[name]
            if field is None:
                raise FieldError(
                    f"unknown field '{name}' on {model.__name__}; fields are: {', '.join(meta.fields_map)}"
                )
            rest = parts[i + 1 :]
            kind = field.relation_kind
            if kind is None:
                return nodes.Column(alias, field.column), field, rest
            if kind in ("fk", "o2o"):
                id_field = meta.fields_map[field.source_field_name]
                target_pk = field.to_field_instance.model_field_name
                if not rest or rest[0] in LOOKUPS or rest[0] in TRANSFORMS:
                    return nodes.Column(alias, id_field.column), id_field, rest
                if rest[0] == target_pk and (len(rest) == 1 or rest[1] in LOOKUPS):
                    return nodes.Column(alias, id_field.column), id_field, rest[1:]
            path = (*path, name)
            alias, model = self._join(alias, field, path)
            if not rest or rest[0] in LOOKUPS:
                pk = model._meta.pk
                return nodes.Column(alias, pk.column), pk, rest
            i += 1  # continue with the next name on the related model

    def _join(self, alias: str, field: Any, path: tuple[str, ...]) -> tuple[str, Any]:
        found = self._join_aliases.get(path)
        if found is not None:
            return found
        related = field.related_model
        new_alias = f"{self.alias}__{'__'.join(path)}"
        kind = field.relation_kind
        col = nodes.Column
        if kind in ("fk", "o2o"):
            id_field = field.model._meta.fields_map[field.source_field_name]
            on = nodes.Template("{0}={1}", [col(new_alias, field.to_field_instance.column), col(alias, id_field.column)])
            self.joins.append(Join(related._meta.db_table, new_alias, on))
        elif kind in ("backward_fk", "backward_o2o"):
            fk = related._meta.fields_map[field.relation_field]
            on = nodes.Template("{0}={1}", [col(new_alias, fk.column), col(alias, field.to_field_column)])
            self.joins.append(Join(related._meta.db_table, new_alias, on))
            self.has_multi_join = self.has_multi_join or kind == "backward_fk"
        elif kind == "m2m":
            through = f"{new_alias}__through"
            owner_pk = field.model._meta.pk.column
            on_through = nodes.Template("{0}={1}", [col(through, field.backward_key), col(alias, owner_pk)])
            self.joins.append(Join(field.through, through, on_through))
            on_target = nodes.Template("{0}={1}", [col(new_alias, related._meta.pk.column), col(through, field.forward_key)])
            self.joins.append(Join(related._meta.db_table, new_alias, on_target))
            self.has_multi_join = True
        else:  # pragma: no cover - every relation kind is handled above
            raise FieldError(f"cannot join across {_label(field)}")
        self._join_aliases[path] = (new_alias, related)
        return new_alias, related


def _as_int(value: Any, key: str) -> Any:
    from tortoise.expressions import Expression

    if isinstance(value, Expression):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        raise FieldError(f"filter '{key}' needs an integer, got {value!r}") from None
