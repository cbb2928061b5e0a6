"""Index declarations for ``Meta.indexes``.

``Index(fields=["a", "b"], name="...")`` creates a plain index; subclasses in
tortoise.contrib.{postgres,mysql}.indexes set ``INDEX_TYPE`` (GIN, FULLTEXT, …), and
`PartialIndex` adds a WHERE condition on dialects that have partial indexes.
"""
from __future__ import annotations

from typing import Any

from tortoise.exceptions import ConfigurationError


class Index:
    #: the index method/kind for the dialect ("" = the default B-tree)
    INDEX_TYPE = ""

    def __init__(self, *expressions: Any, fields: tuple[str, ...] | list[str] | None = None, name: str | None = None) -> None:
        if not expressions and not fields:
            raise ConfigurationError(f"{type(self).__name__} needs fields=[...] or at least one expression")
        if expressions and fields:
            raise ConfigurationError(f"{type(self).__name__} takes either fields=[...] or expressions, not both")
        self.fields: tuple[str, ...] = tuple(fields or ())
        self.expressions = expressions
        self.name = name

    def describe(self) -> dict[str, Any]:
        """Tortoise's description of an index (``extra``: SQL it appends, none here)."""
        return {
            "fields": list(self.fields),
            "expressions": [str(expression) for expression in self.expressions],
            "name": self.name,
            "type": self.INDEX_TYPE,
            "extra": "",
        }

    def deconstruct(self) -> tuple[str, tuple, dict[str, Any]]:
        kwargs: dict[str, Any] = {}
        if self.fields:
            kwargs["fields"] = self.fields
        if self.name:
            kwargs["name"] = self.name
        return f"{type(self).__module__}.{type(self).__name__}", self.expressions, kwargs

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.deconstruct() == self.deconstruct()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.fields, self.name))

    def __repr__(self) -> str:
        args = [repr(e) for e in self.expressions]
        if self.fields:
            args.append(f"fields={list(self.fields)!r}")
        if self.name:
            args.append(f"name={self.name!r}")
        return f"{type(self).__name__}({', '.join(args)})"


class PartialIndex(Index):
    """An index over the rows matching ``condition`` (a dict of column → value)."""

    def __init__(
        self,
        *expressions: Any,
        fields: tuple[str, ...] | list[str] | None = None,
        name: str | None = None,
        condition: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(*expressions, fields=fields, name=name)
        self.condition = dict(condition or {})

    def deconstruct(self) -> tuple[str, tuple, dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        if self.condition:
            kwargs["condition"] = self.condition
        return path, args, kwargs


__all__ = ["Index", "PartialIndex"]
