"""Per-instance relation managers: ``user.posts`` (reverse FK) and ``post.tags`` (M2M)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, Iterator, TypeVar

from tortoise.exceptions import NoValuesFetched, OperationalError
from tortoise.sql.nodes import encoder_for

if TYPE_CHECKING:  # pragma: no cover
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
        return self.instance.__dict__.get(meta.column_to_field.get(column, meta.pk_attr))

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

    def _encoded_keys(self, dialect: Any, ids: list[Any] | None) -> tuple[Any, list[Any] | None]:
        """The owner's key and ``ids`` as the driver takes them (e.g. UUIDs as text on SQLite)."""
        own = encoder_for(type(self.instance)._meta.pk, dialect)(self.instance.pk)
        if ids is None:
            return own, None
        encode = encoder_for(self.related_model._meta.pk, dialect)
        return own, [encode(i) for i in ids]

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
        dialect = db.dialect
        q = dialect.quote
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
        own_key, ids = self._encoded_keys(dialect, ids)
        marks = ",".join(dialect.placeholder(i + 1) for i in range(len(ids)))
        existing_sql = (
            f"SELECT {q(field.forward_key)} FROM {q(field.through)} "
            f"WHERE {q(field.backward_key)}={dialect.placeholder(0)} AND {q(field.forward_key)} IN ({marks})"
        )
        # compared as text: a driver may return the keys in another type than it takes them
        existing = {str(row[0]) for row in await db.fetch_rows(existing_sql, [own_key, *ids])}
        new = [i for i in ids if str(i) not in existing]
        if new:
            insert = (
                f"INSERT INTO {q(field.through)} ({q(field.backward_key)},{q(field.forward_key)}) "
                f"VALUES ({dialect.placeholder(0)},{dialect.placeholder(1)})"
            )
            await db.execute_many(insert, [[own_key, i] for i in new])
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
        field = self.field
        db = self._db(using_db)
        dialect = db.dialect
        q = dialect.quote
        sql = f"DELETE FROM {q(field.through)} WHERE {q(field.backward_key)}={dialect.placeholder(0)}"
        own_key, ids = self._encoded_keys(dialect, ids)
        params = [own_key]
        if ids is not None:
            marks = ",".join(dialect.placeholder(i + 1) for i in range(len(ids)))
            sql += f" AND {q(field.forward_key)} IN ({marks})"
            params.extend(ids)
        await db.execute_write(sql, params)
        self._fetched = False


def make_manager(instance: "Model", field: Any) -> ReverseRelation:
    if field.relation_kind == "m2m":
        return ManyToManyRelation(instance, field)
    return ReverseRelation(instance, field)
