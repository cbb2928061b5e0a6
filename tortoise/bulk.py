"""bulk_create and bulk_update: many rows per statement, in batches."""
from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING, Any, Iterable

from tortoise.db_default_insert import insert_leaving_db_defaults, unset_in_all
from tortoise.exceptions import FieldError, ParamsError
from tortoise.model_code import make_row_encoder
from tortoise.sql import statements as statements_sql
from tortoise.sql.cache import statements as statement_cache
from tortoise.sql.nodes import encoder_for

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model


def _batches(items: list, size: int | None) -> Iterable[list]:
    if not size or size <= 0:
        yield items
        return
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def bulk_create(
    model: "type[Model]",
    objects: list["Model"],
    batch_size: int | None,
    ignore_conflicts: bool,
    update_fields: Iterable[str] | None,
    on_conflict: Iterable[str] | None,
    using_db: Any,
) -> list["Model"]:
    """Insert ``objects``; set their primary keys where the database reports them."""
    if not objects:
        return objects
    meta = model._meta
    pk_attr = meta.pk_attr
    keys_given = 0
    for obj in objects:
        if type(obj) is not model:
            raise ParamsError(f"bulk_create on {model.__name__} got a {type(obj).__name__}")
        if obj.__dict__.get(pk_attr) is not None:
            keys_given += 1
    db = using_db or model._choose_db(for_write=True)
    dialect = db.dialect
    pk = meta.pk
    if pk.generated and 0 < keys_given < len(objects):
        # some keys given, some to generate: two INSERTs (a NULL key is refused by most databases)
        args = (batch_size, ignore_conflicts, update_fields, on_conflict)
        await bulk_create(model, [o for o in objects if o.pk is not None], *args, using_db=db)
        await bulk_create(model, [o for o in objects if o.pk is None], *args, using_db=db)
        return objects
    auto_pk = pk.generated and not keys_given
    st = meta.statements(dialect)
    fields, encode = (st.insert_fields_auto, st.encode_auto) if auto_pk else (st.insert_fields_all, st.encode_all)
    omitted = unset_in_all(model, objects) if meta.db_default_fields else ()
    if omitted:  # columns the database fills in from their db_default
        fields = [f for f in fields if f not in omitted]
        encode = statement_cache.compiled(
            ("bulk_encoder", model, meta._generation, dialect.name, auto_pk, omitted), lambda: make_row_encoder(fields, dialect)
        )
    conflict_cols = _columns(model, on_conflict)
    update_cols = _columns(model, update_fields)
    if update_cols and not conflict_cols and dialect.upsert_needs_target:
        raise ParamsError("bulk_create(update_fields=...) needs on_conflict=[unique fields]")
    tail = dialect.upsert(conflict_cols, update_cols, ignore_conflicts)
    # ids of the new rows: numbered on from the one the INSERT reports, else RETURNING
    number_ids = auto_pk and not ignore_conflicts and not tail and dialect.multirow_insert_id
    returning = auto_pk and not ignore_conflicts and not number_ids and dialect.supports_returning
    for field in meta._auto_on_create:
        field.stamp_all(objects)
    if meta.validated_fields:
        for obj in objects:
            obj._run_validators()
    if not fields:  # every column is the database's to fill: one INSERT ... DEFAULT VALUES per row
        async def insert_each(conn: Any) -> None:
            for obj in objects:
                await insert_leaving_db_defaults(obj, conn, omitted)

        await _all_or_nothing(db, len(objects), insert_each)
        for obj in objects:
            obj._saved_in_db = True
        return objects
    array_types = dialect.column_array_types(fields)
    shape = (model, meta._generation, dialect.name, auto_pk, ignore_conflicts, tuple(conflict_cols), tuple(update_cols), omitted)

    def text(rows: int | None) -> str:
        """The statement for ``rows`` rows (None: one array per column), once per shape."""

        def build() -> str:
            head = statements_sql.bulk_insert_head(dialect, meta.db_table, [f.column for f in fields], ignore_conflicts)
            body = dialect.unnest(array_types) if rows is None else statements_sql.bulk_values(dialect, rows, len(fields))
            return head + body + tail + (dialect.returning([pk.column]) if returning else "")

        return statement_cache.compiled(("bulk_insert", *shape, rows), build)

    if array_types:  # one array per column: one statement text, whatever the batch size
        size = batch_size

        def statement(batch: list["Model"]) -> tuple[str, list]:
            return text(None), [list(column) for column in zip(*[encode(obj) for obj in batch])]

    else:
        per_statement = max(1, dialect.max_params // max(1, len(fields)))
        size = min(batch_size or per_statement, per_statement)

        def statement(batch: list["Model"]) -> tuple[str, list]:
            return text(len(batch)), list(chain.from_iterable(map(encode, batch)))

    # every object is checked and encoded before anything is written
    batches = [(batch, *statement(batch)) for batch in _batches(objects, size)]

    async def insert(conn: Any) -> None:
        for batch, sql, params in batches:
            if number_ids:
                reported = await conn.execute_insert(sql, params)
                first_id = reported if number_ids == "first" else reported - len(batch) + 1
                for offset, obj in enumerate(batch):
                    obj.__dict__[pk_attr] = first_id + offset
            elif returning:
                rows = await conn.fetch_rows(sql, params)
                for obj, row in zip(batch, rows):
                    obj.pk = row[0]
            else:
                await conn.execute_write(sql, params)

    await _all_or_nothing(db, len(batches), insert)
    for obj in objects:
        d = obj.__dict__
        d["_saved_in_db"] = d.get(pk_attr) is not None
    return objects


async def _all_or_nothing(db: Any, statements: int, run: Any) -> None:
    """Run ``run(connection)``; several statements share one transaction."""
    if statements == 1:
        await run(db)
        return
    from tortoise.transactions import in_transaction

    async with in_transaction(db) as conn:
        await run(conn)


def _columns(model: "type[Model]", names: Iterable[str] | None) -> list[str]:
    meta = model._meta
    result = []
    for name in names or ():
        field = meta.fields_map.get(name)
        if field is None:
            raise FieldError(f"unknown field '{name}' on {model.__name__}; fields are: {', '.join(meta.data_field_names)}")
        if field.relation_kind in ("fk", "o2o"):
            field = meta.fields_map[field.source_field_name]
        result.append(field.column)
    return result


async def bulk_update(
    model: "type[Model]", objects: list["Model"], fields: list[str], batch_size: int | None, using_db: Any
) -> int:
    """UPDATE … SET f = CASE pk WHEN … THEN … END WHERE pk IN (…), one statement per batch."""
    if not objects:
        return 0
    if not fields:
        raise ParamsError(f"bulk_update on {model.__name__} needs the list of fields to update")
    meta = model._meta
    db = using_db or model._choose_db(for_write=True)
    dialect = db.dialect
    pk = meta.pk
    pk_enc = encoder_for(pk, dialect)
    targets = []
    for name in fields:
        field = meta.fields_map.get(name)
        if field is None or field.pk:
            raise FieldError(f"bulk_update: '{name}' is not an updatable field of {model.__name__}")
        if field.relation_kind in ("fk", "o2o"):
            field = meta.fields_map[field.source_field_name]
        targets.append(field)
    per_statement = max(1, dialect.max_params // (2 * len(targets) + 1))
    columns = tuple(f.column for f in targets)
    encoders = [encoder_for(f, dialect) for f in targets]
    statements = []  # built (and every value encoded) before anything is written
    for batch in _batches(objects, min(batch_size or per_statement, per_statement)):
        keys = [pk_enc(obj.pk) for obj in batch]
        params: list[Any] = []
        for field, enc in zip(targets, encoders):
            name = field.model_field_name
            for key, obj in zip(keys, batch):
                value = obj.__dict__.get(name)
                params.append(key)
                params.append(enc(value) if value is not None else None)
        params.extend(keys)
        sql = statement_cache.compiled(
            ("bulk_update", model, meta._generation, dialect.name, columns, len(batch)),
            lambda rows=len(batch): statements_sql.bulk_update(dialect, meta.db_table, pk.column, columns, rows),
        )
        statements.append((sql, params))
    total = 0

    async def update(conn: Any) -> None:
        nonlocal total
        for sql, params in statements:
            total += await conn.execute_write(sql, params)

    await _all_or_nothing(db, len(statements), update)
    return total
