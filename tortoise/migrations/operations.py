"""Operations of native (Tortoise 1.x style) migration files.

Each operation changes the schema state (see ``state``: tables keyed by model name,
columns as the state describes them); the SQL comes from the engine: the executor diffs
the states before and after the operations with the autodetector and renders the diff
with the dialect's schema editor.  Renames are explicit operations, never guessed.
``RunSQL`` and ``RunPython`` run as they are, between the schema changes around them.
"""
from __future__ import annotations

import copy
from typing import Any, Callable

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


def _column_index(table: dict[str, Any], name: str) -> int:
    for i, column in enumerate(table["columns"]):
        if name in (column["field"], column["name"]):
            return i
    raise MigrationError(f"model {table['model'] or table['table']!r} has no field {name!r}")


class CreateModel(Operation):
    def __init__(self, name: str, fields: list[tuple[str, dict[str, Any]]], options: dict[str, Any] | None = None) -> None:
        self.name, self.fields, self.options = name, fields, dict(options or {})

    def state_forwards(self, state: State) -> None:
        options = self.options
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
    def __init__(self, name: str) -> None:
        self.name = name

    def state_forwards(self, state: State) -> None:
        _table(state, self.name)
        del state["tables"][self.name]

    def describe(self) -> str:
        return f"Delete model {self.name}"


class RenameModel(Operation):
    def __init__(self, old_name: str, new_name: str) -> None:
        self.old_name, self.new_name = old_name, new_name

    def state_forwards(self, state: State) -> None:
        table = state["tables"].pop(self.old_name, None) or _table(state, self.old_name)
        table["model"] = self.new_name
        state["tables"][self.new_name] = table

    def renames(self) -> dict[str, str]:
        return {self.old_name: self.new_name}

    def describe(self) -> str:
        return f"Rename model {self.old_name} to {self.new_name}"


class AlterModelOptions(Operation):
    """Table name and description (``Meta.table``, ``Meta.table_description``)."""

    def __init__(self, name: str, options: dict[str, Any]) -> None:
        self.name, self.options = name, options

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.name)
        for key in ("table", "description"):
            if key in self.options:
                table[key] = self.options[key]

    def describe(self) -> str:
        return f"Change options of model {self.name}"


class AddField(Operation):
    def __init__(self, model_name: str, name: str, field: dict[str, Any]) -> None:
        self.model_name, self.name, self.field = model_name, name, field

    def state_forwards(self, state: State) -> None:
        _table(state, self.model_name)["columns"].append(copy.deepcopy(self.field))

    def describe(self) -> str:
        return f"Add field {self.name} to {self.model_name}"


class RemoveField(Operation):
    def __init__(self, model_name: str, name: str) -> None:
        self.model_name, self.name = model_name, name

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        del table["columns"][_column_index(table, self.name)]

    def describe(self) -> str:
        return f"Remove field {self.name} from {self.model_name}"


class AlterField(Operation):
    def __init__(self, model_name: str, name: str, field: dict[str, Any]) -> None:
        self.model_name, self.name, self.field = model_name, name, field

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        table["columns"][_column_index(table, self.name)] = copy.deepcopy(self.field)

    def describe(self) -> str:
        return f"Alter field {self.name} on {self.model_name}"


class RenameField(Operation):
    def __init__(self, model_name: str, old_name: str, new_name: str) -> None:
        self.model_name, self.old_name, self.new_name = model_name, old_name, new_name

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        column = table["columns"][_column_index(table, self.old_name)]
        if column["name"] == column["field"]:
            column["name"] = self.new_name
        column["field"] = self.new_name

    def renames(self) -> dict[str, str]:
        return {f"{self.model_name}.{self.old_name}": self.new_name}

    def describe(self) -> str:
        return f"Rename field {self.old_name} on {self.model_name} to {self.new_name}"


class AddIndex(Operation):
    def __init__(self, model_name: str, fields: list[str], unique: bool = False) -> None:
        self.model_name, self.fields, self.unique = model_name, list(fields), unique

    def state_forwards(self, state: State) -> None:
        _table(state, self.model_name)["indexes"].append({"columns": list(self.fields), "unique": self.unique})

    def describe(self) -> str:
        return f"Add index on {self.model_name}({', '.join(self.fields)})"


class RemoveIndex(Operation):
    def __init__(self, model_name: str, fields: list[str], unique: bool = False) -> None:
        self.model_name, self.fields, self.unique = model_name, list(fields), unique

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        index = {"columns": list(self.fields), "unique": self.unique}
        if index not in table["indexes"]:
            raise MigrationError(f"model {self.model_name!r} has no index on {self.fields}")
        table["indexes"].remove(index)

    def describe(self) -> str:
        return f"Remove index on {self.model_name}({', '.join(self.fields)})"


class AddConstraint(Operation):
    """A constraint: ``{"unique": [columns]}`` (unique together) or ``{"foreign_key": fk}``
    (fk as the state describes it: column, to_table, to_column, on_delete)."""

    def __init__(self, model_name: str, constraint: dict[str, Any]) -> None:
        self.model_name, self.constraint = model_name, constraint

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        if "unique" in self.constraint:
            table["unique_together"].append(list(self.constraint["unique"]))
        else:
            table["fks"].append(copy.deepcopy(self.constraint["foreign_key"]))

    def describe(self) -> str:
        return f"Add constraint {self.constraint} to {self.model_name}"


class RemoveConstraint(Operation):
    def __init__(self, model_name: str, constraint: dict[str, Any]) -> None:
        self.model_name, self.constraint = model_name, constraint

    def state_forwards(self, state: State) -> None:
        table = _table(state, self.model_name)
        if "unique" in self.constraint:
            group, kept = list(self.constraint["unique"]), table["unique_together"]
        else:
            group, kept = self.constraint["foreign_key"], table["fks"]
        if group not in kept:
            raise MigrationError(f"model {self.model_name!r} has no constraint {self.constraint}")
        kept.remove(group)

    def describe(self) -> str:
        return f"Remove constraint {self.constraint} from {self.model_name}"


class RunSQL(Operation):
    changes_schema = False

    def __init__(self, sql: str | list[str], reverse_sql: str | list[str] | None = None) -> None:
        self.sql, self.reverse_sql = sql, reverse_sql

    def state_forwards(self, state: State) -> None:
        pass

    @staticmethod
    def statements(sql: str | list[str] | None) -> list[str]:
        return [sql] if isinstance(sql, str) else list(sql or [])

    def describe(self) -> str:
        return "Raw SQL"


class RunPython(Operation):
    """``code(connection)`` (async or not) runs with the migration's connection; the ORM is
    initialised, so models can be used too."""

    changes_schema = False

    def __init__(self, code: Callable[..., Any], reverse_code: Callable[..., Any] | None = None) -> None:
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
