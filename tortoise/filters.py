"""Lookups (``field__icontains=…``) and the resolver that turns names into SQL nodes.

A ``Resolver`` is made per query execution.  It walks ``a__b__c`` paths across
relations, adding the joins it needs, and turns each ``key=value`` filter into a
condition node using the lookup registry below.
"""
from __future__ import annotations

import datetime
import decimal
import uuid
from typing import TYPE_CHECKING, Any, Callable

from tortoise.exceptions import FieldError
from tortoise.sql import nodes
from tortoise.sql.cache import Uncacheable, Walker
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
    return nodes.Param(_pk_of(value, field), field)


def _pk_of(value: Any, field: Any = None) -> Any:
    """A model instance given as a value stands for its key: the one the relation whose
    column ``field`` is refers to (``to_field``), else its pk."""
    if not isinstance(value, _model_class()):
        return value
    fk = getattr(field, "reference", None)
    return _related_key(fk, value) if fk is not None else value.pk


def _related_key(fk: Any, value: Any) -> Any:
    """The key of ``value`` that ``fk`` (a forward relation) refers to; an instance of
    another model is refused with a TypeError, as Tortoise does."""
    related = fk.related_model
    if not isinstance(value, related):
        raise TypeError(
            f"filter on {fk.qualified_name} takes a {related.__name__} instance or its key "
            f"'{fk.to_field_instance.model_field_name}', got a {type(value).__name__} instance"
        )
    return getattr(value, fk.to_field_instance.model_field_name)


def _relation_at(model: Any, parts: tuple[str, ...]) -> Any:
    """The forward relation whose key a filter path ends on, as ``Resolver.walk`` finds it
    (``school``, ``school_id``, ``school__id`` when ``id`` is its ``to_field``); else None."""
    last = len(parts) - 1
    for i, name in enumerate(parts):
        meta = model._meta
        field = meta.fields_map.get(meta.pk_attr if name == "pk" else name)
        if field is None and name in meta.query_names:
            field = meta.fields_map[meta.query_names[name]]
        if field is None:
            return None
        fk = getattr(field, "reference", None)  # an fk's own column (``school_id``)
        if fk is not None or field.relation_kind not in ("fk", "o2o"):
            return fk if i == last else None
        if i == last or (i + 1 == last and parts[last] == field.to_field_instance.model_field_name):
            return field
        model = field.related_model
    return None


def _expression_class() -> type:
    global _EXPRESSION
    if _EXPRESSION is None:
        from tortoise.expressions import Expression

        _EXPRESSION = Expression
    return _EXPRESSION


_EXPRESSION: Any = None


def _model_class() -> type:
    global _MODEL
    if _MODEL is None:
        from tortoise.models import Model

        _MODEL = Model
    return _MODEL


_MODEL: Any = None


def _compare(name: str) -> Callable[..., nodes.Node]:
    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        if value is None:
            raise FieldError(f"lookup '{name}' on {_label(field)} cannot compare with None; use __isnull")
        return nodes.Lookup(name, lhs, _rhs(value, field, r))

    return build


def _exact(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
    if value is None:
        return nodes.is_null(lhs)
    return nodes.Lookup("exact", lhs, _rhs(value, field, r))


def _not(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
    if value is None:
        return nodes.is_null(lhs, negate=True)
    condition = nodes.Lookup("not", lhs, _rhs(value, field, r))
    # NULL differs from any value: a nullable column, or one of a joined (LEFT JOIN) table
    joined = isinstance(lhs, nodes.Column) and lhs.table != r.alias
    if joined or (field is not None and field.null):
        return nodes.Junction("OR", [condition, nodes.is_null(lhs)])
    return condition


def _in(negate: bool) -> Callable[..., nodes.Node]:
    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        from tortoise.expressions import Subquery
        from tortoise.queryset import AwaitableQuery

        if isinstance(value, AwaitableQuery):
            value = Subquery(value)
        if isinstance(value, Subquery):
            return nodes.in_subquery(lhs, value.resolve(r), negate)
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            name = "not_in" if negate else "in"
            raise FieldError(f"lookup '{name}' on {_label(field)} needs a list of values, got {value!r}")
        params = [nodes.Param(_pk_of(v, field), field) for v in value]
        return nodes.in_list(lhs, params, negate)

    return build


def _range(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
    try:
        low, high = value
    except (TypeError, ValueError):
        raise FieldError(f"lookup 'range' on {_label(field)} needs a (low, high) pair, got {value!r}") from None
    return nodes.between(lhs, _rhs(low, field, r), _rhs(high, field, r))


def _isnull(negate: bool) -> Callable[..., nodes.Node]:
    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        is_null = bool(value) != negate
        return nodes.is_null(lhs, negate=not is_null)

    return build


def _pattern(name: str) -> Callable[..., nodes.Node]:
    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        if value is None:
            raise FieldError(f"lookup '{name}' on {_label(field)} needs a value, got None")
        return nodes.Lookup(name, lhs, nodes.PatternParam(name, value))

    return build


def _regex(insensitive: bool) -> Callable[..., nodes.Node]:
    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        value = value if isinstance(value, nodes.Slot) else str(value)
        return nodes.Regex(lhs, nodes.Param(value), insensitive)

    return build


def _is_json(field: Any) -> bool:
    from tortoise.fields.data import JSONField

    return isinstance(field, JSONField)


def _is_array(field: Any) -> bool:
    from tortoise.contrib.postgres.fields import ArrayField

    return isinstance(field, ArrayField)


def _only_on(name: str, kinds: str) -> Callable[..., nodes.Node]:
    """A lookup that only JSON or array fields have (``resolve_filter`` sends those to
    JSON_LOOKUPS/ARRAY_LOOKUPS): reached with any other field, it is refused."""

    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        raise FieldError(f"lookup '{name}' needs {kinds}, {_label(field)} is not one")

    return build


def _json_contains(contained_by: bool) -> Callable[..., nodes.Node]:
    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        rhs = nodes.Param(value, field)  # the field encodes the value as JSON text
        return nodes.JsonContains(rhs, lhs) if contained_by else nodes.JsonContains(lhs, rhs)

    return build


def _json_filter(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
    """``data__filter={"owner__pets__0__name__not": "x", …}``: lookups on values inside the
    document, the path's digits indexing arrays."""
    if not isinstance(value, dict) or not value:
        raise FieldError(f"lookup 'filter' on {_label(field)} needs a dict of 'key__path[__lookup]': value")
    conditions = []
    for key, wanted in value.items():
        parts = key.split("__")
        lookup = parts.pop() if len(parts) > 1 and parts[-1] in LOOKUPS else "exact"
        transform = parts.pop() if len(parts) > 1 and parts[-1] in TRANSFORMS else None
        path = tuple(int(p) if p.isdigit() else p for p in parts)
        several = lookup in ("in", "not_in", "range")
        if transform is not None:  # "when__year": a date part of a timestamp stored as text
            inner: nodes.Node = nodes.DatePart(transform, nodes.JsonExtract(lhs, path, "timestamp"))
            if transform == "date" and isinstance(wanted, datetime.datetime):
                wanted = wanted.date()
            elif transform not in ("date", "second") and not several and lookup not in _BOOL_LOOKUPS:
                wanted = _as_int(wanted, key)  # a second inside JSON keeps its fraction
            conditions.append(LOOKUPS[lookup](inner, wanted, None, r))
            continue
        sample = next(iter(wanted), None) if several else wanted
        if isinstance(sample, (datetime.date, datetime.time)):  # stored as ISO text: compare as such
            wanted = [_iso(v) for v in wanted] if several else _iso(wanted)
        kind = "text" if lookup in _BOOL_LOOKUPS else "bool" if isinstance(sample, bool) else "number" if isinstance(sample, (int, float, decimal.Decimal)) else "text"
        conditions.append(LOOKUPS[lookup](nodes.JsonExtract(lhs, path, kind), wanted, None, r))
    return conditions[0] if len(conditions) == 1 else nodes.Junction("AND", conditions)


def _iso(value: Any) -> Any:
    """A date/time as a JSONField stores it (ISO 8601 text)."""
    return value.isoformat() if isinstance(value, (datetime.date, datetime.time)) else value


JSON_LOOKUPS: dict[str, Callable[..., nodes.Node]] = {
    "contains": _json_contains(False),
    "contained_by": _json_contains(True),
    "filter": _json_filter,
}


def _array_compare(op: str) -> Callable[..., nodes.Node]:
    def build(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
        if value is None:
            raise FieldError(f"lookup '{op}' on {_label(field)} needs a list of values, got None")
        return nodes.ArrayCompare(op, lhs, _rhs(value, field, r), field)

    return build


def _array_length(lhs: nodes.Node, value: Any, field: Any, r: "Resolver") -> nodes.Node:
    return nodes.Lookup("exact", nodes.ArrayLength(lhs), _rhs(_as_int(value, f"{field.model_field_name}__len"), None, r))


#: lookups of a PostgreSQL ArrayField (``tags__contains=["a"]``, ``tags__len=2``)
ARRAY_LOOKUPS: dict[str, Callable[..., nodes.Node]] = {
    "contains": _array_compare("contains"),
    "contained_by": _array_compare("contained_by"),
    "overlap": _array_compare("overlap"),
    "len": _array_length,
}


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
    "contained_by": _only_on("contained_by", "a JSONField or an ArrayField"),
    "filter": _only_on("filter", "a JSONField"),
    "overlap": _only_on("overlap", "an ArrayField"),
    "len": _only_on("len", "an ArrayField"),
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

    def __init__(
        self, model: "type[Model]", annotations: dict[str, Any] | None = None, slots: dict[Any, Any] | None = None
    ) -> None:
        self.model = model
        #: while compiling for the statement cache: owner → Slot(s) standing for its values
        self.slots = slots
        self.alias = model._meta.db_table
        self.annotations = annotations or {}
        self.joins: list[Join] = []
        self._join_aliases: dict[tuple[str, ...], tuple[str, Any]] = {}
        self.has_multi_join = False  # a reverse FK / M2M join may repeat base rows
        self._resolving: set[str] = set()  # annotations being resolved (see resolve_field_ref)

    # -- public API used by expressions and the queryset --------------------------------
    def sub(self, owner: Any, value: Any) -> Any:
        """``value``, or the slot standing for it while compiling for the cache."""
        slots = self.slots
        return value if slots is None else slots.get(owner, value)

    def resolve_field_ref(self, name: str) -> tuple[nodes.Node, Any]:
        """A field/annotation path (``"views"``, ``"author__name"``) → (node, field).  An
        annotation named like a field wins, except inside itself (``qty=F("qty") + 1``)."""
        if name in self.annotations and name not in self._resolving:
            expr = self.annotations[name]
            self._resolving.add(name)
            try:
                return expr.resolve(self), expr.output_field(self)
            finally:
                self._resolving.discard(name)
        node, field, rest = self.walk(name.split("__"))
        if rest and _is_json(field):  # F("data__key__0"): the value at that path, as text
            path = tuple(int(p) if p.isdigit() else p for p in rest)
            return nodes.JsonExtract(node, path, "text"), None
        if rest:
            raise FieldError(f"{name} not resolvable: unknown field '{'__'.join(rest)}' after {_label(field)}")
        return node, field

    def resolve_filter(self, key: str, value: Any) -> nodes.Node:
        parts, lookup, transform = split_key(key)
        parts = list(parts)
        if parts[0] in self.annotations and len(parts) == 1:
            lhs, field = self.resolve_field_ref(parts[0])
        else:
            lhs, field, rest = self.walk(parts, filter_key=key)
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
        if lookup in JSON_LOOKUPS and _is_json(field):
            return JSON_LOOKUPS[lookup](lhs, value, field, self)
        if lookup in ARRAY_LOOKUPS and _is_array(field):
            return ARRAY_LOOKUPS[lookup](lhs, value, field, self)
        return LOOKUPS[lookup](lhs, value, field, self)

    # -- path walking -------------------------------------------------------------------------
    def walk(self, parts: list[str], filter_key: str | None = None) -> tuple[nodes.Node, Any, list[str]]:
        """Follow ``parts`` from the base model; return (column node, field, unused parts).
        ``filter_key``: the filter argument being resolved, named when a part is unknown."""
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
                known = ", ".join(meta.fields_map)
                if filter_key is not None:  # Tortoise's wording first: callers match on it
                    raise FieldError(
                        f"Unknown filter param '{filter_key}'. Allowed base values are [{known}]: "
                        f"'{name}' is not a field of {model.__name__}"
                    )
                raise FieldError(f'Unknown field "{name}" for model "{model.__name__}"; fields are: {known}')
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
            on = nodes.equals(col(new_alias, field.to_field_instance.column), col(alias, id_field.column))
            self.joins.append(Join(related._meta.db_table, new_alias, on))
        elif kind in ("backward_fk", "backward_o2o"):
            fk = related._meta.fields_map[field.relation_field]
            on = nodes.equals(col(new_alias, fk.column), col(alias, field.to_field_column))
            self.joins.append(Join(related._meta.db_table, new_alias, on))
            self.has_multi_join = self.has_multi_join or kind == "backward_fk"
        elif kind == "m2m":
            through = f"{new_alias}__through"
            owner_pk = field.model._meta.pk.column
            on_through = nodes.equals(col(through, field.backward_key), col(alias, owner_pk))
            self.joins.append(Join(field.through, through, on_through))
            on_target = nodes.equals(col(new_alias, related._meta.pk.column), col(through, field.forward_key))
            self.joins.append(Join(related._meta.db_table, new_alias, on_target))
            self.has_multi_join = True
        else:  # pragma: no cover - every relation kind is handled above
            raise FieldError(f"cannot join across {_label(field)}")
        self._join_aliases[path] = (new_alias, related)
        return new_alias, related


class ResolveContext(Resolver):
    """Tortoise's name for what an expression resolves against: the model, the query's
    annotations and, for code written for Tortoise, its ``table`` and ``custom_filters``
    (kept as given).  ``Q(...).resolve(ResolveContext(model=M))`` gives the condition node."""

    def __init__(
        self,
        model: "type[Model]",
        table: Any = None,
        annotations: dict[str, Any] | None = None,
        custom_filters: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(model, annotations)
        self.table = table
        self.custom_filters = custom_filters or {}


def _as_int(value: Any, key: str) -> Any:
    from tortoise.expressions import Expression

    if isinstance(value, (Expression, nodes.Slot)):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        raise FieldError(f"filter '{key}' needs an integer, got {value!r}") from None


# --- filter keys and their shapes (for the statement cache) ------------------------------
_KEYS: dict[str, tuple[tuple[str, ...], str, str | None]] = {}
_LIST_LOOKUPS = frozenset({"in", "not_in"})
_BOOL_LOOKUPS = frozenset({"isnull", "not_isnull"})
_RAW_LOOKUPS = frozenset({"contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "search"})
_STR_LOOKUPS = frozenset({"regex", "posix_regex", "iregex", "iposix_regex"})


def split_key(key: str) -> tuple[tuple[str, ...], str, str | None]:
    """``"created__year__gte"`` → (("created",), "gte", "year"); parsed once per key."""
    found = _KEYS.get(key)
    if found is None:
        parts = key.split("__")
        lookup = "exact"
        if len(parts) > 1 and parts[-1] in LOOKUPS:
            lookup = parts.pop()
        transform = None
        if len(parts) > 1 and parts[-1] in TRANSFORMS:
            transform = parts.pop()
        if len(_KEYS) > 4096:
            _KEYS.clear()
        found = _KEYS[key] = (tuple(parts), lookup, transform)
    return found


#: plain values of these types are sent as they are by the comparison lookups
_SCALARS = frozenset({int, str, float, bool, decimal.Decimal, datetime.datetime, datetime.date, datetime.time, uuid.UUID})
_COMPARISONS = frozenset({"exact", "not", "gt", "gte", "lt", "lte", "iexact"})


def filter_value_shape(owner: Any, key: str, value: Any, w: Walker) -> Any:
    """The part of a filter's value that decides its SQL; its parameters go to ``w``.

    Mirrors what ``resolve_filter`` and the lookups do to the value, so that the leaves
    are the values the statement's parameters are encoded from.
    """
    found = _KEYS.get(key) or split_key(key)
    if type(value) in _SCALARS and found[2] is None and found[1] in _COMPARISONS:  # the common case
        w.leaf(owner, value)
        return ""
    if value is None:
        return None
    Expression = _expression_class()
    if isinstance(value, Expression):
        return ("E", value.shape(w))
    if hasattr(value, "__await__") and not isinstance(value, _model_class()):  # a queryset: a subquery
        raise Uncacheable(key)
    _, lookup, transform = split_key(key)
    if lookup == "filter":  # a JSON path filter: its SQL depends on the dict's keys
        raise Uncacheable(key)
    if lookup in _BOOL_LOOKUPS:
        return bool(value)
    if transform is not None and lookup not in _LIST_LOOKUPS and lookup != "range":
        if transform == "date":
            if isinstance(value, datetime.datetime):
                value = value.date()
        else:
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise Uncacheable(key) from None
    if lookup in _LIST_LOOKUPS or lookup == "range":
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__") or iter(value) is value:
            raise Uncacheable(key)  # an iterator can be read only once: the plain path reads it
    if lookup in _LIST_LOOKUPS:
        values = [_leaf_key(v, key, w) for v in value]
        w.leaf_group(owner, values)
        return len(values)
    if lookup == "range":
        try:
            low, high = value
        except (TypeError, ValueError):
            raise Uncacheable(key) from None
        if low is None or high is None or isinstance(low, Expression) or isinstance(high, Expression):
            raise Uncacheable(key)
        w.leaf_group(owner, [_leaf_key(low, key, w), _leaf_key(high, key, w)])
        return "range"
    if lookup in _STR_LOOKUPS:
        value = str(value)
    elif lookup not in _RAW_LOOKUPS:
        value = _leaf_key(value, key, w)
    w.leaf(owner, value)
    return ""


def _leaf_key(value: Any, key: str, w: Walker) -> Any:
    """``_pk_of`` for the statement cache: an instance given for a forward relation stands
    for the key the relation refers to; one for another path whose model some relation
    refers to by another key than its pk is left to the plain path."""
    if not isinstance(value, _model_class()):
        return value
    fk = _relation_at(w.model, split_key(key)[0]) if w.model is not None else None
    if fk is not None:
        return _related_key(fk, value)
    if value._meta.targeted_by_non_pk:
        raise Uncacheable(key)
    return value.pk
