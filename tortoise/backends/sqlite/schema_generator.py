"""SQLite's schema generator (Tortoise's ``SqliteSchemaGenerator``)."""
from __future__ import annotations

from tortoise.backends.base.schema_generator import BaseSchemaGenerator
from tortoise.sql.dialects.sqlite import SqliteDialect


class SqliteSchemaGenerator(BaseSchemaGenerator):
    DIALECT = SqliteDialect()
