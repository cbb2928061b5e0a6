"""The dependency graph of native migrations: plans, heads, cycles."""
from __future__ import annotations

from typing import Any, NamedTuple

from tortoise.migrations.exceptions import MigrationError


class MigrationKey(NamedTuple):
    app_label: str
    name: str

    def __str__(self) -> str:
        return f"{self.app_label}.{self.name}"


class MigrationGraph:
    def __init__(self) -> None:
        self.nodes: dict[MigrationKey, Any] = {}
        self.parents: dict[MigrationKey, list[MigrationKey]] = {}

    def add(self, key: MigrationKey, migration: Any) -> None:
        self.nodes[key] = migration
        self.parents.setdefault(key, [])

    def add_dependency(self, child: MigrationKey, parent: MigrationKey) -> None:
        if parent not in self.nodes:
            raise MigrationError(f"migration {child} depends on {parent}, which does not exist")
        self.parents[child].append(parent)

    def children(self, key: MigrationKey) -> list[MigrationKey]:
        return [k for k, parents in self.parents.items() if key in parents]

    def heads(self, app_label: str) -> list[MigrationKey]:
        """Migrations of the app that no other migration of the app depends on."""
        own = [k for k in self.nodes if k.app_label == app_label]
        return sorted(k for k in own if not any(c.app_label == app_label for c in self.children(k)))

    def roots(self, app_label: str) -> list[MigrationKey]:
        own = [k for k in self.nodes if k.app_label == app_label]
        return sorted(k for k in own if not any(p.app_label == app_label for p in self.parents[k]))

    def check_cycles(self) -> None:
        state: dict[MigrationKey, int] = {}  # 1 visiting, 2 done

        def visit(key: MigrationKey, path: list[MigrationKey]) -> None:
            if state.get(key) == 2:
                return
            if state.get(key) == 1:
                loop = path[path.index(key):] + [key]
                raise MigrationError(f"dependency cycle between migrations: {' -> '.join(map(str, loop))}")
            state[key] = 1
            for parent in self.parents[key]:
                visit(parent, path + [key])
            state[key] = 2

        for key in sorted(self.nodes):
            visit(key, [])

    def forwards_plan(self, target: MigrationKey) -> list[MigrationKey]:
        """``target`` and everything it depends on, dependencies first."""
        order: list[MigrationKey] = []

        def visit(key: MigrationKey) -> None:
            if key in order:
                return
            for parent in sorted(self.parents[key]):
                visit(parent)
            order.append(key)

        visit(target)
        return order

    def backwards_plan(self, target: MigrationKey) -> list[MigrationKey]:
        """``target`` and everything depending on it, dependents first."""
        order: list[MigrationKey] = []

        def visit(key: MigrationKey) -> None:
            if key in order:
                return
            for child in sorted(self.children(key)):
                visit(child)
            order.append(key)

        visit(target)
        return order
