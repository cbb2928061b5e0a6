"""Tortoise 1.x migration files describe models with field instances
(``("name", fields.CharField(max_length=50))``), ``Index`` objects and field names; the
engine's state describes columns.  This turns the former into the latter, with the
state built so far (a foreign key's column takes its type from the target's key).
"""
from __future__ import annotations

import contextlib
import copy
from contextvars import ContextVar
from typing import Any, Callable, Iterator

from tortoise.fields.base import Field
from tortoise.fields.data import BigIntField, IntField, SmallIntField
from tortoise.fields.relational import ForeignKeyFieldInstance, ManyToManyFieldInstance
from tortoise.migrations.exceptions import MigrationError
from tortoise.migrations.state import DIALECTS, field_column, index_entry, through_columns

State = dict[str, Any]

#: ``(app, model) -> table or None``: how a relation finds a model of another app (the
#: loader sets it while replaying operations; each app's state holds its own tables only)
_other_apps: ContextVar[Callable[[str, str], dict[str, Any] | None] | None] = ContextVar("other_apps", default=None)


@contextlib.contextmanager
def other_apps(lookup: Callable[[str, str], dict[str, Any] | None]) -> Iterator[None]:
    token = _other_apps.set(lookup)
    try:
        yield
    finally:
        _other_apps.reset(token)


def is_field(value: Any) -> bool:
    return isinstance(value, Field)


def _bound(name: str, field: Field) -> Field:
    """A copy of ``field`` named as the model attribute ``name`` (files hold unbound fields)."""
    bound = copy.copy(field)
    bound.model_field_name = name
    bound.source_field = field.source_field or name
    bound.__dict__.pop("_encoders", None)
    return bound


def target_key(state: State, model: str, field: Field) -> tuple[dict[str, Any], dict[str, Any]]:
    """The table a relation of ``model`` points at and the column it references."""
    reference = field.model_name or getattr(field.related_model, "__name__", "")
    app, _, name = reference.rpartition(".")
    table = state["tables"].get(name)
    lookup = _other_apps.get()
    if table is None and app and lookup is not None:
        table = lookup(app, name)
    if table is None:
        raise MigrationError(
            f"{model}: the relation to {reference!r} needs model {name!r} created first; "
            f"known models: {', '.join(k for k in state['tables'] if not k.startswith('m2m:')) or 'none'}"
        )
    to_field = getattr(field, "to_field", None)
    for column in table["columns"]:
        if (column["field"] == to_field) if to_field else column["pk"]:
            return table, column
    raise MigrationError(f"{model}: model {name!r} has no field {to_field or 'primary key'!r} to reference")


def key_types(column: dict[str, Any]) -> dict[str, str]:
    """Column types of a column referencing ``column`` (an auto key's serial type becomes
    the plain integer type it counts in)."""
    if not column["auto"]:
        return dict(column["types"])
    for kind in (IntField, BigIntField, SmallIntField):
        probe = kind(primary_key=True, generated=True)
        if all(DIALECTS[n].auto_pk_type(probe) == t for n, t in column["types"].items()):
            return {n: d.fk_column_type(probe) for n, d in DIALECTS.items()}
    raise MigrationError(f"cannot reference the auto-incrementing column {column['name']!r} of types {column['types']}")


def foreign_key(state: State, model: str, name: str, field: ForeignKeyFieldInstance) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The id column of a foreign key (or one-to-one) field and its constraint (None without)."""
    table, target = target_key(state, model, field)
    id_field = IntField(
        source_field=field.source_field or f"{name}_id",
        null=field.null,
        db_index=field.index,
        unique=field.unique or field.relation_kind == "o2o",
        description=field.description,
        default=field.default,
    )
    column = field_column(_bound(f"{name}_id", id_field), holds_key=bool(field.pk))
    column["types"] = key_types(target)
    if not field.db_constraint:
        return column, None
    fk = {"column": column["name"], "to_table": table["table"], "to_column": target["name"], "on_delete": field.on_delete.value}
    return column, fk


def through_table(state: State, model: str, own_table: str, own_key: dict[str, Any], field: ManyToManyFieldInstance) -> tuple[str, dict[str, Any]]:
    """The state key and table of a many-to-many field's through table."""
    if field.model_name.rpartition(".")[2] == model:
        other_table, other_key = own_table, own_key
    else:
        other, other_key = target_key(state, model, field)
        other_table = other["table"]
    through = field.through or f"{own_table}_{other_table}"
    backward = field.backward_key or f"{own_table}_id"
    forward = field.forward_key or (f"{other_table}_id" if other_table != own_table else f"{other_table}_rel_id")
    table = through_columns(
        through, field.description, field.on_delete.value if field.db_constraint else None, field.unique,
        (backward, own_table, own_key["name"], key_types(own_key)),
        (forward, other_table, other_key["name"], key_types(other_key)),
    )
    return f"m2m:{through}", table


def key_column(table: dict[str, Any]) -> dict[str, Any]:
    """The column rows are identified by: the primary key, or a one-to-one primary key's id
    column (which the models' state keeps as a unique, non-null foreign key column)."""
    for column in table["columns"]:
        if column["pk"]:
            return column
    fk_columns = {fk["column"] for fk in table["fks"]}
    for column in table["columns"]:
        if column["unique"] and not column["null"] and column["name"] in fk_columns:
            return column
    raise MigrationError(f"model {table['model']!r} has a many-to-many field but no primary key")


def column_for(state: State, model: str, name: str, field: Field) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The state column of a data or foreign-key field, with its constraint if any."""
    if isinstance(field, ForeignKeyFieldInstance):
        return foreign_key(state, model, name, field)
    if not field.has_db_field:
        raise MigrationError(f"{model}.{name}: {type(field).__name__} has no column of its own")
    return field_column(_bound(name, field)), None


def column_of(table: dict[str, Any], name: str) -> str:
    """The column of a field named in a Tortoise 1.x file (a relation's name means its id column)."""
    for wanted in (name, f"{name}_id"):
        for column in table["columns"]:
            if column["field"] == wanted:
                return column["name"]
    raise MigrationError(
        f"model {table['model']!r} has no field {name!r}; its fields: {', '.join(c['field'] for c in table['columns'])}"
    )


def index_for(table: dict[str, Any], index: Any) -> dict[str, Any]:
    """The state entry of a ``Meta.indexes`` item (an ``Index`` or a tuple of field names)."""
    return index_entry(lambda name: column_of(table, name), index, table["model"])


def create_model(state: State, name: str, fields: list[tuple[str, Any]], options: dict[str, Any]) -> None:
    """Add the table (and many-to-many through tables) of a Tortoise 1.x ``CreateModel``."""
    table: dict[str, Any] = {
        "model": name,
        "table": options.get("table") or name.lower(),
        "description": options.get("table_description") or None,
        "columns": [],
        "fks": [],
        "indexes": [],
        "unique_together": [],
    }
    state["tables"][name] = table  # first, so that a relation to itself finds it
    many, fks = [], []
    for field_name, field in fields:
        if isinstance(field, ManyToManyFieldInstance):
            many.append(field)
            continue
        column, fk = column_for(state, name, field_name, field)
        table["columns"].append(column)
        if fk:
            fks.append((field_name, fk))
    table["fks"] = [fk for _, fk in sorted(fks, key=lambda pair: pair[0])]  # as the models' state orders them
    for index in options.get("indexes") or ():
        entry = index_for(table, index)
        if entry not in table["indexes"]:
            table["indexes"].append(entry)
    table["unique_together"] = [[column_of(table, n) for n in group] for group in options.get("unique_together") or ()]
    for field in many:
        through_key, through = through_table(state, name, table["table"], key_column(table), field)
        state["tables"].setdefault(through_key, through)


def add_field(state: State, model: str, name: str, field: Field) -> None:
    """Add a field of a Tortoise 1.x ``AddField``: a column (with its FK) or a through table."""
    table = state["tables"][model]
    if isinstance(field, ManyToManyFieldInstance):
        through_key, through = through_table(state, model, table["table"], key_column(table), field)
        if through_key in state["tables"]:
            raise MigrationError(f"{model}.{name}: through table {through['table']!r} exists already")
        state["tables"][through_key] = through
        return
    column, fk = column_for(state, model, name, field)
    table["columns"].append(column)
    if fk:
        table["fks"].append(fk)


def _through_of(state: State, model: str, name: str, backward: str | None = None) -> str:
    """The state key of the through table a many-to-many field of ``model`` has: the one
    whose owner side (its first key column, named ``backward`` if given) points at the
    model's table.  None or several candidates are an error (the state does not name the field)."""
    own = state["tables"][model]["table"]
    if backward is None:
        found = through_tables_of(state, own)
    else:  # a through table without key constraints is known by its column only
        found = [
            key for key, through in state["tables"].items()
            if key.startswith("m2m:") and through["columns"][0]["name"] == backward
            and ([fk["to_table"] for fk in through["fks"][:1]] or [own]) == [own]
        ]
    if len(found) != 1:
        raise MigrationError(
            f"{model}.{name}: cannot tell which through table the many-to-many field has "
            f"(candidates: {', '.join(k[4:] for k in found) or 'none'})"
        )
    return found[0]


def _alter_many(state: State, model: str, name: str, field: ManyToManyFieldInstance) -> None:
    """Replace the through table of a many-to-many field."""
    backward = field.backward_key or f"{state['tables'][model]['table']}_id"
    del state["tables"][_through_of(state, model, name, backward)]
    add_field(state, model, name, field)


def remove_many(state: State, model: str, name: str) -> None:
    """Drop the through table of a removed many-to-many field (Tortoise 1.x's RemoveField)."""
    del state["tables"][_through_of(state, model, name)]


def through_tables_of(state: State, table: str) -> list[str]:
    """State keys of the through tables whose owner side points at ``table``."""
    return [k for k, t in state["tables"].items() if k.startswith("m2m:") and t["fks"][:1] and t["fks"][0]["to_table"] == table]


def alter_field(state: State, model: str, name: str, field: Field) -> None:
    """Replace a field's column (and its FK) as a Tortoise 1.x ``AlterField`` gives it."""
    table = state["tables"][model]
    if isinstance(field, ManyToManyFieldInstance):
        _alter_many(state, model, name, field)
        return
    column, fk = column_for(state, model, name, field)
    for i, old in enumerate(table["columns"]):
        if old["field"] in (name, f"{name}_id"):
            table["fks"] = [f for f in table["fks"] if f["column"] != old["name"]]
            table["columns"][i] = column
            break
    else:
        raise MigrationError(f"model {model!r} has no field {name!r}")
    if fk:
        table["fks"].append(fk)
