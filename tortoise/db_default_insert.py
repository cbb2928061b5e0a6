"""INSERT of an instance whose ``db_default`` fields were left unset.

The unset columns are left out of the statement so that the database fills them in, and
their values (with a generated primary key) come back onto the instance: through
RETURNING where the dialect has it, else by reading the new row by primary key (unless
``Meta.fetch_db_defaults = False``).  The statement is built once per model, dialect and
set of omitted fields (in the statement cache).  ``bulk_create`` leaves out the columns
that every object leaves unset (``unset_in_all``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise.exceptions import OperationalError
from tortoise.fields.base import DatabaseDefault
from tortoise.model_code import make_row_encoder
from tortoise.sql import statements as statements_sql
from tortoise.sql.cache import statements as statement_cache

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.backends.base.client import BaseDBAsyncClient
    from tortoise.fields.base import Field
    from tortoise.models import Model


def unset_db_defaults(obj: "Model") -> tuple["Field", ...]:
    """The db_default fields of ``obj`` that hold no value (None or the DatabaseDefault
    marker), and its generated columns (always the database's to fill)."""
    d = obj.__dict__
    return tuple(f for f in obj._meta.db_default_fields if f.generated or is_unset(d.get(f.model_field_name)))


def is_unset(value: Any) -> bool:
    return value is None or isinstance(value, DatabaseDefault)


def unset_in_all(model: "type[Model]", objects: list["Model"]) -> tuple["Field", ...]:
    """The db_default fields every one of ``objects`` leaves unset: a multi-row INSERT
    leaves their columns out.  One statement has one column list, so a field set on some
    objects and left unset on others is refused."""
    omitted = []
    for field in model._meta.db_default_fields:
        name = field.model_field_name
        unset = len(objects) if field.generated else sum(1 for obj in objects if is_unset(obj.__dict__.get(name)))
        if unset == len(objects):
            omitted.append(field)
        elif unset:
            raise OperationalError(
                f"Cannot use bulk_create on {model.__name__}: {name} is set on {len(objects) - unset} object(s) and "
                f"left to its db_default on {unset}; set it on all of them or on none (or create() them one by one)"
            )
    return tuple(omitted)


class _Plan:
    def __init__(self, obj: "Model", db: "BaseDBAsyncClient", omitted: tuple["Field", ...], auto_pk: bool) -> None:
        meta = obj._meta
        dialect = db.dialect
        pk = meta.pk
        self.fields = [f for f in meta.data_fields if f not in omitted and not (auto_pk and f is pk)]
        self.encode = make_row_encoder(self.fields, dialect)
        # RETURNING brings the values back at no cost; ``fetch_db_defaults = False`` only
        # saves the extra SELECT where the dialect has no RETURNING
        wanted = meta.fetch_db_defaults or dialect.supports_returning
        self.fetched = ([pk] if auto_pk else []) + (list(omitted) if wanted else [])
        self.returning = dialect.supports_returning and bool(self.fetched)
        returned = [f.column for f in self.fetched] if self.returning else []
        self.insert = statements_sql.insert_returning(dialect, meta.db_table, [f.column for f in self.fields], returned)
        fetched = [f.column for f in self.fetched if f is not pk]
        self.select = statements_sql.select_by_pk(dialect, meta.db_table, fetched, pk.column) if fetched else ""
        self.decoders = {f.column: (f.model_field_name, dialect.decoder(f) or _same) for f in self.fetched}


def _same(value: Any) -> Any:
    return value


def _plan(obj: "Model", db: "BaseDBAsyncClient", omitted: tuple["Field", ...], auto_pk: bool) -> _Plan:
    meta = obj._meta
    key = ("db_default_insert", meta.model, meta._generation, db.dialect.name, omitted, auto_pk)
    return statement_cache.compiled(key, lambda: _Plan(obj, db, omitted, auto_pk))


def _assign(obj: "Model", plan: _Plan, row: dict[str, Any]) -> None:
    d = obj.__dict__
    for column, value in row.items():
        name, decode = plan.decoders[column]
        d[name] = None if value is None else decode(value)


async def insert_leaving_db_defaults(obj: "Model", db: "BaseDBAsyncClient", omitted: tuple["Field", ...]) -> None:
    meta = obj._meta
    auto_pk = obj.pk is None and meta.pk.generated
    plan = _plan(obj, db, omitted, auto_pk)
    values = plan.encode(obj)
    if plan.returning:
        _, rows = await db.execute_query(plan.insert, values)
        _assign(obj, plan, rows[0])
        return
    new_pk = await db.execute_insert(plan.insert, values)
    if auto_pk:
        obj.pk = new_pk
    if plan.select:
        _, rows = await db.execute_query(plan.select, [meta.statements(db.dialect).pk_encoder(obj.pk)])
        _assign(obj, plan, rows[0])
