"""PostgreSQL column types: arrays and full-text search vectors."""
from __future__ import annotations

from typing import Any

from tortoise.exceptions import ValidationError
from tortoise.fields.base import Field


class ArrayField(Field[list]):
    """A PostgreSQL array of ``element_type`` (an SQL type such as "int", "varchar(1)")."""

    field_type = list
    indexable = False

    def __init__(self, element_type: str = "int", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.element_type = element_type
        self.SQL_TYPE = f"{element_type}[]"
        self.DB_TYPES = {"postgres": f"{element_type}[]"}

    def to_db_value(self, value: Any, instance: Any = None) -> Any:
        if value is None:
            return None
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise ValidationError(f"{self.qualified_name} takes a list of {self.element_type}, not {value!r}")
        return list(value)

    def to_python_value(self, value: Any) -> Any:
        return None if value is None else list(value)


class TSVectorField(Field[str]):
    """A ``tsvector`` column (full-text search document)."""

    field_type = str
    indexable = False
    SQL_TYPE = "TSVECTOR"
    DB_TYPES = {"postgres": "TSVECTOR"}

    def __init__(
        self,
        source_fields: tuple[str, ...] | list[str] | None = None,
        config: str | None = None,
        weights: tuple[str, ...] | list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        #: the text fields the vector is computed from, its text search config and weights
        self.source_fields = tuple(source_fields or ())
        self.config = config
        self.weights = tuple(weights or ())


__all__ = ["ArrayField", "TSVectorField"]
