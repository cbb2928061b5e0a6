"""Apply one model change to a connection's database, as Tortoise's schema editor does.

Code written for Tortoise 1.x (``RunPython`` steps, tools) calls ``await
editor.add_field(Model, "name")`` and the like.  Each call describes the table before and
after the change as the engine's state (``tortoise.migrations.state``), diffs the two with
the autodetector and runs the SQL the dialect's schema editor renders for the difference,
so these changes are the ones migrations make.
"""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from tortoise.migrations.autodetector import diff
from tortoise.migrations.state import empty_state, model_table
from tortoise.sql.dialects import dialect_named
from tortoise.sql.dialects.postgres import StandardSQLDialect
from tortoise.sql.schema_editor import editor_for

if TYPE_CHECKING:  # pragma: no cover
    from tortoise.models import Model


class BaseSchemaEditor:
    def __init__(self, connection: Any) -> None:
        self.client = connection

    @property
    def dialect(self) -> Any:
        """The client's dialect; a client of a database Aldabra has no rules for (Tortoise's
        generic "sql") gets standard SQL."""
        found = getattr(self.client, "dialect", None) or dialect_named(self.client.capabilities.dialect)
        return found if found is not None else StandardSQLDialect()

    async def create_model(self, model: "type[Model]") -> None:
        await self._apply(None, model_table(model))

    async def delete_model(self, model: "type[Model]") -> None:
        await self._apply(model_table(model), None)

    async def add_field(self, model: "type[Model]", field_name: str) -> None:
        table = model_table(model)
        await self._apply(_without(model, table, field_name), table)

    async def remove_field(self, model: "type[Model]", field_name: str) -> None:
        table = model_table(model)
        await self._apply(table, _without(model, table, field_name))

    async def alter_field(self, old_model: "type[Model]", new_model: "type[Model]", field_name: str) -> None:
        """Change column ``field_name`` from its declaration on ``old_model`` to ``new_model``'s."""
        await self._apply(model_table(old_model), model_table(new_model))

    async def _apply(self, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        old, new = _state(before), _state(after)
        operations, _ = diff(old, new, allow_drop=True)
        editor = editor_for(self.dialect, getattr(self.client, "table_options", ""))
        for statement in editor.migration_sql(operations, old, new):
            await self.client.execute_script(statement)


def _state(table: dict[str, Any] | None) -> dict[str, Any]:
    state = empty_state()
    if table is not None:
        state["tables"][table["model"]] = table
    return state


def _without(model: "type[Model]", table: dict[str, Any], field_name: str) -> dict[str, Any]:
    """``table`` as it was before field ``field_name`` (and an FK's ``_id`` column) existed."""
    field = model._meta.fields_map[field_name]
    names = {field_name, getattr(field, "source_field_name", None) or field_name}
    columns = {c["name"] for c in table["columns"] if c["field"] in names}
    result = copy.deepcopy(table)
    result["columns"] = [c for c in result["columns"] if c["name"] not in columns]
    result["fks"] = [fk for fk in result["fks"] if fk["column"] not in columns]
    result["indexes"] = [i for i in result["indexes"] if not columns & set(i["columns"])]
    result["unique_together"] = [g for g in result["unique_together"] if not columns & set(g)]
    return result
