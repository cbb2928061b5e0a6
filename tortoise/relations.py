"""Relations on instances: the descriptors models carry for relational fields
(``post.author``, ``user.posts``) and the per-instance managers they give
(``user.posts`` reverse FK, ``post.tags`` many-to-many with add/remove/clear/set).

``tortoise.fields.relational`` and ``tortoise.fields.managers`` re-export the managers
under their historical names.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, Iterator, TypeVar

from tortoise.exceptions import FieldError, NoValuesFetched, OperationalError
from tortoise.sql import statements as statements_sql
from tortoise.sql.cache import statements as statement_cache
from tortoise.sql.nodes import encoder_for

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.relational import ForeignKeyFieldInstance, RelationalField
    from tortoise.models import Model
    from tortoise.queryset import QuerySet

MODEL = TypeVar("MODEL", bound="Model")


class ReverseRelation(Generic[MODEL]):
    """The objects pointing at an instance; awaitable, filterable, iterable once fetched."""

    def __init__(self, instance: "Model", field: Any) -> None:
        self.instance = instance
        self.field = field
        self.related_model = field.related_model
        self._fetched = False
        self.related_objects: list[MODEL] = []

    def _query(self) -> "QuerySet[MODEL]":
        if not self.instance._saved_in_db:
            raise OperationalError(
                f"This objects hasn't been instanced, call .save() before calling related queries: "
                f"{type(self.instance).__name__} must be saved before using relation '{self.field.model_field_name}'"
            )
        return self.related_model.filter(**{self.field.relation_field: self._key()})

    def _key(self) -> Any:
        column = self.field.to_field_column
        meta = type(self.instance)._meta
        return self.instance.__dict__.get(meta.fields_db_projection_reverse.get(column, meta.pk_attr))

    def _set_result(self, objects: list[MODEL]) -> None:
        self.related_objects = objects
        self._fetched = True

    async def create(self, using_db: Any = None, **kwargs: Any) -> MODEL:
        """A new related object that points at this instance."""
        self._query()  # the owner must be saved
        return await self.related_model.create(using_db=using_db, **{self.field.relation_field: self._key()}, **kwargs)

    # queryset passthroughs
    def all(self) -> "QuerySet[MODEL]":
        return self._query()

    def filter(self, *args: Any, **kwargs: Any) -> "QuerySet[MODEL]":
        return self._query().filter(*args, **kwargs)

    def exclude(self, *args: Any, **kwargs: Any) -> "QuerySet[MODEL]":
        return self._query().exclude(*args, **kwargs)

    def order_by(self, *orderings: str) -> "QuerySet[MODEL]":
        return self._query().order_by(*orderings)

    def limit(self, limit: int) -> "QuerySet[MODEL]":
        return self._query().limit(limit)

    def offset(self, offset: int) -> "QuerySet[MODEL]":
        return self._query().offset(offset)

    def count(self) -> Any:
        return self._query().count()

    def values(self, *args: str, **kwargs: Any) -> Any:
        return self._query().values(*args, **kwargs)

    def values_list(self, *args: str, flat: bool = False) -> Any:
        return self._query().values_list(*args, flat=flat)

    def __await__(self):
        async def fetch() -> list[MODEL]:
            objects = await self._query()
            self._set_result(objects)
            return objects

        return fetch().__await__()

    async def __aiter__(self):
        if not self._fetched:
            await self
        for obj in self.related_objects:
            yield obj

    def _require_fetched(self) -> None:
        if not self._fetched:
            raise NoValuesFetched(
                f"No values were fetched for this relation, first use .fetch_related(): "
                f"{type(self.instance).__name__}.{self.field.model_field_name} was not fetched; "
                "use fetch_related(), prefetch_related() or await it first"
            )

    def __iter__(self) -> Iterator[MODEL]:
        self._require_fetched()
        return iter(self.related_objects)

    def __len__(self) -> int:
        self._require_fetched()
        return len(self.related_objects)

    def __bool__(self) -> bool:
        self._require_fetched()
        return bool(self.related_objects)

    def __contains__(self, item: Any) -> bool:
        self._require_fetched()
        return item in self.related_objects

    def __getitem__(self, index: int) -> MODEL:
        self._require_fetched()
        return self.related_objects[index]


class ManyToManyRelation(ReverseRelation[MODEL]):
    """``post.tags``: also add / remove / clear / set through the join table."""

    def _query(self) -> "QuerySet[MODEL]":
        if not self.instance._saved_in_db:
            raise OperationalError(
                f"This objects hasn't been instanced, call .save() before calling related queries: "
                f"{type(self.instance).__name__} must be saved before using relation '{self.field.model_field_name}'"
            )
        return self.related_model.filter(**{f"{self.field.related_name}__{type(self.instance)._meta.pk_attr}": self.instance.pk})

    def _db(self, using_db: Any) -> Any:
        return using_db or type(self.instance)._choose_db(for_write=True)

    def _statement(self, db: Any, builder: Any, *counts: Any) -> str:
        """The join-table statement ``builder`` makes, from the statement cache."""
        field, dialect = self.field, db.dialect
        names = (field.through, field.backward_key, field.forward_key)
        return statement_cache.compiled(
            (builder.__name__, dialect.name, *names, *counts), lambda: builder(dialect, *names, *counts)
        )

    # keys as the driver takes them (e.g. UUIDs as text on SQLite)
    def _own_key(self, dialect: Any) -> Any:
        return encoder_for(type(self.instance)._meta.pk, dialect)(self.instance.pk)

    def _target_keys(self, dialect: Any, ids: list[Any]) -> list[Any]:
        encode = encoder_for(self.related_model._meta.pk, dialect)
        return [encode(i) for i in ids]

    async def add(self, *instances: MODEL, using_db: Any = None) -> None:
        if not instances:
            return
        if not self.instance._saved_in_db:
            raise OperationalError(
                f"You should first call .save() on {self.instance}: {type(self.instance).__name__} must be saved "
                f"before adding to its relation '{self.field.model_field_name}'"
            )
        field = self.field
        db = self._db(using_db)
        ids = []
        for obj in instances:
            if not isinstance(obj, self.related_model):
                raise OperationalError(f"{field.qualified_name}.add() takes {self.related_model.__name__} objects, got {obj!r}")
            if obj.pk is None or not obj._saved_in_db:
                raise OperationalError(
                    f"You should first call .save() on {obj}: cannot add an unsaved {type(obj).__name__} to {field.qualified_name}"
                )
            if obj.pk not in ids:
                ids.append(obj.pk)
        own_key, keys = self._own_key(db.dialect), self._target_keys(db.dialect, ids)
        existing_sql = self._statement(db, statements_sql.m2m_existing, len(keys))
        # compared as text: a driver may return the keys in another type than it takes them
        existing = {str(row[0]) for row in await db.fetch_rows(existing_sql, [own_key, *keys])}
        new = [k for k in keys if str(k) not in existing]
        if new:
            insert = self._statement(db, statements_sql.m2m_insert)
            await db.execute_many(insert, [[own_key, k] for k in new])
        self._fetched = False

    async def create(self, using_db: Any = None, **kwargs: Any) -> MODEL:
        """A new related object, added to this relation."""
        self._query()  # the owner must be saved
        obj = await self.related_model.create(using_db=using_db, **kwargs)
        await self.add(obj, using_db=using_db)
        return obj

    async def remove(self, *instances: MODEL, using_db: Any = None) -> None:
        if not instances:
            raise OperationalError(f"remove() called on no instances: {self.field.qualified_name}.remove() needs at least one object")
        await self._delete([o.pk for o in instances], using_db)

    async def clear(self, using_db: Any = None) -> None:
        await self._delete(None, using_db)

    async def set(self, instances: list[MODEL], using_db: Any = None) -> None:
        """Replace the related set with ``instances`` (atomically)."""
        from tortoise.transactions import in_transaction

        async with in_transaction(self._db(using_db)) as conn:
            await self.clear(using_db=conn)
            await self.add(*instances, using_db=conn)

    async def _delete(self, ids: list[Any] | None, using_db: Any) -> None:
        self._query()
        db = self._db(using_db)
        sql = self._statement(db, statements_sql.m2m_delete, None if ids is None else len(ids))
        params = [self._own_key(db.dialect)]
        if ids is not None:
            params.extend(self._target_keys(db.dialect, ids))
        await db.execute_write(sql, params)
        self._fetched = False


def make_manager(instance: "Model", field: Any) -> ReverseRelation:
    if field.relation_kind == "m2m":
        return ManyToManyRelation(instance, field)
    return ReverseRelation(instance, field)


# --- descriptors ---------------------------------------------------------------------------
class _NoneAwaitable:
    """What an unset nullable relation gives: falsy, and ``await``-able to None."""

    __slots__ = ()

    def __await__(self):
        return
        yield  # pragma: no cover  (makes this a generator)

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NoneAwaitable"


NoneAwaitable = _NoneAwaitable()


class ForwardRelationDescriptor:
    """``post.author``: the instance when fetched, else an awaitable query for it."""

    def __init__(self, field: "ForeignKeyFieldInstance") -> None:
        self.field = field
        self.name = field.model_field_name
        self.cache = f"_{field.model_field_name}"
        self.id_attr = field.source_field_name

    def __get__(self, obj: Any, owner: Any) -> Any:
        if obj is None:
            return self.field
        d = obj.__dict__
        if self.id_attr not in d and "_partial" in d:  # fetched with only() without the key
            if self.cache in d:
                return d[self.cache]
            raise AttributeError(f"{type(obj).__name__}.{self.name} was not fetched: only() left out {self.id_attr}")
        value = d.get(self.id_attr)
        cached = d.get(self.cache)
        if cached is not None and value is not None and getattr(cached, self.field.to_field_instance.model_field_name) == value:
            return cached
        if value is None:  # set on this instance (None, or an unsaved object given to construct())
            return d[self.cache] if self.cache in d else NoneAwaitable  # else unset in the database
        related = self.field.related_model
        return related.filter(**{self.field.to_field_instance.model_field_name: value}).first()

    def __set__(self, obj: Any, value: Any) -> None:
        d = obj.__dict__
        if value is None:
            d[self.id_attr] = None
            d[self.cache] = None
            return
        if not isinstance(value, _model_class()):
            raise FieldError(
                f"{self.field.qualified_name} takes a {self.field.related_model.__name__ if self.field.related_model else 'model'} "
                f"instance or None, got {value!r}; to set the id use {self.id_attr}="
            )
        key = self.field.key_of(value)
        if key is None or not value._saved_in_db:
            raise OperationalError(
                f"You should first call .save() on {value}: cannot assign an unsaved {type(value).__name__} "
                f"to {self.field.qualified_name}"
            )
        d[self.id_attr] = key
        d[self.cache] = value

    def __delete__(self, obj: Any) -> None:
        """``del post.author``: the relation is emptied, as if set to None."""
        self.__set__(obj, None)


class RelationManagerDescriptor:
    """``user.posts`` / ``post.tags``: a per-instance relation manager."""

    def __init__(self, field: "RelationalField") -> None:
        self.field = field
        self.name = field.model_field_name

    def __get__(self, obj: Any, owner: Any) -> Any:
        if obj is None:
            return self.field
        d = obj.__dict__
        manager = d.get(self.name)
        if manager is None:
            manager = d[self.name] = make_manager(obj, self.field)
        return manager

    def __set__(self, obj: Any, value: Any) -> None:
        raise FieldError(
            f"{self.field.qualified_name} is a relation; use .add()/.remove() or the related model's foreign key"
        )


def _model_class() -> type:
    """``tortoise.models.Model`` (imported on first use: models imports this module)."""
    global _MODEL
    if _MODEL is None:
        from tortoise.models import Model

        _MODEL = Model
    return _MODEL


_MODEL: Any = None
