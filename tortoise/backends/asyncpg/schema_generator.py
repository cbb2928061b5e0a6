"""PostgreSQL's schema generator (Tortoise's ``AsyncpgSchemaGenerator``)."""
from __future__ import annotations

from tortoise.backends.base.schema_generator import BaseSchemaGenerator
from tortoise.sql.dialects.postgres import PostgresDialect


class AsyncpgSchemaGenerator(BaseSchemaGenerator):
    DIALECT = PostgresDialect()
