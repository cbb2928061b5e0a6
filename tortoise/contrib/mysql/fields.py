"""MySQL column types."""
from __future__ import annotations

from tortoise.fields.base import Field


class GeometryField(Field[bytes]):
    """A spatial ``GEOMETRY`` column (values in MySQL's internal geometry format)."""

    field_type = bytes
    indexable = False
    SQL_TYPE = "GEOMETRY"
    DB_TYPES = {"mysql": "GEOMETRY"}


__all__ = ["GeometryField"]
