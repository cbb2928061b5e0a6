"""Public helpers: schema SQL for a connection and schema creation."""
from __future__ import annotations

from typing import Any

from tortoise.sql.ddl import SchemaGenerator


def _models_for(client: Any) -> list[Any]:
    from tortoise import Tortoise

    return [
        model
        for app in Tortoise.apps.values()
        for model in app.values()
        if model._meta.default_connection == client.connection_name
    ]


def get_schema_sql(client: Any, safe: bool) -> str:
    """The CREATE statements for every model bound to ``client``."""
    options = getattr(client, "table_options", "")
    return SchemaGenerator(client.dialect, options).schema_sql(_models_for(client), safe)


async def generate_schema_for_client(client: Any, safe: bool) -> None:
    sql = get_schema_sql(client, safe)
    if sql:
        await client.execute_script(sql)


__all__ = ["get_schema_sql", "generate_schema_for_client"]
