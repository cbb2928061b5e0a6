"""QuerySet: an immutable, lazy, re-usable query builder, and its terminal queries.

Each method returns a new QuerySet; nothing touches the database until the query is
awaited.  On execution the query's shape is read from its state and looked up in the
statement cache (tortoise/sql/cache.py); on a hit only the parameters are extracted.  On a
miss a ``Resolver`` turns names and Q trees into SQL nodes and the ``Select``/``Update``/
``Delete`` description is compiled once for the shape.
"""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, AsyncIterator, Generator, Generic, Iterable, Sequence, TypeVar

from tortoise.exceptions import FieldError, IntegrityError, ParamsError
from tortoise.expressions import Expression, F, Q
from tortoise.filters import Resolver
from tortoise.model_code import build_all, make_binder, make_row_maker
from tortoise.models import Model
from tortoise.sql import nodes
from tortoise.sql.cache import UNCACHEABLE, Uncacheable, Walker, compile_plan, statements
from tortoise.sql.query import Delete, Select, Union, Update, compile_query

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.backends.base.client import BaseDBAsyncClient

MODEL = TypeVar("MODEL", bound="Model")


class AwaitableQuery(Generic[MODEL]):
    """Base of every lazy query: awaiting it runs it."""

    model: "type[MODEL]"
    _db: "BaseDBAsyncClient | None"

    def _client(self, for_write: bool = False) -> "BaseDBAsyncClient":
        return self._db if self._db is not None else self.model._choose_db(for_write)

    async def _execute(self) -> Any:
        raise NotImplementedError

    def __await__(self) -> Generator[Any, None, Any]:
        return self._execute().__await__()


class QuerySet(AwaitableQuery[MODEL]):
    _SINGLE_NONE = "none"  # first()/get_or_none(): None when empty
    _SINGLE_RAISE = "raise"  # get(): DoesNotExist when empty

    # Query state lives in class-level defaults; a queryset's own dict holds only what was
    # set on it, so creating and cloning one stays cheap.  Values are never mutated in place.
    _db: "BaseDBAsyncClient | None" = None
    _filter: Q | None = None
    _annotations: dict[str, Expression] = {}
    _order: tuple[str, ...] | None = None
    _limit: int | None = None
    _offset: int | None = None
    _distinct = False
    _only: tuple[str, ...] | None = None
    _prefetch: tuple[Any, ...] = ()
    _group_by: tuple[str, ...] = ()
    _for_update: tuple[bool, bool, tuple[str, ...]] | None = None
    _index_hint: tuple[str, tuple[str, ...]] | None = None
    _single: str | None = None
    _strict = False

    def __init__(self, model: "type[MODEL]") -> None:
        self.model = model

    def _clone(self) -> "QuerySet[MODEL]":
        qs = object.__new__(type(self))
        qs.__dict__ = self.__dict__.copy()
        return qs

    # --- building ----------------------------------------------------------------------------
    def _and(self, q: Q) -> "QuerySet[MODEL]":
        qs = self._clone()
        qs._filter = q if self._filter is None else (self._filter & q)
        return qs

    def filter(self, *args: Q, **kwargs: Any) -> "QuerySet[MODEL]":
        return self._and(Q(*args, **kwargs))

    def exclude(self, *args: Q, **kwargs: Any) -> "QuerySet[MODEL]":
        return self._and(~Q(*args, **kwargs))

    def all(self) -> "QuerySet[MODEL]":
        return self._clone()

    def __or__(self, other: "QuerySet[MODEL]") -> "QuerySet[MODEL]":
        return self._combine(other, Q.OR)

    def __and__(self, other: "QuerySet[MODEL]") -> "QuerySet[MODEL]":
        return self._combine(other, Q.AND)

    def _combine(self, other: "QuerySet[MODEL]", join_type: str) -> "QuerySet[MODEL]":
        if not isinstance(other, QuerySet) or other.model is not self.model:
            raise ParamsError(f"can only combine querysets of {self.model.__name__}")
        qs = self._clone()
        qs._filter = Q(self._filter or Q(), other._filter or Q(), join_type=join_type)
        return qs

    def order_by(self, *orderings: str) -> "QuerySet[MODEL]":
        for name in orderings:
            if not isinstance(name, str) or not name.lstrip("-+"):
                raise FieldError(f"order_by() takes field names like 'name' or '-name', got {name!r}")
            self._check_order_name(name.lstrip("-+"))
        qs = self._clone()
        qs._order = orderings
        return qs

    def _check_order_name(self, name: str) -> None:
        """Refuse an ordering that names no field (or annotation) when order_by() is called."""
        if name in self._annotations or name == "pk":
            return
        model = self.model
        parts = name.split("__")
        for i, part in enumerate(parts):
            meta = model._meta
            field = meta.fields_map.get(meta.pk_attr if part == "pk" else part)
            if field is None:
                known = ", ".join([*meta.fields_map, *(self._annotations if model is self.model else ())])
                raise FieldError(
                    f"Unknown field {part} for model {model.__name__}: order_by() got {name!r}; fields are: {known}"
                )
            if i + 1 < len(parts):
                if field.relation_kind is None:
                    raise FieldError(f"order_by(): {field.qualified_name} has no related fields, in {name!r}")
                model = field.related_model
            elif field.relation_kind not in (None, "fk", "o2o"):
                raise FieldError(
                    f"order_by(): {field.qualified_name} is a relation to many rows, not a value to order by; "
                    f"name one of its fields ('{name}__<field>') or an annotation"
                )

    def limit(self, limit: int) -> "QuerySet[MODEL]":
        _check_bound("Limit", limit)
        qs = self._clone()
        qs._limit = limit
        return qs

    def offset(self, offset: int) -> "QuerySet[MODEL]":
        _check_bound("Offset", offset)
        qs = self._clone()
        qs._offset = offset
        return qs

    def __getitem__(self, key: slice) -> "QuerySet[MODEL]":
        if not isinstance(key, slice):
            raise ParamsError(
                f"QuerySet indices must be slices, not {'integers' if isinstance(key, int) else type(key).__name__}. QuerySets are lazy and do not "
                "support random access. Use await queryset.first(), await queryset.offset(n).first(), "
                "or await queryset.all() and index the returned list."
            )
        if key.step not in (None, 1):
            raise ParamsError(f"Slice steps should be 1 or None (got {key.step}): querysets take a range of rows")
        start, stop = key.start or 0, key.stop
        if start < 0:
            raise ParamsError(f"Slice start should be non-negative number or None, got {start}")
        if stop is not None and stop < start:
            raise ParamsError(
                f"Slice stop should be non-negative number greater that slice start, or None; got [{start}:{stop}]"
            )
        qs = self.offset(start) if start else self._clone()
        if stop is not None:
            qs._limit = stop - start
        return qs

    def distinct(self) -> "QuerySet[MODEL]":
        qs = self._clone()
        qs._distinct = True
        return qs

    def only(self, *fields: str) -> "QuerySet[MODEL]":
        """Fetch partial instances holding just ``fields``: columns, annotations, and columns
        of forward relations (``"author__name"`` fills ``obj.author`` with a partial object)."""
        if not fields:
            raise ValueError(f"only() on {self.model.__name__} needs at least one field name")
        for name in fields:
            if name not in self._annotations:
                _only_path(self.model, name)
        qs = self._clone()
        qs._only = fields
        return qs

    def select_related(self, *fields: str) -> "QuerySet[MODEL]":
        return self.prefetch_related(*fields)

    def prefetch_related(self, *args: Any) -> "QuerySet[MODEL]":
        qs = self._clone()
        qs._prefetch = self._prefetch + args
        return qs

    def annotate(self, **kwargs: Any) -> "QuerySet[MODEL]":
        qs = self._clone()
        annotations = dict(self._annotations)
        for name, expr in kwargs.items():
            if not isinstance(expr, Expression):
                raise FieldError(f"annotate({name}=…) needs an expression or function, got {expr!r}")
            annotations[name] = expr  # may share a field's name: the annotation wins, as in Tortoise
        qs._annotations = annotations
        return qs

    def group_by(self, *fields: str) -> "QuerySet[MODEL]":
        qs = self._clone()
        qs._group_by = fields
        return qs

    def using_db(self, _db: "BaseDBAsyncClient | None") -> "QuerySet[MODEL]":
        qs = self._clone()
        qs._db = _db
        return qs

    def select_for_update(self, nowait: bool = False, skip_locked: bool = False, of: tuple[str, ...] = (), no_key: bool = False) -> "QuerySet[MODEL]":
        qs = self._clone()
        qs._for_update = (nowait, skip_locked, tuple(of))
        return qs

    def force_index(self, *index_names: str) -> "QuerySet[MODEL]":
        qs = self._clone()
        qs._index_hint = ("FORCE", index_names)
        return qs

    def use_index(self, *index_names: str) -> "QuerySet[MODEL]":
        qs = self._clone()
        qs._index_hint = ("USE", index_names)
        return qs

    # --- single-object forms -----------------------------------------------------------------
    def _as_single(self, mode: str) -> "QuerySet[MODEL]":
        qs = self._clone()
        qs._single = mode
        return qs

    def first(self) -> "QuerySet[MODEL]":
        qs = self._as_single(self._SINGLE_NONE)
        qs._limit = 1
        if not qs._order and not self.model._meta.ordering:
            qs._order = ("pk",)
        return qs

    def last(self) -> "QuerySet[MODEL]":
        order = self._order or self.model._meta.ordering or ("pk",)
        qs = self._as_single(self._SINGLE_NONE)
        qs._order = _reversed_order(order)
        qs._limit = 1
        return qs

    def get(self, *args: Q, **kwargs: Any) -> "QuerySet[MODEL]":
        qs = self._and(Q(*args, **kwargs))
        qs._single, qs._limit = self._SINGLE_RAISE, 2
        return qs

    def get_or_none(self, *args: Q, **kwargs: Any) -> "QuerySet[MODEL]":
        qs = self.filter(*args, **kwargs)
        qs._single, qs._limit, qs._strict = self._SINGLE_NONE, 2, True
        return qs

    def latest(self, *fields: str) -> "QuerySet[MODEL]":
        """The object with the greatest ``fields`` (None if there is none)."""
        if not fields:
            raise FieldError(f"latest() on {self.model.__name__} needs the field(s) to order by")
        return self.order_by(*_reversed_order(fields)).first()

    def earliest(self, *fields: str) -> "QuerySet[MODEL]":
        """The object with the smallest ``fields`` (None if there is none)."""
        if not fields:
            raise FieldError(f"earliest() on {self.model.__name__} needs the field(s) to order by")
        return self.order_by(*fields).first()

    async def contains(self, obj: MODEL) -> bool:
        """Whether ``obj`` is among this queryset's rows (one EXISTS query on its primary key)."""
        if not isinstance(obj, self.model):
            raise ParamsError(
                f"The given object is not an instance of the queryset's model. contains() on "
                f"{self.model.__name__} got {type(obj).__name__}"
            )
        if obj.pk is None:
            raise ParamsError(f"The given object does not have a primary key. Save the {self.model.__name__} first")
        return await self.filter(pk=obj.pk).exists()

    # --- terminal queries ----------------------------------------------------------------------
    def values(self, *fields: str, **expressions: Any) -> "ValuesQuery":
        return ValuesQuery(self, fields, expressions, as_tuples=False, flat=False)

    def values_list(self, *fields: str, flat: bool = False) -> "ValuesQuery":
        if flat and len(fields) != 1:  # TypeError, as Tortoise raises
            raise TypeError(f"You can flat value_list only if contains one field, got {len(fields)}: {fields!r}")
        return ValuesQuery(self, fields, {}, as_tuples=True, flat=flat)

    def count(self) -> "CountQuery":
        return CountQuery(self)

    def union(self, *others: "QuerySet[Any]", all: bool = False) -> "UnionQuery":
        """The rows of this queryset and ``others`` (of this or other models, selecting as
        many columns), without duplicates unless ``all``."""
        return UnionQuery((self, *others), all)

    def exists(self) -> "ExistsQuery":
        return ExistsQuery(self)

    def update(self, **kwargs: Any) -> "UpdateQuery":
        if not kwargs:
            raise ParamsError(f"update() on {self.model.__name__} needs field=value arguments")
        return UpdateQuery(self, kwargs)

    def delete(self) -> "DeleteQuery":
        return DeleteQuery(self)

    def aggregate(self, **expressions: Any) -> "AggregateQuery":
        return AggregateQuery(self, expressions)

    def explain(self, output_fmt: str | None = None, **options: bool) -> "ExplainQuery":
        """The database's plan for this query; formats and options as the database has them
        (``explain(output_fmt="json", analyze=True)`` on PostgreSQL)."""
        return ExplainQuery(self, output_fmt, options)

    async def in_bulk(self, id_list: Iterable[Any], field_name: str = "pk") -> dict[Any, MODEL]:
        objs = await self.filter(**{f"{field_name}__in": list(id_list)})
        attr = self.model._meta.pk_attr if field_name == "pk" else field_name
        return {getattr(o, attr): o for o in objs}

    async def bulk_create(self, objects: Iterable[MODEL], batch_size: int | None = None, ignore_conflicts: bool = False,
                          update_fields: Iterable[str] | None = None, on_conflict: Iterable[str] | None = None) -> list[MODEL]:
        return await self.model.bulk_create(objects, batch_size, ignore_conflicts, update_fields, on_conflict, using_db=self._db)

    async def bulk_update(self, objects: Iterable[MODEL], fields: Iterable[str], batch_size: int | None = None) -> int:
        return await self.model.bulk_update(objects, fields, batch_size, using_db=self._db)

    def sql(self, params_inline: bool = False) -> str:
        """The SQL text this query would run, for the model's connection."""
        client = self._client()
        select, _ = self._build_select(Resolver(self.model, self._annotations))
        sql, params = compile_query(select, client.dialect)
        return _inline(sql, params) if params_inline else sql

    async def __aiter__(self) -> AsyncIterator[MODEL]:  # type: ignore[override]
        for obj in await self:
            yield obj

    # --- compilation -----------------------------------------------------------------------------
    def _where(self, resolver: Resolver) -> tuple[nodes.Node | None, nodes.Node | None]:
        """The WHERE and HAVING conditions (filters on aggregate annotations go to HAVING)."""
        if self._filter is None:
            return None, None
        aggregates = {n for n, e in self._annotations.items() if e.is_aggregate}
        if aggregates and _mentions(self._filter, aggregates):
            where_q, having_q = _split_having(self._filter, aggregates)
            where = where_q.resolve(resolver) if where_q is not None else None
            return where, having_q.resolve(resolver)
        return self._filter.resolve(resolver), None

    def _order_nodes(self, resolver: Resolver, selected: frozenset[str]) -> list[tuple[nodes.Node, bool]]:
        """ORDER BY terms; an annotation among the ``selected`` output columns by its name
        (PostgreSQL matches a DISTINCT query's ORDER BY only against the select list)."""
        order = self._order if self._order is not None else self.model._meta.ordering
        result: list[tuple[nodes.Node, bool]] = []
        for name in order:
            desc = name.startswith("-")
            name = name.lstrip("-+")
            if name == "pk":
                name = self.model._meta.pk_attr
            if name in selected and name in self._annotations:
                result.append((nodes.OutputName(name), desc))
            else:
                result.append((resolver.resolve_field_ref(name)[0], desc))
        return result

    def _base_select(self, resolver: Resolver, with_order: bool = True, selected: frozenset[str] = frozenset()) -> Select:
        meta = self.model._meta
        select = Select(meta.db_table)
        select.where, select.having = self._where(resolver)
        if with_order:
            select.order_by = self._order_nodes(resolver, selected)
        select.limit = resolver.sub("limit", self._limit)
        select.offset = resolver.sub("offset", self._offset)
        select.distinct = self._distinct
        select.for_update = self._for_update
        select.index_hint = self._index_hint
        return select

    def _own_fields(self) -> tuple:
        """The model's fields this query selects (all, or those only() names directly)."""
        meta = self.model._meta
        if not self._only:
            return tuple(meta.data_fields)
        return tuple(meta.fields_map[n] for n in self._only if "__" not in n and n not in self._annotations)

    def _related_only(self, resolver: Resolver, dialect: Any) -> tuple:
        """only()'s relation paths: (relation hops as (name, model), attribute, decoder) each,
        selected after the annotations; their joins are made on ``resolver``."""
        specs = []
        for name in self._only or ():
            if "__" in name and name not in self._annotations:
                node, field = resolver.resolve_field_ref(name)
                decoder = dialect.decoder(field) if dialect is not None else None
                specs.append((_only_path(self.model, name), name.rsplit("__", 1)[1], decoder))
        return tuple(specs)

    def _build_select(self, resolver: Resolver) -> tuple[Select, tuple]:
        meta = self.model._meta
        fields = self._own_fields()
        select = self._base_select(resolver, selected=frozenset(self._annotations))
        table = meta.db_table
        select.columns = [(nodes.Column(table, f.column), None) for f in fields]
        for name in self._annotations:
            select.columns.append((resolver.resolve_field_ref(name)[0], name))
        for name in self._only or ():
            if "__" in name and name not in self._annotations:
                select.columns.append((resolver.resolve_field_ref(name)[0], None))
        if self._annotations and any(e.is_aggregate for e in self._annotations.values()):
            select.group_by = [resolver.resolve_field_ref(n)[0] for n in self._group_by] or [
                nodes.Column(table, f.column) for f in fields
            ]
        elif self._group_by:
            select.group_by = [resolver.resolve_field_ref(n)[0] for n in self._group_by]
        if resolver.has_multi_join and not self._distinct and not select.group_by and not _orders_by_joined(select):
            select.distinct = True  # a row per object (an ordering by joined rows keeps them all)
        select.joins = resolver.joins
        return select, fields

    def _as_subquery(self, outer: Resolver) -> Select:
        """A queryset used as a value (``author__in=Author.filter(…)``) stands for its
        objects' primary keys."""
        resolver = Resolver(self.model, self._annotations)
        meta = self.model._meta
        select = self._base_select(resolver, with_order=self._limit is not None or self._offset is not None)
        select.columns = [(nodes.Column(meta.db_table, meta.pk.column), None)]
        if any(e.is_aggregate for e in self._annotations.values()):
            select.group_by = [select.columns[0][0]]
        select.joins = resolver.joins
        return _derived(select) if select.limit is not None else select

    def _shape(self, w: Walker) -> tuple:
        """The query's shape (see sql/cache.py); filter values, limit and offset go to ``w``."""
        f = self._filter
        annotations = self._annotations
        limited = self._limit is not None
        if limited:
            w.leaf("limit", self._limit)
        offset = self._offset is not None
        if offset:
            w.leaf("offset", self._offset)
        return (
            f.shape(w) if f is not None else None,
            tuple([(n, e.shape(w)) for n, e in annotations.items()]) if annotations else (),
            self._order, self._only, self._group_by, limited, offset,
            self._distinct, self._for_update, self._index_hint,
        )

    def _compile(self, dialect: Any, slots: dict) -> tuple:
        resolver = Resolver(self.model, self._annotations, slots)
        select, fields = self._build_select(resolver)
        sql, plan = compile_plan(select, dialect)
        names = tuple(self._annotations)
        decoders = tuple(_annotation_decoder(e, resolver, dialect) for e in self._annotations.values())
        related = self._related_only(resolver, dialect)
        return sql, make_binder(plan), self.model._meta.hydrator(dialect, fields), len(fields), names, decoders, related

    async def _execute(self) -> Any:
        client = self._client()
        dialect = client.dialect
        found = _cached(self, dialect)
        if found is not None:
            (sql, bind, hydrate, n, names, decoders, related), leaves = found
            rows = await client.fetch_rows(sql, bind(leaves))
        else:
            resolver = Resolver(self.model, self._annotations)
            select, fields = self._build_select(resolver)
            sql, params = compile_query(select, dialect)
            rows = await client.fetch_rows(sql, params)
            hydrate, n = self.model._meta.hydrator(dialect, fields), len(fields)
            names = tuple(self._annotations)
            decoders = tuple(_annotation_decoder(e, resolver, dialect) for e in self._annotations.values())
            related = self._related_only(resolver, dialect)
        if names:
            objs = _hydrate_annotated(rows, hydrate, n, names, decoders)
        elif related:
            objs = [hydrate(row[:n]) for row in rows]
        else:
            objs = build_all(hydrate, rows)
        if related:
            _attach_related_only(objs, rows, n + len(names), related)
        if self._prefetch and objs:
            await self._prefetch_into(objs)
        if self._single is None:
            return objs
        return self._one(objs)

    async def _prefetch_into(self, objs: list) -> None:
        # relations only("rel__field") filled are not fetched again (select_related + only)
        joined = {name.split("__", 1)[0] for name in self._only or () if "__" in name}
        prefetch = [p for p in self._prefetch if p not in joined]
        if prefetch:
            from tortoise.prefetch import prefetch_instances

            await prefetch_instances(self.model, objs, prefetch, self._db)

    def _one(self, objs: list) -> Any:
        if not objs:
            if self._single == self._SINGLE_RAISE:
                raise self.model.DoesNotExist(
                    f"{self.model.__name__} matching {self._describe_filter()} does not exist", model=self.model
                )
            return None
        if len(objs) > 1 and (self._single == self._SINGLE_RAISE or self._strict):
            raise self.model.MultipleObjectsReturned(
                f"more than one {self.model.__name__} matches {self._describe_filter()}", model=self.model
            )
        return objs[0]

    def _describe_filter(self) -> str:
        return _describe_q(self._filter) if self._filter is not None else "the query"


def _cached(query: Any, dialect: Any) -> tuple[Any, list] | None:
    """(compiled entry, leaf values) of ``query`` from the statement cache, compiling it on
    a miss; None when its shape cannot be cached and the plain path must run."""
    model = query.model
    w = Walker(model)
    try:
        key = (type(query), model, model._meta._generation, dialect.name, query._shape(w))
    except Uncacheable:
        return None
    entry = statements.get(key)
    if entry is None:
        recorder = Walker(query.model, record=True)
        query._shape(recorder)
        try:
            entry = query._compile(dialect, recorder.slots)
        except Uncacheable:
            entry = UNCACHEABLE
        except Exception:  # the plain path reports it, with the real values
            return None
        statements.put(key, entry)
    return None if entry is UNCACHEABLE else (entry, w.leaves)


def _only_path(model: Any, name: str) -> tuple:
    """Check an only() name; for ``"a__b__c"`` the hops ((a, model of a), (b, model of b))."""
    *hops, last = name.split("__")
    path = []
    for hop in hops:
        field = model._meta.fields_map.get(hop)
        if field is None or field.relation_kind not in ("fk", "o2o"):
            raise FieldError(
                f"only(): '{name}' must go through forward relations of {model.__name__} "
                f"(fk or one-to-one), and '{hop}' is not one; they are: "
                f"{', '.join(sorted(model._meta.fk_fields | model._meta.o2o_fields)) or 'none'}"
            )
        model = field.related_model
        path.append((hop, model))
    field = model._meta.fields_map.get(last)
    if field is None or not field.has_db_field:
        raise FieldError(
            f"only(): '{last}' in '{name}' is not a column field of {model.__name__}; "
            f"fields are: {', '.join(model._meta.data_field_names)}"
        )
    return tuple(path)


def _attach_related_only(objs: list, rows: list, start: int, related: tuple) -> None:
    """Fill the partial related objects of only("rel__field") from the row's tail."""
    for obj, row in zip(objs, rows):
        for i, (hops, attr, decoder) in enumerate(related):
            target = obj
            for hop, model in hops:
                child = target.__dict__.get(f"_{hop}")
                if child is None:
                    child = object.__new__(model)
                    child.__dict__ = {"_partial": True, "_saved_in_db": True}
                    target.__dict__[f"_{hop}"] = child
                target = child
            value = row[start + i]
            target.__dict__[attr] = decoder(value) if decoder is not None and value is not None else value


def _hydrate_annotated(rows: list, hydrate: Any, n: int, names: tuple, decoders: tuple) -> list:
    objs = []
    for row in rows:
        obj = hydrate(row[:n])
        d = obj.__dict__
        for i, name in enumerate(names):
            value = row[n + i]
            dec = decoders[i]
            d[name] = dec(value) if dec is not None and value is not None else value
        objs.append(obj)
    return objs


def _annotation_decoder(expr: Expression, resolver: Resolver, dialect: Any) -> Any:
    """Annotations always convert: drivers differ in what aggregates return (AVG → Decimal).

    Datetimes take the driver's decoder first: a naive one from the database is UTC, where
    ``to_python_value`` reads a naive value as user input in the configured zone."""
    field = expr.output_field(resolver)
    if field is None:
        return None
    if field.field_type is datetime.datetime and dialect is not None:
        return dialect.decoder(field) or field.to_python_value
    return field.to_python_value


def _describe_q(q: Q) -> str:
    """``a=1, b='x'`` for messages; nested or negated trees fall back to repr."""
    if q._is_negated or (q.children and q.filters):
        return repr(q)
    if not q.children:
        return ", ".join(f"{k}={v!r}" for k, v in q.filters.items())
    joiner = " AND " if q.join_type == Q.AND else " OR "
    return joiner.join(_describe_q(c) for c in q.children)


def _mentions(q: Q, names: set[str]) -> bool:
    if any(k.split("__")[0] in names for k in q.filters):
        return True
    return any(_mentions(child, names) for child in q.children)


def _split_having(q: Q, aggregates: set[str]) -> tuple[Q | None, Q]:
    """Split a top-level AND tree into (WHERE part, HAVING part)."""
    if q.join_type == Q.AND and not q._is_negated:
        where_kw = {k: v for k, v in q.filters.items() if k.split("__")[0] not in aggregates}
        having_kw = {k: v for k, v in q.filters.items() if k.split("__")[0] in aggregates}
        where_children = [c for c in q.children if not _mentions(c, aggregates)]
        having_children = [c for c in q.children if _mentions(c, aggregates)]
        where = Q(*where_children, **where_kw) if (where_children or where_kw) else None
        return where, Q(*having_children, **having_kw)
    return None, q


def _orders_by_joined(select: Select) -> bool:
    """Whether the ORDER BY names a column of a joined table."""
    return any(isinstance(node, nodes.Column) and node.table != select.alias for node, _ in select.order_by)


def _reversed_order(order: Sequence[str]) -> tuple[str, ...]:
    """``("-a", "b")`` → ``("a", "-b")``."""
    return tuple(o[1:] if o.startswith("-") else f"-{o.lstrip('+')}" for o in order)


def _related_key(fk: Any, value: Any) -> Any:
    """``update(author=obj)``: the key of ``obj`` the relation refers to (its ``to_field``)."""
    return fk.key_of(value) if isinstance(value, Model) else value


def _check_bound(what: str, value: int) -> None:
    """limit()/offset() take a count of rows (Tortoise's wording first)."""
    if value < 0:
        raise ParamsError(f"{what} should be non-negative number, got {value}")


def _inline(sql: str, params: list[Any]) -> str:
    """Readable SQL with parameters shown in place (for display only, never executed)."""
    import re

    values = iter(params)
    return re.sub(r"\?|\$\d+|%s", lambda m: repr(next(values, m.group(0))), sql)


class _Terminal(AwaitableQuery):
    """A query derived from a QuerySet (values, count, update …)."""

    def __init__(self, qs: QuerySet) -> None:
        self.qs = qs
        self.model = qs.model
        self._db = qs._db

    def sql(self, params_inline: bool = False) -> str:
        client = self._client()
        statement = self._statement(client)
        sql, params = compile_query(statement, client.dialect)
        return _inline(sql, params) if params_inline else sql

    def _statement(self, client: "BaseDBAsyncClient") -> Any:
        raise NotImplementedError


def _refuse_relation(model: Any, path: str) -> None:
    """values() selects columns: a path ending on a relation itself is refused."""
    field = None
    for part in path.split("__"):
        meta = model._meta
        field = meta.fields_map.get(meta.query_names.get(part, part))
        if field is None or field.relation_kind is None:
            return  # a column (or an unknown name, which the resolver reports)
        model = field.related_model
    raise ValueError(
        f'Selecting relation "{path}" is not possible, select concrete field on related model '
        f"(e.g. {path}__{model._meta.pk_attr})"
    )


class ValuesQuery(_Terminal):
    #: aggregates annotated on the queryset are per object (False for aggregate())
    per_object = True

    def __init__(self, qs: QuerySet, fields: tuple[str, ...], expressions: dict[str, Any], as_tuples: bool, flat: bool) -> None:
        super().__init__(qs)
        if expressions:
            # values(author_name="author__name"): a string names a field path
            qs = qs.annotate(**{n: F(e) if isinstance(e, str) else e for n, e in expressions.items()})
            self.qs = qs
        meta = self.model._meta
        if qs._only:
            raise ValueError(f"values() cannot follow only() on {self.model.__name__}: values() names its own columns")
        for name in fields:
            _refuse_relation(self.model, name)
        for i, name in enumerate(fields):  # dict keys must differ; values_list() may repeat
            if not as_tuples and (name in fields[:i] or name in expressions):
                raise FieldError(f"Duplicate key {name}: values() names each output key once")
        self.names = list(fields) + list(expressions) if (fields or expressions) else (
            meta.data_field_names + list(qs._annotations)
        )
        self.as_tuples, self.flat = as_tuples, flat
        self._single = qs._single

    def _resolve(self, dialect: Any, resolver: Resolver | None = None) -> tuple[Select, list]:
        qs = self.qs
        resolver = resolver or Resolver(self.model, qs._annotations)
        # annotations ordered on are named in the select list, and the ORDER BY names them
        ordered = {o.lstrip("-+") for o in qs._order or ()}
        aliased = frozenset(n for n in self.names if n in qs._annotations and n in ordered)
        select = qs._base_select(resolver, selected=aliased)
        columns, decoders, plain = [], [], []
        for name in self.names:
            ref = self.model._meta.pk_attr if name == "pk" else name
            node, field = resolver.resolve_field_ref(ref)
            columns.append((node, name if name in aliased else None))
            if name in qs._annotations:
                decoders.append(_annotation_decoder(qs._annotations[name], resolver, dialect))
            else:
                decoders.append(dialect.decoder(field) if field is not None and dialect is not None else None)
            if not (name in qs._annotations and qs._annotations[name].is_aggregate):
                plain.append(node)
        select.columns = columns
        if qs._group_by:
            select.group_by = [resolver.resolve_field_ref(n)[0] for n in qs._group_by]
            if qs._order is None:  # Meta.ordering would name columns outside the grouping
                select.order_by = []
        elif self._per_object(select, resolver):
            # an annotated aggregate over related rows, or one filtered or ordered on, is
            # computed per object whichever columns are selected: group by the key as well
            meta = self.model._meta
            select.group_by = [nodes.Column(meta.db_table, meta.pk.column), *plain]
        elif any(qs._annotations[n].is_aggregate for n in self.names if n in qs._annotations):
            select.group_by = plain  # one row per group of the selected plain columns
            select.order_by = []
        select.joins = resolver.joins
        return select, decoders

    def _per_object(self, select: Select, resolver: Resolver) -> bool:
        """Tortoise's rule: aggregates are per object once the query joins, has a HAVING or
        an explicit ordering (aggregate() never is)."""
        qs = self.qs
        if not self.per_object or not any(e.is_aggregate for e in qs._annotations.values()):
            return False
        return bool(resolver.joins or select.having is not None or qs._order)

    def _statement(self, client: "BaseDBAsyncClient") -> Any:
        return self._resolve(client.dialect)[0]

    def _as_subquery(self, outer: Resolver) -> Select:
        """The SELECT of these columns, used as a value (``filter(id__in=qs.values("id"))``)."""
        select = self._resolve(None)[0]
        return _derived(select) if select.limit is not None else select

    def _shape(self, w: Walker) -> tuple:
        return (self.qs._shape(w), tuple(self.names), self.as_tuples, self.flat, self.per_object)

    def _compile(self, dialect: Any, slots: dict) -> tuple:
        select, decoders = self._resolve(dialect, Resolver(self.model, self.qs._annotations, slots))
        sql, plan = compile_plan(select, dialect)
        return sql, make_binder(plan), make_row_maker(self.names, decoders, self.as_tuples, self.flat)

    async def _execute(self) -> Any:
        client = self._client()
        dialect = client.dialect
        found = _cached(self, dialect)
        if found is not None:
            (sql, bind, make), leaves = found
            rows = await client.fetch_rows(sql, bind(leaves))
            result = build_all(make, rows)
        else:
            select, decoders = self._resolve(dialect)
            sql, params = compile_query(select, dialect)
            result = self._convert(await client.fetch_rows(sql, params), decoders)
        if self._single is None:
            return result
        return self.qs._one(result)

    def _convert(self, rows: list, decoders: list) -> list:
        if any(d is not None for d in decoders):
            rows = [[v if d is None or v is None else d(v) for v, d in zip(row, decoders)] for row in rows]
        if self.flat:
            return [row[0] for row in rows]
        if self.as_tuples:
            return [tuple(row) for row in rows]
        names = self.names
        return [dict(zip(names, row)) for row in rows]


class _CachedTerminal(_Terminal):
    """A terminal query run through the statement cache: (sql, binder) per shape."""

    def _shape(self, w: Walker) -> Any:
        return self.qs._shape(w)

    def _compile(self, dialect: Any, slots: dict) -> tuple:
        sql, plan = compile_plan(self._build(Resolver(self.model, self.qs._annotations, slots)), dialect)
        return sql, make_binder(plan)

    def _statement(self, client: "BaseDBAsyncClient") -> Any:
        return self._build(Resolver(self.model, self.qs._annotations))

    def _build(self, resolver: Resolver) -> Any:
        raise NotImplementedError

    def _prepared(self, client: "BaseDBAsyncClient") -> tuple[str, list]:
        dialect = client.dialect
        found = _cached(self, dialect)
        if found is not None:
            (sql, bind), leaves = found
            return sql, bind(leaves)
        return compile_query(self._statement(client), dialect)


class CountQuery(_CachedTerminal):
    def _build(self, resolver: Resolver) -> Any:
        qs = self.qs
        if qs._limit is None and qs._offset is None and not qs._distinct and not qs._annotations and not qs._group_by:
            select = qs._base_select(resolver, with_order=False)
            select.joins = resolver.joins
            if resolver.has_multi_join:
                pk = self.model._meta.pk
                select.columns = [(nodes.count_distinct(nodes.Column(self.model._meta.db_table, pk.column)), None)]
            else:
                select.columns = [(nodes.COUNT_ALL, None)]
            return select
        inner, _ = qs._build_select(resolver)
        outer = Select("", "_counted", source=inner)
        outer.columns = [(nodes.COUNT_ALL, None)]
        return outer

    async def _execute(self) -> int:
        client = self._client()
        rows = await client.fetch_rows(*self._prepared(client))
        return int(rows[0][0]) if rows else 0


class ExistsQuery(_CachedTerminal):
    def _shape(self, w: Walker) -> Any:
        w.leaf("exists_limit", 1)
        return self.qs._shape(w)

    def _build(self, resolver: Resolver) -> Any:
        qs = self.qs
        select = qs._base_select(resolver, with_order=False)
        select.columns = [(nodes.ONE, None)]
        select.joins = resolver.joins
        if select.having is not None:  # filtered on an aggregate annotation: per object
            meta = self.model._meta
            select.group_by = [nodes.Column(meta.db_table, meta.pk.column)]
        select.limit = resolver.sub("exists_limit", 1)
        return select

    async def _execute(self) -> bool:
        client = self._client()
        return bool(await client.fetch_rows(*self._prepared(client)))


class AggregateQuery(_Terminal):
    def __init__(self, qs: QuerySet, expressions: dict[str, Any]) -> None:
        if not expressions:
            raise ParamsError("aggregate() needs name=Function(...) arguments")
        super().__init__(qs)
        self.expressions = expressions

    async def _execute(self) -> dict[str, Any]:
        qs = self.qs.annotate(**self.expressions)
        qs._order = ()
        query = ValuesQuery(qs, tuple(self.expressions), {}, as_tuples=False, flat=False)
        query.per_object = False
        rows = await query
        return rows[0] if rows else {name: None for name in self.expressions}


class ExplainQuery(_Terminal):
    def __init__(self, qs: QuerySet, output_fmt: str | None, options: dict[str, bool]) -> None:
        super().__init__(qs)
        self.output_fmt, self.options = output_fmt, options

    async def _execute(self) -> Any:
        client = self._client()
        select, _ = self.qs._build_select(Resolver(self.model, self.qs._annotations))
        sql, params = compile_query(select, client.dialect)
        return await client.execute_query_dict(client.dialect.explain(sql, self.output_fmt, self.options), params)


def _restricting(qs: QuerySet, resolver: Resolver, where: nodes.Node | None) -> nodes.Node | None:
    """WHERE for UPDATE/DELETE: direct when simple, else ``pk IN (derived subquery)``."""
    if not resolver.joins and qs._limit is None and qs._offset is None:
        return where
    meta = qs.model._meta
    inner = qs._base_select(resolver)
    inner.columns = [(nodes.Column(meta.db_table, meta.pk.column), None)]
    inner.joins = resolver.joins
    # MySQL refuses a subquery on the updated table unless it is wrapped in a derived table
    return nodes.in_subquery(nodes.Column(meta.db_table, meta.pk.column), nodes.Subquery(_derived(inner)))


def _derived(inner: Select) -> Select:
    """``SELECT _q._c0,… FROM (inner) _q``: the same rows, which MySQL accepts where it
    refuses ``inner`` itself (LIMIT in an IN subquery, a subquery on the updated table)."""
    inner.columns = [(node, f"_c{i}") for i, (node, _) in enumerate(inner.columns)]
    wrapper = Select("", "_q", source=inner)
    wrapper.columns = [(nodes.Column("_q", f"_c{i}"), None) for i in range(len(inner.columns))]
    return wrapper


class UpdateQuery(_CachedTerminal):
    def __init__(self, qs: QuerySet, values: dict[str, Any]) -> None:
        super().__init__(qs)
        self.values = values

    def _sets(self, resolver: Resolver) -> list[tuple[str, nodes.Node]]:
        meta = self.model._meta
        sets = []
        for name, value in self.values.items():
            field = meta.fields_map.get(name)
            if field is None:
                raise FieldError(
                    f"Unknown keyword argument {name} for model {self.model.__name__}: update() takes its fields, "
                    f"which are: {', '.join(meta.fields_map)}"
                )
            if field.pk and not isinstance(value, Expression):  # update(id=F("id") + 1000) is allowed
                raise IntegrityError(
                    f"Field {name} is PK and can not be updated: update() on {self.model.__name__} to a "
                    "fixed value would give every row the same key"
                )
            if field.relation_kind in ("fk", "o2o"):
                value = _related_key(field, value)
                field = meta.fields_map[field.source_field_name]
            elif field.relation_kind is not None:
                raise FieldError(
                    f"Field {name} is virtual and can not be updated: {self.model.__name__}.{name} is a "
                    "relation kept in other rows; change it through its manager"
                )
            if isinstance(value, Expression):
                node = value.resolve(resolver)
            else:
                if value is None and not field.null:
                    raise FieldError(f"update(): {field.qualified_name} is not nullable and cannot be set to None")
                node = nodes.Param(resolver.sub(("set", name), value), field)
            sets.append((field.column, node))
        return sets

    def _shape(self, w: Walker) -> Any:
        fields_map = self.model._meta.fields_map
        sets = []
        for name, value in self.values.items():
            field = fields_map.get(name)
            if field is None:
                raise Uncacheable(name)
            if isinstance(value, Expression):
                sets.append((name, value.shape(w)))
                continue
            if field.relation_kind in ("fk", "o2o"):
                value = _related_key(field, value)
            w.leaf(("set", name), value)
            sets.append((name, value is None))
        return (tuple(sets), self.qs._shape(w))

    def _build(self, resolver: Resolver) -> Any:
        sets = self._sets(resolver)
        where, _ = self.qs._where(resolver)
        return Update(self.model._meta.db_table, sets, _restricting(self.qs, resolver, where))

    async def _execute(self) -> int:
        client = self._client(for_write=True)
        return await client.execute_write(*self._prepared(client))


class DeleteQuery(_CachedTerminal):
    def _build(self, resolver: Resolver) -> Any:
        where, _ = self.qs._where(resolver)
        return Delete(self.model._meta.db_table, _restricting(self.qs, resolver, where))

    async def _execute(self) -> int:
        client = self._client(for_write=True)
        return await client.execute_write(*self._prepared(client))


class RawSQLQuery(AwaitableQuery):
    """``Model.raw(sql, params)``: run user SQL and build instances from its rows."""

    def __init__(self, model: Any, sql: str, params: Sequence[Any] | None, using_db: Any) -> None:
        self.model, self._sql, self._params, self._db = model, sql, list(params or []), using_db

    async def _execute(self) -> list:
        from tortoise.backends.base.placeholders import adapt_placeholders

        client = self._client()
        sql, params = adapt_placeholders(self._sql, self._params, client.dialect)
        rows = await client.execute_query_dict(sql, params)
        meta = self.model._meta
        dialect = client.dialect
        columns: dict[str, tuple[str, Any]] = {}  # column → (attribute, decoder), per query
        for column in rows[0] if rows else ():
            name = meta.fields_db_projection_reverse.get(column, column)
            field = meta.fields_map.get(name)
            columns[column] = (name, dialect.decoder(field) if field is not None else None)
        objs = []
        for row in rows:
            obj = object.__new__(self.model)
            d = {}
            for column, value in row.items():
                name, dec = columns[column]
                d[name] = dec(value) if dec is not None and value is not None else value
            d["_saved_in_db"] = True
            obj.__dict__ = d
            objs.append(obj)
        return objs


class UnionQuery(AwaitableQuery):
    """``qs1.union(qs2, …)``: instances of each member's model; ``order_by``, ``limit``,
    ``offset`` and ``count`` apply to the union.  Columns are named after the first
    member's fields (an ordering names those); a leading column tells the model apart."""

    _order: tuple[str, ...] = ()
    _limit: int | None = None
    _offset: int | None = None

    def __init__(self, members: tuple[QuerySet, ...], all: bool) -> None:
        for member in members:
            if not isinstance(member, QuerySet):
                raise ParamsError(f"union() takes querysets, got {member!r}")
        self.members, self.all = members, all
        self.model = members[0].model
        self._db = members[0]._db

    def _clone(self) -> "UnionQuery":
        union = object.__new__(UnionQuery)
        union.__dict__ = self.__dict__.copy()
        return union

    def union(self, *others: QuerySet, all: bool = False) -> "UnionQuery":
        union = self._clone()
        union.members, union.all = (*self.members, *others), self.all or all
        return union

    def order_by(self, *orderings: str) -> "UnionQuery":
        names = self._names()
        for name in orderings:
            if not isinstance(name, str) or name.lstrip("-+") not in (*names, "pk"):
                raise ParamsError(
                    f"Order by field must be in the select list: order_by() on a union takes the columns "
                    f"{', '.join(names)}, got {name!r}"
                )
        union = self._clone()
        union._order = orderings
        return union

    def limit(self, limit: int) -> "UnionQuery":
        _check_bound("Limit", limit)
        union = self._clone()
        union._limit = limit
        return union

    def offset(self, offset: int) -> "UnionQuery":
        _check_bound("Offset", offset)
        union = self._clone()
        union._offset = offset
        return union

    def count(self) -> "UnionCountQuery":
        return UnionCountQuery(self)

    def _fields(self, member: QuerySet) -> tuple:
        return member._own_fields()

    def _names(self) -> list[str]:
        return [f.model_field_name for f in self._fields(self.members[0])]

    def _tag(self, member: QuerySet) -> int:
        """The model's number: per model, not per member, so that equal rows merge."""
        return [m.model for m in self.members].index(member.model)

    def _members(self) -> tuple[Union, list[tuple]]:
        names = self._names()
        columns = [f.column for f in self._fields(self.members[0])]
        selects, fields_of = [], []
        for member in self.members:
            tag = self._tag(member)
            if member._annotations:
                raise ParamsError(
                    f"Union queries do not support annotations: the {member.model.__name__} queryset annotates "
                    f"{', '.join(member._annotations)}"
                )
            select, fields = member._build_select(Resolver(member.model, {}))
            if [f.column for f in fields] != columns:
                raise ParamsError(
                    f"Union queries must have the same select fields: {member.model.__name__} selects the columns "
                    f"{', '.join(f.column for f in fields)}, the first queryset {', '.join(columns)}; "
                    "choose them with only()"
                )
            select.columns = [(nodes.Literal(str(tag)), "_model")] + [
                (node, name) for (node, _), name in zip(select.columns, names)
            ]
            selects.append(select)
            fields_of.append(fields)
        return Union(selects, self.all), fields_of

    def _statement(self) -> tuple[Select, list[tuple]]:
        union, fields_of = self._members()
        outer = Select("", "_u", source=union)
        pk_name = self.model._meta.pk_attr
        outer.order_by = [
            (nodes.Column("_u", pk_name if o.lstrip("-+") == "pk" else o.lstrip("-+")), o.startswith("-"))
            for o in self._order
        ]
        outer.limit, outer.offset = self._limit, self._offset
        return outer, fields_of

    def sql(self, params_inline: bool = False) -> str:
        sql, params = compile_query(self._statement()[0], self._client().dialect)
        return _inline(sql, params) if params_inline else sql

    async def _execute(self) -> list:
        client = self._client()
        dialect = client.dialect
        select, fields_of = self._statement()
        rows = await client.fetch_rows(*compile_query(select, dialect))
        hydrators: dict[int, Any] = {}  # model tag → hydrator
        for member, fields in zip(self.members, fields_of):
            hydrators.setdefault(self._tag(member), member.model._meta.hydrator(dialect, fields))
        return [hydrators[int(row[0])](row[1:]) for row in rows]


class UnionCountQuery(AwaitableQuery):
    def __init__(self, union: UnionQuery) -> None:
        self.union, self.model, self._db = union, union.model, union._db

    async def _execute(self) -> int:
        client = self._client()
        inner, _ = self.union._statement()
        outer = Select("", "_n", source=inner)
        outer.columns = [(nodes.COUNT_ALL, None)]
        rows = await client.fetch_rows(*compile_query(outer, client.dialect))
        return int(rows[0][0]) if rows else 0
