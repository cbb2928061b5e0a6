"""Operations of native (Tortoise 1.x style) migration files.

Files written by Tortoise 1.x give fields as field instances, indexes as ``Index`` objects
and constraints as ``UniqueConstraint``; files written by Aldabra give them as the state's
column and index dictionaries.  Operations take both (see ``field_state``).

Each operation changes the schema state (see ``state``: tables keyed by model name,
columns as the state describes them); the SQL comes from the engine: the executor diffs
the states before and after the operations with the autodetector and renders the diff
with the dialect's schema editor.  Renames are explicit operations, never guessed.
``RunSQL`` and ``RunPython`` run as they are, between the schema changes around them.
"""
from __future__ import annotations

import copy
from typing import Any, Callable

from tortoise.migrations import field_state
from tortoise.migrations.constraints import CheckConstraint, UniqueConstraint
from tortoise.migrations.exceptions import MigrationError

State = dict[str, Any]


class Operation:
    #: a schema change (diffed by the engine) rather than code to run
    changes_schema = True

    def state_forwards(self, state: State) -> None:
        raise NotImplementedError

    def renames(self) -> dict[str, str]:
        """Renames this operation declares, as the autodetector's ``renames`` take them."""
        return {}

    def describe(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{self.describe()}>"


def _table(state: State, name: str) -> dict[str, Any]:
    try:
        return state["tables"][name]
    except KeyError:
        raise MigrationError(f"model {name!r} is not in the migration state; known: {', '.join(state['tables']) or 'none'}") from None


def _field_index(table: dict[str, Any], name: str) -> tuple[int, str] | None:
    """Position of a field's column and the suffix of its names: "" or "_id" for a relation
    named as Tortoise 1.x files name it (``author`` for the ``author_id`` column)."""
    for i, column in enumerate(table["columns"]):
        if name in (column["field"], column["name"]):
            return i, ""
    for i, column in enumerate(table["columns"]):
        if column["field"] == f"{name}_id":
            return i, "_id"
    return None


def _column_index(table: dict[str, Any], name: str) -> tuple[int, str]:
    found = _field_index(table, name)
    if found is None:
        raise MigrationError(
            f"model {table['model'] or table['table']!r} has no field {name!r}; its fields: {', '.join(c['field'] for c in table['columns'])}"
        )
    return found


class CreateModel(Operation):
    def __init__(self, name: str, fields: list[tuple[str, Any]], options: dict[str, Any] | None = None, bases: list[str] | None = None) -> None:
        self.name, self.fields, self.options = name, fields, dict(options or {})
        self.bases = bases

    def state_forwards(self, state: State) -> None:
        options = self.options
        if any(field_state.is_field(field) for _, field in self.fields):
            field_state.create_model(state, self.name, self.fields, options)
            return
        state["tables"][self.name] = {
            "model": options.get("model", self.name),
            "table": options.get("table", self.name.lower()),
            "description": options.get("description"),
            "columns": [copy.deepcopy(column) for _, column in self.fields],
            "fks": copy.deepcopy(options.get("fks", [])),
            "indexes": copy.deepcopy(options.get("indexes", [])),
            "unique_together": copy.deepcopy(options.get("unique_together", [])),
        }

    def describe(self) -> str:
        return f"Create model {self.name}"


class DeleteModel(Operation):
    """The model's table, and the through tables of its many-to-many fields (Aldabra's files
    delete those first, by their own keys)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.name)
        for key in field_state.through_tables_of(state, table["table"]):
            del state["tables"][key]
        del state["tables"][self.name]

    def describe(self) -> str:
        return f"Delete model {self.name}"


class RenameModel(Operation):
    """As in Tortoise 1.x, a table named by default after the model (``tag`` for ``Tag``)
    follows the new name (``label``), and the foreign keys to it follow the table."""

    def __init__(self, old_name: str, new_name: str) -> None:
        self.old_name, self.new_name = old_name, new_name

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.old_name)
        del state["tables"][self.old_name]
        table["model"] = self.new_name
        state["tables"][self.new_name] = table
        old_table = table["table"]
        if old_table == self.old_name.lower():
            table["table"] = self.new_name.lower()
            for other in state["tables"].values():
                for fk in other["fks"]:
                    if fk["to_table"] == old_table:
                        fk["to_table"] = table["table"]

    def renames(self) -> dict[str, str]:
        return {self.old_name: self.new_name}

    def describe(self) -> str:
        return f"Rename model {self.old_name} to {self.new_name}"


class AlterModelOptions(Operation):
    """Table name and description (``Meta.table``, ``Meta.table_description``).  Aldabra's
    files give the changed ones (``table``, ``description``); Tortoise 1.x's give all of the
    model's options (with ``app`` and ``pk_attr``), so a missing ``table_description`` means none."""

    def __init__(self, name: str, options: dict[str, Any]) -> None:
        self.name, self.options = name, options

    def state_forwards(self, state: State) -> None:
        table, options = _table(state, self.name), self.options
        if "table" in options:
            table["table"] = options["table"]
        if "description" in options:
            table["description"] = options["description"]
        elif "app" in options or "pk_attr" in options:
            table["description"] = options.get("table_description") or None

    def describe(self) -> str:
        return f"Change options of model {self.name}"


class AddField(Operation):
    def __init__(self, model_name: str, name: str, field: Any) -> None:
        self.model_name, self.name, self.field = model_name, name, field

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        if field_state.is_field(self.field):
            field_state.add_field(state, self.model_name, self.name, self.field)
        else:
            table["columns"].append(copy.deepcopy(self.field))

    def describe(self) -> str:
        return f"Add field {self.name} to {self.model_name}"


class RemoveField(Operation):
    def __init__(self, model_name: str, name: str) -> None:
        self.model_name, self.name = model_name, name

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        found = _field_index(table, self.name)
        if found is None and field_state.through_tables_of(state, table["table"]):
            field_state.remove_many(state, self.model_name, self.name)
            return
        column = table["columns"].pop(_column_index(table, self.name)[0])
        table["fks"] = [fk for fk in table["fks"] if fk["column"] != column["name"]]

    def describe(self) -> str:
        return f"Remove field {self.name} from {self.model_name}"


class AlterField(Operation):
    def __init__(self, model_name: str, name: str, field: Any) -> None:
        self.model_name, self.name, self.field = model_name, name, field

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        if field_state.is_field(self.field):
            field_state.alter_field(state, self.model_name, self.name, self.field)
            return
        table["columns"][_column_index(table, self.name)[0]] = copy.deepcopy(self.field)

    def describe(self) -> str:
        return f"Alter field {self.name} on {self.model_name}"


def _rename_column(state: State, table: dict[str, Any], old: str, new: str) -> None:
    """A renamed column in the table's keys, indexes and unique groups, and in the keys of
    other tables that reference it (the database renames them along with the column)."""
    def swap(name: str) -> str:
        return new if name == old else name

    for fk in table["fks"]:
        fk["column"] = swap(fk["column"])
    for entry in table["indexes"]:
        entry["columns"] = [swap(c) for c in entry["columns"]]
        if "condition" in entry:
            entry["condition"] = [[swap(c), v] for c, v in entry["condition"]]
    table["unique_together"] = [[swap(c) for c in group] for group in table["unique_together"]]
    for other in state["tables"].values():
        for fk in other["fks"]:
            if fk["to_table"] == table["table"]:
                fk["to_column"] = swap(fk["to_column"])


class RenameField(Operation):
    """The column follows the field's name (unless it is named apart from it), and so do the
    keys, indexes and unique groups that name the column, as in Tortoise 1.x."""

    def __init__(self, model_name: str, old_name: str, new_name: str) -> None:
        self.model_name, self.old_name, self.new_name = model_name, old_name, new_name

    #: "_id" once a relation's rename (named without its column's suffix) is replayed
    suffix = ""

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        index, self.suffix = _column_index(table, self.old_name)
        column = table["columns"][index]
        if column["name"] == column["field"]:
            _rename_column(state, table, column["name"], self.new_name + self.suffix)
            column["name"] = self.new_name + self.suffix
        column["field"] = self.new_name + self.suffix

    def renames(self) -> dict[str, str]:
        return {f"{self.model_name}.{self.old_name}{self.suffix}": self.new_name + self.suffix}

    def describe(self) -> str:
        return f"Rename field {self.old_name} on {self.model_name} to {self.new_name}"


class AddIndex(Operation):
    """``index``: an ``Index`` or a tuple of field names (Tortoise 1.x files); or ``fields``:
    the columns, with ``unique`` (Aldabra's files)."""

    def __init__(self, model_name: str, index: Any = None, *, fields: list[str] | None = None, unique: bool = False) -> None:
        if index is None and not fields:
            raise MigrationError(f"AddIndex on {model_name!r} needs index=Index(...) or fields=[columns]")
        self.model_name, self.index, self.unique = model_name, index, unique
        self.fields = list(fields or [])

    def entry(self, table: dict[str, Any]) -> dict[str, Any]:
        if self.index is not None:
            return field_state.index_for(table, self.index)
        return {"columns": list(self.fields), "unique": self.unique}

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        table["indexes"].append(self.entry(table))

    def describe(self) -> str:
        return f"Add index on {self.model_name}({', '.join(getattr(self.index, 'fields', self.index) or self.fields)})"


def _find_index(table: dict[str, Any], model: str, name: str | None, fields: list[str] | None, unique: bool | None) -> dict[str, Any]:
    """An index of the table by name, or by its fields (field names or columns)."""
    for entry in table["indexes"]:
        if name and entry.get("name") == name:
            return entry
    if fields:
        try:
            columns = [field_state.column_of(table, f) for f in fields]
        except MigrationError:
            columns = list(fields)
        for entry in table["indexes"]:
            if entry["columns"] in (columns, list(fields)) and unique in (None, entry["unique"]):
                return entry
    known = "; ".join(entry.get("name") or str(entry["columns"]) for entry in table["indexes"]) or "none"
    raise MigrationError(f"model {model!r} has no index {name or list(fields or [])}; its indexes: {known}")


class RemoveIndex(Operation):
    """By ``name`` or by ``fields`` (Tortoise 1.x: field names; Aldabra: columns, with ``unique``)."""

    def __init__(self, model_name: str, name: str | None = None, fields: list[str] | None = None, unique: bool | None = None) -> None:
        if not name and not fields:
            raise MigrationError(f"RemoveIndex on {model_name!r} needs name= or fields=")
        self.model_name, self.name, self.unique = model_name, name, unique
        self.fields = list(fields or [])

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        table["indexes"].remove(_find_index(table, self.model_name, self.name, self.fields, self.unique))

    def describe(self) -> str:
        return f"Remove index {self.name or ', '.join(self.fields)} from {self.model_name}"


class RenameIndex(Operation):
    """Give an index (found by ``old_name`` or ``old_fields``) the name ``new_name``."""

    def __init__(self, model_name: str, new_name: str, *, old_name: str | None = None, old_fields: list[str] | None = None) -> None:
        if bool(old_name) == bool(old_fields):
            raise MigrationError(f"RenameIndex on {model_name!r} needs exactly one of old_name= and old_fields=")
        self.model_name, self.new_name, self.old_name = model_name, new_name, old_name
        self.old_fields = list(old_fields or [])

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        entry = _find_index(table, self.model_name, self.old_name, self.old_fields, None)
        entry["name"] = self.new_name

    def describe(self) -> str:
        return f"Rename index {self.old_name or ', '.join(self.old_fields)} on {self.model_name} to {self.new_name}"


def _unique_columns(table: dict[str, Any], model: str, constraint: Any) -> list[str]:
    if isinstance(constraint, CheckConstraint):
        raise MigrationError(f"{model}: check constraint {constraint.name!r} is not supported (Aldabra's models have no Meta.constraints)")
    if isinstance(constraint, UniqueConstraint):
        if constraint.condition:
            raise MigrationError(f"{model}: conditional unique constraint {constraint.name!r} is not supported")
        return [field_state.column_of(table, f) for f in constraint.fields]
    return list(constraint["unique"])


class AddConstraint(Operation):
    """A constraint: a ``UniqueConstraint`` (Tortoise 1.x files; field names), or
    ``{"unique": [columns]}`` (unique together) or ``{"foreign_key": fk}`` (fk as the state
    describes it: column, to_table, to_column, on_delete)."""

    def __init__(self, model_name: str, constraint: Any) -> None:
        self.model_name, self.constraint = model_name, constraint

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        if isinstance(self.constraint, dict) and "foreign_key" in self.constraint:
            table["fks"].append(copy.deepcopy(self.constraint["foreign_key"]))
        else:
            table["unique_together"].append(_unique_columns(table, self.model_name, self.constraint))

    def describe(self) -> str:
        return f"Add constraint {self.constraint} to {self.model_name}"


class RemoveConstraint(Operation):
    """By ``fields`` (a unique-together group of field names), or ``constraint`` as
    ``AddConstraint`` takes it.  Unique constraints are kept by their columns, so a name
    alone cannot be found."""

    def __init__(self, model_name: str, name: str | None = None, fields: list[str] | None = None, constraint: Any = None) -> None:
        if constraint is None and not fields:
            raise MigrationError(
                f"RemoveConstraint on {model_name!r} needs fields= (the unique fields)"
                + (f"; the name {name!r} alone is not enough" if name else "")
            )
        self.model_name, self.name, self.fields, self.constraint = model_name, name, fields, constraint

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        if self.constraint is None:
            group, kept = _unique_columns(table, self.model_name, UniqueConstraint(tuple(self.fields or ()))), table["unique_together"]
        elif "unique" in self.constraint:
            group, kept = list(self.constraint["unique"]), table["unique_together"]
        else:
            group, kept = self.constraint["foreign_key"], table["fks"]
        if group not in kept:
            raise MigrationError(f"model {self.model_name!r} has no constraint {self.constraint or self.fields}")
        kept.remove(group)

    def describe(self) -> str:
        return f"Remove constraint {self.constraint or self.name or self.fields} from {self.model_name}"


class RenameConstraint(Operation):
    """Constraint names are not part of the state (unique groups are kept by their columns),
    so only the database's name changes: through SQL the schema editor writes."""

    changes_schema = False

    def __init__(self, model_name: str, old_name: str, new_name: str) -> None:
        self.model_name, self.old_name, self.new_name = model_name, old_name, new_name

    def state_forwards(self, state: State) -> None:
        _table(state, self.model_name)

    def sql(self, editor: Any, state: State, backward: bool) -> list[str]:
        table = _table(state, self.model_name)["table"]
        old, new = (self.new_name, self.old_name) if backward else (self.old_name, self.new_name)
        return editor.rename_constraint(table, old, new)

    def describe(self) -> str:
        return f"Rename constraint {self.old_name} on {self.model_name} to {self.new_name}"


class CreateSchema(Operation):
    """A database schema (PostgreSQL schema, MySQL database) for tables to live in."""

    changes_schema = False

    def __init__(self, schema_name: str) -> None:
        self.schema_name = schema_name

    def state_forwards(self, state: State) -> None:
        pass

    def sql(self, editor: Any, state: State, backward: bool) -> list[str]:
        return editor.drop_schema(self.schema_name) if backward else editor.create_schema(self.schema_name)

    def describe(self) -> str:
        return f"Create schema {self.schema_name}"


class DropSchema(CreateSchema):
    def sql(self, editor: Any, state: State, backward: bool) -> list[str]:
        return super().sql(editor, state, not backward)

    def describe(self) -> str:
        return f"Drop schema {self.schema_name}"


class RunSQL(Operation):
    """``sql``: a statement, or a list of statements and ``(statement, params)`` pairs (run
    with bound parameters).  ``atomic`` is accepted as Tortoise 1.x writes it; the
    migration's own ``atomic`` decides on the transaction."""

    changes_schema = False

    def __init__(self, sql: Any, reverse_sql: Any = None, *, atomic: bool | None = None) -> None:
        self.sql, self.reverse_sql, self.atomic = sql, reverse_sql, atomic

    def state_forwards(self, state: State) -> None:
        pass

    @staticmethod
    def steps(sql: Any) -> list[tuple[str, Any]]:
        """``("sql", [statement])`` and ``("bound", (statement, params))`` steps, in order."""
        steps: list[tuple[str, Any]] = []
        for item in [sql] if isinstance(sql, str) else list(sql or []):
            if isinstance(item, (list, tuple)):
                if len(item) != 2:
                    raise MigrationError(f"RunSQL takes statements or (statement, params) pairs, got {item!r}")
                steps.append(("bound", (item[0], list(item[1] or []))))
            elif item:
                steps.append(("sql", [item]))
        return steps

    def describe(self) -> str:
        return "Raw SQL"


class RunPython(Operation):
    """``code(connection)`` or, as Tortoise 1.x writes it, ``code(apps, schema_editor)``
    (async or not) runs with the migration's connection (see ``run_python``); the ORM is
    initialised, so models can be used too."""

    changes_schema = False

    def __init__(self, code: Callable[..., Any], reverse_code: Callable[..., Any] | None = None, *, atomic: bool | None = None) -> None:
        self.atomic = atomic  # as Tortoise 1.x writes it; the migration's atomic decides
        if not callable(code) or (reverse_code is not None and not callable(reverse_code)):
            raise MigrationError("RunPython takes callables: code and, optionally, reverse_code")
        self.code, self.reverse_code = code, reverse_code

    def state_forwards(self, state: State) -> None:
        pass

    @staticmethod
    def noop(*_args: Any) -> None:
        """A reverse that does nothing (the forward step needs no undoing)."""

    def describe(self) -> str:
        return f"Run Python {getattr(self.code, '__name__', 'code')}"


__all__ = [name for name, value in dict(globals()).items() if isinstance(value, type) and issubclass(value, Operation)]
__all__ += ["CheckConstraint", "UniqueConstraint"]
