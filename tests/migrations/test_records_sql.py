"""The recorder tables' statements: quoted names, one placeholder per bound value, per dialect."""
from __future__ import annotations

import pytest

from tortoise.sql import records
from tortoise.sql.dialects.mysql import MySQLDialect
from tortoise.sql.dialects.postgres import PostgresDialect
from tortoise.sql.dialects.sqlite import SqliteDialect


@pytest.mark.parametrize(
    ("dialect", "select", "delete"),
    [
        (SqliteDialect(), 'SELECT "name" AS v FROM "tortoise_migrations" WHERE "app"=? ORDER BY "id"',
         'DELETE FROM "tortoise_migrations" WHERE "app"=? AND "name"=?'),
        (PostgresDialect(), 'SELECT "name" AS v FROM "tortoise_migrations" WHERE "app"=$1 ORDER BY "id"',
         'DELETE FROM "tortoise_migrations" WHERE "app"=$1 AND "name"=$2'),
        (MySQLDialect(), "SELECT `name` AS v FROM `tortoise_migrations` WHERE `app`=%s ORDER BY `id`",
         "DELETE FROM `tortoise_migrations` WHERE `app`=%s AND `name`=%s"),
    ],
)
def test_recorder_statements(dialect, select, delete) -> None:
    assert records.select_where(dialect, "tortoise_migrations", "name", "v", ["app"], order_by="id") == select
    assert records.delete_where(dialect, "tortoise_migrations", ["app", "name"]) == delete
    odd = 'odd"name`'
    assert records.probe(dialect, odd) == "SELECT 1 FROM " + dialect.quote(odd) + " WHERE 1=0"
