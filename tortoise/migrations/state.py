"""Schema state: a JSON-serialisable description of an app's tables.

A state is ``{"tables": {key: table}}``.  A model's table is keyed by the model's class
name (so a changed ``Meta.table`` is a table rename); an M2M through table by
``"m2m:" + table``.  A table is::

    {"model": "User" | None, "table": "user", "description": str | None,
     "columns": [column, ...], "fks": [fk, ...], "indexes": [index, ...],
     "unique_together": [[column, ...], ...]}

    column = {"name", "field", "types": {dialect: DDL type}, "auto", "pk", "null",
              "unique", "index", "default" (db_default), "fill" (a constant Python default
              used to fill existing rows), "description",
              "default_sql" (optional: {dialect: DEFAULT text} for a db_default that is no
              JSON constant, e.g. an SQL expression or a datetime),
              "generated_sql" (optional: {dialect: GENERATED … clause or None} of a
              column the database computes, e.g. a TSVectorField over source fields)}
    fk     = {"column", "to_table", "to_column", "on_delete"}
    index  = {"columns": [...], "unique": bool}   (Meta.indexes, index=True, M2M pairs)
             optional: "name" (Index.name), "kind" (Index.INDEX_TYPE: GIN, FULLTEXT …),
             "condition" ([[column, constant], ...] of a partial index)

Optional keys are left out when empty, so states written before they existed still
compare equal to the states of unchanged models.

Column types are computed for every dialect when the state is built, so a migration can
be rendered for any database from the state alone.
"""
from __future__ import annotations

import base64
import json
import zlib
from typing import TYPE_CHECKING, Any, Callable

from tortoise.exceptions import ConfigurationError
from tortoise.sql.ddl import pk_column_field
from tortoise.sql.dialects.mysql import MySQLDialect
from tortoise.sql.dialects.postgres import PostgresDialect
from tortoise.sql.dialects.sqlite import SqliteDialect

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.fields.base import Field
    from tortoise.models import Model

DIALECTS = {d.name: d for d in (SqliteDialect(), PostgresDialect(), MySQLDialect())}
FORMAT = "aldabra-1"


def empty_state() -> dict[str, Any]:
    return {"format": FORMAT, "tables": {}}


def _constant(value: Any) -> Any:
    """A default worth recording: JSON constants only (callables and objects are not)."""
    if isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "value") and isinstance(getattr(value, "value"), (int, str)):  # enum member
        return value.value
    return None


def field_column(field: "Field", holds_key: bool = False) -> dict[str, Any]:
    """The state column of a field bound to its name.  ``holds_key``: the column is the
    primary key without its field being one (the column of a one-to-one primary key)."""
    auto = bool(field.pk and field.generated)
    pk = bool(field.pk) or holds_key
    types = {}
    for name, dialect in DIALECTS.items():
        types[name] = dialect.auto_pk_type(field) if auto else dialect.column_type(field)
    column = {
        "name": field.column,
        "field": field.model_field_name,
        "types": types,
        "auto": auto,
        "pk": pk,
        "null": bool(field.null),
        "unique": bool(field.unique and not pk),
        "index": bool(field.index and not field.unique and not pk),
        "default": _constant(field.db_default),
        "fill": _constant(field.default),
        "description": field.description or None,
    }
    if field.has_db_default() and field.db_default is not None and _constant(field.db_default) is None:
        column["default_sql"] = {name: dialect.db_default_sql(field) for name, dialect in DIALECTS.items()}
    if field.generated and not field.pk and hasattr(field, "generated_sql"):  # a computed column
        column["generated_sql"] = {name: field.generated_sql(dialect) for name, dialect in DIALECTS.items()}
    return column


def _column_of(model: "type[Model]", name: str) -> str:
    meta = model._meta
    field = meta.fields_map[name]
    if field.relation_kind in ("fk", "o2o"):
        field = meta.fields_map[field.source_field_name]
    return field.column


def index_entry(column_of: Callable[[str], str], index: Any, model: str) -> dict[str, Any]:
    """A Meta.indexes entry (a tuple of field names or an ``Index``); ``column_of`` maps a
    field name to its column."""
    names = getattr(index, "fields", index)
    names = (names,) if isinstance(names, str) else names
    group: dict[str, Any] = {"columns": [column_of(n) for n in names], "unique": False}
    if getattr(index, "name", None):
        group["name"] = index.name
    if getattr(index, "INDEX_TYPE", ""):
        group["kind"] = index.INDEX_TYPE
    condition = getattr(index, "condition", None)
    if condition:
        bad = [n for n, v in condition.items() if v is not None and _constant(v) is None]
        if bad:
            raise ConfigurationError(
                f"{model}: index {getattr(index, 'name', None) or list(names)}: condition on {', '.join(bad)} "
                "must compare with a constant (str, number, bool, enum member or None)"
            )
        group["condition"] = [[column_of(n), _constant(v)] for n, v in condition.items()]
    return group


def model_table(model: "type[Model]") -> dict[str, Any]:
    meta = model._meta
    key = pk_column_field(meta)
    fks = []
    for name in sorted(meta.fk_fields | meta.o2o_fields):
        fk = meta.fields_map[name]
        if not fk.db_constraint:
            continue
        fks.append(
            {
                "column": meta.fields_map[fk.source_field_name].column,
                "to_table": fk.related_model._meta.db_table,
                "to_column": fk.to_field_instance.column,
                "on_delete": fk.on_delete.value,
            }
        )
    indexes = []
    for index in meta.indexes:
        group = index_entry(lambda name: _column_of(model, name), index, model.__name__)
        if group not in indexes:
            indexes.append(group)
    return {
        "model": model.__name__,
        "table": meta.db_table,
        "description": meta.table_description or None,
        "columns": [field_column(f, holds_key=f is key and f is not meta.pk) for f in meta.data_fields],
        "fks": fks,
        "indexes": indexes,
        "unique_together": [[_column_of(model, n) for n in g] for g in meta.unique_together],
    }


def through_columns(
    through: str, description: str | None, on_delete: str | None, unique: bool,
    backward: tuple[str, str, str, dict[str, str]], forward: tuple[str, str, str, dict[str, str]],
) -> dict[str, Any]:
    """A many-to-many through table; ``backward``/``forward`` are (column, referenced table,
    referenced column, column types); ``on_delete`` None means no FK constraints."""

    def key_column(name: str, types: dict[str, str]) -> dict[str, Any]:
        return {
            "name": name, "field": name, "types": types, "auto": False, "pk": False, "null": False,
            "unique": False, "index": False, "default": None, "fill": None, "description": None,
        }

    ends = (backward, forward)
    fks = [{"column": c, "to_table": t, "to_column": k, "on_delete": on_delete} for c, t, k, _ in ends] if on_delete else []
    return {
        "model": None,
        "table": through,
        "description": description or None,
        "columns": [key_column(c, types) for c, _, _, types in ends],
        "fks": fks,
        "indexes": [{"columns": [backward[0], forward[0]], "unique": True}] if unique else [],
        "unique_together": [],
    }


def through_table(model: "type[Model]", field: Any) -> dict[str, Any]:
    meta, target = model._meta, field.related_model._meta
    own_pk, target_pk = pk_column_field(meta), pk_column_field(target)
    return through_columns(
        field.through, field.description, field.on_delete.value if field.db_constraint else None, field.create_unique_index,
        (field.backward_key, meta.db_table, own_pk.column, {n: d.fk_column_type(own_pk) for n, d in DIALECTS.items()}),
        (field.forward_key, target.db_table, target_pk.column, {n: d.fk_column_type(target_pk) for n, d in DIALECTS.items()}),
    )


def state_from_models(models: list["type[Model]"]) -> dict[str, Any]:
    """The state of ``models`` (an app's models, as registered by ``Tortoise.init``)."""
    state = empty_state()
    tables = state["tables"]
    for model in sorted(models, key=lambda m: m.__name__):
        if model._meta.abstract:
            continue
        tables[model.__name__] = model_table(model)
    for model in sorted(models, key=lambda m: m.__name__):
        for name in sorted(model._meta.m2m_fields):
            field = model._meta.fields_map[name]
            if field._generated:
                continue
            tables.setdefault(f"m2m:{field.through}", through_table(model, field))
    return state


# --- the encoded form carried by migration files (MODELS_STATE) --------------------------------
def encode(state: dict[str, Any]) -> str:
    raw = json.dumps(state, sort_keys=True, separators=(",", ":")).encode()
    return base64.b64encode(zlib.compress(raw, 9)).decode()


def decode(text: str) -> dict[str, Any]:
    return json.loads(zlib.decompress(base64.b64decode(text)).decode())


def is_ours(state: Any) -> bool:
    return isinstance(state, dict) and state.get("format") == FORMAT
