"""Loading native migrations: each app's migrations package, the graph, the states."""
from __future__ import annotations

import copy
import importlib
import sys
from pathlib import Path
from typing import Any

from tortoise.migrations import field_state
from tortoise.migrations.exceptions import MigrationError
from tortoise.migrations.graph import MigrationGraph, MigrationKey
from tortoise.migrations.migration import Migration
from tortoise.migrations.state import empty_state


def migrations_path(module: str) -> Path:
    """The folder of a migrations package: beside its parent package, or under the cwd."""
    parent, _, last = module.rpartition(".")
    if parent:
        package = importlib.import_module(parent)
        return Path(list(package.__path__)[0]) / last
    return Path.cwd() / last


def migration_names(module: str) -> list[str]:
    folder = migrations_path(module)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))


def load_migration(module: str, name: str, app_label: str) -> Migration:
    dotted = f"{module}.{name}"
    sys.modules.pop(dotted, None)
    try:
        loaded = importlib.import_module(dotted)
    except Exception as exc:
        raise MigrationError(f"cannot load migration {app_label}.{name} ({dotted}): {type(exc).__name__}: {exc}") from exc
    cls = getattr(loaded, "Migration", None)
    if not (isinstance(cls, type) and issubclass(cls, Migration)):
        raise MigrationError(f"migration {dotted} has no class Migration(migrations.Migration)")
    return cls(name, app_label)


class NativeLoader:
    """The migrations of every app (``{app_label: migrations module or None}``)."""

    def __init__(self, modules: dict[str, str | None]) -> None:
        self.modules = modules
        importlib.invalidate_caches()
        self.graph = MigrationGraph()
        for app, module in modules.items():
            for name in migration_names(module) if module else []:
                self.graph.add(MigrationKey(app, name), load_migration(module, name, app))
        self._squash()
        for key, migration in list(self.graph.nodes.items()):
            for app, name in migration.dependencies:
                self.graph.add_dependency(key, self.resolve(app, name))
        self.graph.check_cycles()
        self._states: dict[str, dict[str, Any]] = {}
        self._replaying: set[str] = set()

    def forwards(self, operation: Any, state: dict[str, Any]) -> None:
        """Apply an operation to an app's state; its relations may name other apps' models."""
        with field_state.other_apps(self._other_table):
            operation.state_forwards(state)

    def _other_table(self, app: str, model: str) -> dict[str, Any] | None:
        """A model's table in the state of all of its app's migrations (None while that app
        is itself being replayed, or unknown)."""
        if app not in self.modules or app in self._replaying:
            return None
        if app not in self._states:
            self._states[app] = self.project_state(app)
        return self._states[app]["tables"].get(model)

    def _squash(self) -> None:
        """A migration that ``replaces`` others stands for them (its originals leave the graph)."""
        for key, migration in list(self.graph.nodes.items()):
            for replaced in migration.replaces:
                self.graph.nodes.pop(MigrationKey(*replaced), None)
                self.graph.parents.pop(MigrationKey(*replaced), None)
        replaced_by = {MigrationKey(*r): k for k, m in self.graph.nodes.items() for r in m.replaces}
        for migration in self.graph.nodes.values():
            migration.dependencies = [tuple(replaced_by.get(MigrationKey(*d), d)) for d in migration.dependencies]

    def check_app(self, app: str) -> None:
        if app not in self.modules:
            raise MigrationError(f"unknown app label {app!r}; the configured apps are: {', '.join(self.modules)}")

    def resolve(self, app: str, name: str) -> MigrationKey:
        """A migration by name or unique prefix (``0002`` for ``0002_add_title``)."""
        self.check_app(app)
        names = [k.name for k in self.graph.nodes if k.app_label == app]
        if name in names:
            return MigrationKey(app, name)
        found = [n for n in names if n.startswith(name)]
        if len(found) == 1:
            return MigrationKey(app, found[0])
        what = "is ambiguous" if found else "does not exist"
        raise MigrationError(f"migration {app}.{name} {what}; the migrations of {app!r} are: {', '.join(sorted(names)) or 'none'}")

    def head(self, app: str) -> MigrationKey | None:
        """The app's only head; two heads are an error (merge them first)."""
        self.check_app(app)
        heads = self.graph.heads(app)
        if len(heads) > 1:
            raise MigrationError(
                f"app {app!r} has {len(heads)} heads: {', '.join(map(str, heads))}; "
                "write a migration depending on all of them to merge them"
            )
        return heads[0] if heads else None

    def app_order(self, app: str) -> list[MigrationKey]:
        order: list[MigrationKey] = []
        for head in self.graph.heads(app):
            order += [k for k in self.graph.forwards_plan(head) if k.app_label == app and k not in order]
        return order

    def state_before(self, key: MigrationKey) -> dict[str, Any]:
        order = self.app_order(key.app_label)
        return self.project_state(key.app_label, order[: order.index(key)])

    def project_state(self, app: str, keys: list[MigrationKey] | None = None) -> dict[str, Any]:
        """The app's state after ``keys`` (default: all of its migrations)."""
        state = empty_state()
        self._replaying.add(app)
        try:
            for key in self.app_order(app) if keys is None else keys:
                for operation in self.graph.nodes[key].operations:
                    self.forwards(operation, state)
        finally:
            self._replaying.discard(app)
        return copy.deepcopy(state)
