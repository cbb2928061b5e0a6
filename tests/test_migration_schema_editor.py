"""``tortoise.migrations.schema_editor.BaseSchemaEditor`` (Tortoise 1.x's API) on the
database under test: each model change runs the SQL migrations would run for it."""
from __future__ import annotations

import pytest

from tests.conftest import unique_name
from tortoise import fields
from tortoise.connection import connections
from tortoise.exceptions import OperationalError
from tortoise.migrations.schema_editor import BaseSchemaEditor
from tortoise.models import Model


def _model(table: str, **declared: fields.Field) -> type[Model]:
    """A model class as a migration sees it: declared, never registered by Tortoise.init."""
    return type("Gadget", (Model,), {**declared, "Meta": type("Meta", (), {"app": "editor", "table": table})})


async def _rows(client, table: str) -> list[dict]:
    return await client.execute_query_dict(f"SELECT * FROM {client.dialect.quote(table)} ORDER BY id")


async def test_model_and_field_changes_reach_the_database() -> None:
    client = connections.get("default")
    editor = BaseSchemaEditor(client)
    table = unique_name("gadget")
    q = client.dialect.quote
    v1 = _model(table, id=fields.IntField(primary_key=True), name=fields.CharField(max_length=20))
    v2 = _model(table, id=fields.IntField(primary_key=True), name=fields.CharField(max_length=20),
                score=fields.IntField(db_default=10))
    v3 = _model(table, id=fields.IntField(primary_key=True), name=fields.CharField(max_length=20),
                score=fields.IntField(db_default=20))
    await editor.create_model(v1)
    try:
        await client.execute_script(f"INSERT INTO {q(table)} (id, name) VALUES (1, 'a')")
        await editor.add_field(v2, "score")
        assert await _rows(client, table) == [{"id": 1, "name": "a", "score": 10}]  # existing rows get the default
        await editor.alter_field(v2, v3, "score")
        await client.execute_script(f"INSERT INTO {q(table)} (id, name) VALUES (2, 'b')")
        assert [r["score"] for r in await _rows(client, table)] == [10, 20]
        await editor.remove_field(v3, "score")
        assert await _rows(client, table) == [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]
    finally:
        await editor.delete_model(v1)
    with pytest.raises(OperationalError):
        await _rows(client, table)


class _RecordingClient:
    """A client of a database Aldabra has no rules for (Tortoise's generic "sql"): the
    editor can only render for it, so it records the statements instead of running them."""

    def __init__(self) -> None:
        from tortoise.backends.base.client import Capabilities

        self.capabilities = Capabilities("sql")
        self.executed: list[str] = []

    async def execute_script(self, sql: str) -> None:
        self.executed.append(sql)


async def test_generic_sql_client_gets_standard_type_names() -> None:
    from tortoise.fields.db_defaults import Now

    client = _RecordingClient()
    await BaseSchemaEditor(client).add_field(
        _model("widget", id=fields.IntField(primary_key=True), created=fields.DatetimeField(db_default=Now())),
        "created",
    )
    assert client.executed == ['ALTER TABLE "widget" ADD COLUMN "created" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP']
