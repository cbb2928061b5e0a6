"""``Migration``: one migration file of the native (Tortoise 1.x) format.

A file defines ``class Migration(migrations.Migration)`` with ``dependencies`` (a list of
``(app_label, name)``), ``operations``, ``initial`` and ``replaces`` (the migrations a
squashed one stands for)."""
from __future__ import annotations

from typing import Any, ClassVar


class Migration:
    dependencies: ClassVar[list[tuple[str, str]]] = []
    operations: ClassVar[list[Any]] = []
    initial: ClassVar[bool | None] = None
    replaces: ClassVar[list[tuple[str, str]]] = []
    #: False runs the migration without a transaction (as a database without DDL transactions does)
    atomic: ClassVar[bool] = True

    def __init__(self, name: str, app_label: str) -> None:
        self.name = name
        self.app_label = app_label
        self.dependencies = [tuple(d) for d in type(self).dependencies]  # type: ignore[misc]
        self.operations = list(type(self).operations)  # type: ignore[misc]
        self.replaces = [tuple(r) for r in type(self).replaces]  # type: ignore[misc]

    @property
    def key(self) -> tuple[str, str]:
        return (self.app_label, self.name)

    def __repr__(self) -> str:
        return f"<Migration {self.app_label}.{self.name}>"
