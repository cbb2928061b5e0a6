"""MySQL/MariaDB's schema generator (Tortoise's ``MySQLSchemaGenerator``)."""
from __future__ import annotations

from tortoise.backends.base.schema_generator import BaseSchemaGenerator
from tortoise.sql.dialects.mysql import MySQLDialect


class MySQLSchemaGenerator(BaseSchemaGenerator):
    DIALECT = MySQLDialect()
