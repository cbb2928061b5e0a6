"""PostgreSQL column types: arrays and full-text search vectors."""
from __future__ import annotations

from typing import Any

from tortoise.exceptions import ConfigurationError, ValidationError
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
    """A ``tsvector`` column (full-text search document).

    With ``source_fields`` (and ``stored=True``, the default) it is a generated column
    the database computes from those text fields, weighted by ``weights`` (one letter
    A-D per source field) in text search configuration ``config``: never written by the
    ORM, read back after each insert."""

    field_type = str
    indexable = False
    allows_generated = True
    SQL_TYPE = "TSVECTOR"
    DB_TYPES = {"postgres": "TSVECTOR"}

    def __init__(
        self,
        source_fields: tuple[str, ...] | list[str] | str | None = None,
        config: str | None = None,
        weights: tuple[str, ...] | list[str] | None = None,
        stored: bool = True,
        **kwargs: Any,
    ) -> None:
        #: the text fields the vector is computed from, its text search config and weights
        self.source_fields = (source_fields,) if isinstance(source_fields, str) else tuple(source_fields or ())
        self.config = config
        self.weights = tuple(weights or ())
        self.stored = stored and bool(self.source_fields)
        generated = kwargs.pop("generated", self.stored)
        if generated != self.stored:
            raise ConfigurationError(
                f"TSVectorField: generated={generated} must match stored={stored} with source_fields "
                f"{list(self.source_fields)} (a generated vector is a stored column computed from source_fields)"
            )
        if self.weights and len(self.weights) != len(self.source_fields):
            raise ConfigurationError(
                f"TSVectorField: weights {list(self.weights)} must give one weight per source field "
                f"{list(self.source_fields)}"
            )
        super().__init__(generated=generated, **kwargs)

    def generated_sql(self, dialect: Any) -> str | None:
        """The column's generation clause on ``dialect`` (None where it has none)."""
        if not self.stored:
            return None
        fields_map = self.model._meta.fields_map
        unknown = [name for name in self.source_fields if name not in fields_map or not fields_map[name].has_db_field]
        if unknown:
            raise ConfigurationError(
                f"TSVectorField {self.qualified_name}: source_fields {unknown} are not columns of "
                f"{self.model.__name__}; its columns are: {', '.join(f.model_field_name for f in self.model._meta.data_fields)}"
            )
        columns = [fields_map[name].column for name in self.source_fields]
        return dialect.tsvector_generated(columns, self.config, self.weights)


__all__ = ["ArrayField", "TSVectorField"]
