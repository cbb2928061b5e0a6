"""Schema changes: what the autodetector finds between two states, one change each, on one
table (``tortoise.migrations.operations`` holds the public operations of migration files).

An operation names its table by state key (see ``state``); the schema editor reads the
table's full description from the states before and after the migration, so the
operations stay small and the SQL for them lives in the dialect layer
(``tortoise.sql.schema_editor``).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Operation:
    key: str

    @property
    def kind(self) -> str:
        return type(self).__name__

    def describe(self) -> str:
        details = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items() if k != "key")
        return f"{self.kind}({self.key}{', ' + details if details else ''})"


@dataclass(frozen=True)
class CreateTable(Operation):
    pass


@dataclass(frozen=True)
class DropTable(Operation):
    pass


@dataclass(frozen=True)
class RenameTable(Operation):
    old: str
    new: str


@dataclass(frozen=True)
class AddColumn(Operation):
    column: str


@dataclass(frozen=True)
class DropColumn(Operation):
    column: str


@dataclass(frozen=True)
class RenameColumn(Operation):
    old: str
    new: str


@dataclass(frozen=True)
class AlterColumn(Operation):
    """Type, null, default or comment of a column changed (unique/index are separate)."""

    column: str
    changes: tuple[str, ...] = field(default=())
    #: the column's name before the migration (it may be renamed by the same migration)
    previous: str = ""


@dataclass(frozen=True)
class AddUnique(Operation):
    column: str


@dataclass(frozen=True)
class DropUnique(Operation):
    column: str


@dataclass(frozen=True)
class IndexOperation(Operation):
    """An index as the state describes it (see ``state``); "" / () for what it lacks."""

    columns: tuple[str, ...]
    unique: bool = False
    name: str = ""
    index_kind: str = ""
    condition: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, index: dict) -> "IndexOperation":
        condition = tuple(tuple(pair) for pair in index.get("condition") or ())
        return cls(key, tuple(index["columns"]), index["unique"], index.get("name", ""), index.get("kind", ""), condition)

    @property
    def index_id(self) -> tuple:
        """What makes two index operations describe the same index."""
        return (self.columns, self.unique, self.name, self.index_kind, self.condition)

    @property
    def index(self) -> dict:
        """The state's description of the index."""
        return {
            "columns": list(self.columns), "unique": self.unique, "name": self.name, "kind": self.index_kind,
            "condition": [list(pair) for pair in self.condition],
        }


@dataclass(frozen=True)
class AddIndex(IndexOperation):
    pass


@dataclass(frozen=True)
class DropIndex(IndexOperation):
    pass


@dataclass(frozen=True)
class AddForeignKey(Operation):
    column: str


@dataclass(frozen=True)
class DropForeignKey(Operation):
    column: str


@dataclass(frozen=True)
class AddUniqueTogether(Operation):
    columns: tuple[str, ...]


@dataclass(frozen=True)
class DropUniqueTogether(Operation):
    columns: tuple[str, ...]


@dataclass(frozen=True)
class AlterTableComment(Operation):
    pass


__all__ = [name for name, value in dict(globals()).items() if isinstance(value, type) and issubclass(value, Operation)]
