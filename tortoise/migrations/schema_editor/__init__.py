"""Tortoise 1.x's schema editor API (``BaseSchemaEditor``) over the migration engine."""
from tortoise.migrations.schema_editor.base import BaseSchemaEditor

__all__ = ["BaseSchemaEditor"]
