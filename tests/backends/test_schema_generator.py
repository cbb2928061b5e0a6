"""The backends' schema generators (Tortoise's API): a column's DEFAULT clause from its
``db_default``, and a creation script run on the connection under test."""
from __future__ import annotations

import pytest

from tests.conftest import TEST_DIALECT, unique_name
from tortoise import fields
from tortoise.backends.asyncpg.schema_generator import AsyncpgSchemaGenerator
from tortoise.backends.mysql.schema_generator import MySQLSchemaGenerator
from tortoise.backends.sqlite.schema_generator import SqliteSchemaGenerator
from tortoise.connection import connections
from tortoise.fields.db_defaults import Now, SqlDefault

GENERATORS = {"sqlite": SqliteSchemaGenerator, "postgres": AsyncpgSchemaGenerator, "mysql": MySQLSchemaGenerator}


@pytest.mark.parametrize(
    ("field", "sqlite", "postgres", "mysql"),
    [
        (fields.IntField(), "", "", ""),
        (fields.IntField(default=1), "", "", ""),  # a Python default is not the schema's
        (fields.IntField(default=1, db_default=2), " DEFAULT 2", " DEFAULT 2", " DEFAULT 2"),
        (fields.IntField(null=True, db_default=None), " DEFAULT NULL", " DEFAULT NULL", " DEFAULT NULL"),
        (fields.BooleanField(db_default=False), " DEFAULT 0", " DEFAULT FALSE", " DEFAULT 0"),
        (fields.CharField(max_length=9, db_default="it's"), " DEFAULT 'it''s'", " DEFAULT 'it''s'", " DEFAULT 'it''s'"),
        (fields.FloatField(db_default=3.5), " DEFAULT 3.5", " DEFAULT 3.5", " DEFAULT 3.5"),
        (fields.DatetimeField(db_default=Now()), " DEFAULT CURRENT_TIMESTAMP", " DEFAULT CURRENT_TIMESTAMP", " DEFAULT CURRENT_TIMESTAMP(6)"),
        (fields.CharField(max_length=9, db_default=SqlDefault("'n/a'")), " DEFAULT 'n/a'", " DEFAULT 'n/a'", " DEFAULT 'n/a'"),
    ],
    ids=repr,
)
def test_default_clause_per_backend(field, sqlite, postgres, mysql) -> None:
    expected = {"sqlite": sqlite, "postgres": postgres, "mysql": mysql}
    for name, generator in GENERATORS.items():
        assert generator(client=None)._get_field_default(field, "t", "c", None) == expected[name], name


async def test_generate_from_string_runs_on_the_connection() -> None:
    client = connections.get("default")
    generator = GENERATORS[TEST_DIALECT](client)
    table = unique_name("gen")
    column = fields.IntField(db_default=7)
    await generator.generate_from_string(
        f'CREATE TABLE {client.dialect.quote(table)} (id INT, n INT{generator._get_field_default(column, table, "n", None)})'
    )
    try:
        await client.execute_script(f"INSERT INTO {client.dialect.quote(table)} (id) VALUES (1)")
        assert await client.execute_query_dict(f"SELECT n FROM {client.dialect.quote(table)}") == [{"n": 7}]
    finally:
        await client.execute_script(f"DROP TABLE {client.dialect.quote(table)}")
