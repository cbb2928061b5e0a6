"""Tortoise's per-backend schema generator API, over the dialect's DDL rules.

``Tortoise.generate_schemas`` and migrations build their DDL in the migration schema
editor; this class keeps the entry points that code written for Tortoise calls on a
backend's generator: the DEFAULT clause of a column and running a creation script.
"""
from __future__ import annotations

from typing import Any

from tortoise.sql.dialects.base import Dialect


class BaseSchemaGenerator:
    #: the backend's dialect (None: the client's own)
    DIALECT: Dialect | None = None

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def dialect(self) -> Dialect:
        return self.DIALECT if self.DIALECT is not None else self.client.dialect

    def _get_field_default(self, field: Any, table: str, column: str, model: Any) -> str:
        """`` DEFAULT <value>`` for a field with a ``db_default`` (else ""); a Python-side
        ``default`` never reaches the schema."""
        if not field.has_db_default():
            return ""
        return f" DEFAULT {self.dialect.db_default_sql(field)}"

    async def generate_from_string(self, creation_string: str) -> None:
        await self.client.execute_script(creation_string)
