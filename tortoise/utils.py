"""Public helpers: schema SQL for a connection and schema creation."""
from __future__ import annotations

from typing import Any

from tortoise.migrations.state import state_from_models
from tortoise.sql.schema_editor import editor_for


def _models_for(client: Any) -> list[Any]:
    from tortoise import Tortoise

    return [
        model
        for app in Tortoise.apps.values()
        for model in app.values()
        if model._meta.default_connection == client.connection_name
    ]


def get_schema_sql(client: Any, safe: bool) -> str:
    """The CREATE statements for every model bound to ``client``.

    The models' schema state is rendered by the migration schema editor, so tables made
    here and tables made by migrations are the same."""
    by_app: dict[str, list[Any]] = {}
    for model in _models_for(client):
        by_app.setdefault(model._meta.app, []).append(model)
    tables = {
        f"{app}.{key}": table
        for app, models in by_app.items()
        for key, table in state_from_models(models)["tables"].items()
    }
    editor = editor_for(client.dialect, getattr(client, "table_options", ""))
    statements = editor.schema_sql({"tables": tables}, safe)
    return ";\n".join(statements) + (";" if statements else "")


async def generate_schema_for_client(client: Any, safe: bool) -> None:
    sql = get_schema_sql(client, safe)
    if sql:
        await client.execute_script(sql)


__all__ = ["get_schema_sql", "generate_schema_for_client"]
