"""Making a native migration: the engine's diff of two states, as native operations.

The autodetector decides renames (asking, or refusing with ``RenameRequired``); the
changes are then written per table as operations whose states, replayed by the loader,
give the models' state again."""
from __future__ import annotations

import copy
import datetime
import re
from typing import Any, Callable

from tortoise.migrations import operations as ops
from tortoise.migrations.autodetector import Autodetector, match_tables
from tortoise.migrations.exceptions import MigrationError
from tortoise.migrations.native_loader import NativeLoader
from tortoise.migrations.native_writer import MigrationWriter
from tortoise.migrations.state import state_from_models
from tortoise.sql.schema_editor import creation_order, find_column

GROUPS = (  # (table key, how to name one, remove operation, add operation)
    ("indexes", lambda g: g, ops.RemoveIndex, ops.AddIndex),
    ("unique_together", lambda g: {"unique": g}, ops.RemoveConstraint, ops.AddConstraint),
    ("fks", lambda g: {"foreign_key": g}, ops.RemoveConstraint, ops.AddConstraint),
)


def _group_op(cls: type, key: str, group: Any, named: Any) -> ops.Operation:
    if cls in (ops.AddIndex, ops.RemoveIndex):
        return cls(key, fields=group["columns"], unique=group["unique"])
    return cls(key, constraint=named(group))


def _create(key: str, table: dict[str, Any]) -> ops.CreateModel:
    options = {"table": table["table"]}
    if table["model"] != key:
        options["model"] = table["model"]
    for name in ("description", "fks", "indexes", "unique_together"):
        if table[name]:
            options[name] = table[name]
    return ops.CreateModel(key, [(c["field"], c) for c in table["columns"]], options)


def operations_between(old: dict[str, Any], new: dict[str, Any], **rename_options: Any) -> list[ops.Operation]:
    """Native operations turning state ``old`` into ``new`` (empty when equal)."""
    matched = match_tables(old, new, **rename_options)
    result: list[ops.Operation] = [ops.RenameModel(a, b) for a, b in zip(old["tables"], matched["tables"]) if a != b]
    detector = Autodetector(matched, new, **rename_options)
    detector.operations()  # decides the column renames (or raises RenameRequired)
    current = copy.deepcopy(old)
    for rename in result:  # what the loader will replay (a default table name follows the model)
        rename.state_forwards(current)
    for key, pairs in detector.decided.items():
        for old_column, new_column in pairs.items():
            rename = ops.RenameField(key, find_column(current["tables"][key], old_column)["field"], find_column(new["tables"][key], new_column)["field"])
            rename.state_forwards(current)
            result.append(rename)
    before, after = current["tables"], new["tables"]
    removals: list[ops.Operation] = []
    changes: list[ops.Operation] = []
    additions: list[ops.Operation] = []
    for key in (k for k in after if k in before):
        old_t, new_t = before[key], after[key]
        for name, named, remove, add in GROUPS:
            removals += [_group_op(remove, key, g, named) for g in old_t[name] if g not in new_t[name]]
            additions += [_group_op(add, key, g, named) for g in new_t[name] if g not in old_t[name]]
        options = {n: new_t[n] for n in ("table", "description") if old_t[n] != new_t[n]}
        if options:
            changes.append(ops.AlterModelOptions(key, options))
        old_fields = {c["field"]: c for c in old_t["columns"]}
        new_fields = {c["field"]: c for c in new_t["columns"]}
        changes += [ops.AddField(key, f, c) for f, c in new_fields.items() if f not in old_fields]
        changes += [ops.AlterField(key, f, c) for f, c in new_fields.items() if f in old_fields and old_fields[f] != c]
        changes += [ops.RemoveField(key, f) for f in old_fields if f not in new_fields]
    created = [_create(k, after[k]) for k in creation_order([k for k in after if k not in before], after)]
    deleted = [ops.DeleteModel(k) for k in reversed(creation_order([k for k in before if k not in after], before))]
    return result + removals + created + changes + additions + deleted


class MigrationAutodetector:
    """The migrations the apps' models need, as writers (none when nothing changed).

    ``apps`` maps app labels to their models (``Tortoise.apps``); ``apps_config`` is the
    configuration's ``apps`` with each app's ``migrations`` module."""

    def __init__(
        self, apps: dict[str, Any], apps_config: dict[str, Any], app_labels: list[str] | None = None, empty: bool = False,
        name: str | None = None, now: Callable[[], datetime.datetime] = datetime.datetime.now, **rename_options: Any,
    ) -> None:
        self.apps, self.apps_config, self.now = apps, apps_config, now
        self.app_labels, self.empty, self.name = app_labels, empty, name
        self.rename_options = rename_options
        self.loader = NativeLoader({label: app.get("migrations") for label, app in apps_config.items()})

    async def changes(self) -> list[MigrationWriter]:
        """An empty migration depends on all of the app's heads, so it also merges them."""
        writers = []
        for app in self.app_labels or [a for a, c in self.apps_config.items() if c.get("migrations")]:
            if not self.apps_config[app].get("migrations"):
                raise MigrationError(f"app {app!r} has no migrations module; set \"migrations\" in its config")
            empty, name = self.empty, self.name
            self.loader.check_app(app)
            head = self.loader.graph.heads(app) if empty else self.loader.head(app)
            operations: list[ops.Operation] = []
            if not empty:
                models_state = state_from_models(list(self.apps.get(app, {}).values()))
                operations = operations_between(self.loader.project_state(app), models_state, **self.rename_options)
                if not operations:
                    continue
            dependencies = [tuple(h) for h in self.loader.graph.heads(app)] + self._other_apps(app, operations)
            writers.append(MigrationWriter(
                self._name(app, name, not head), app, operations, self.apps_config[app]["migrations"],
                dependencies, initial=not head and not empty or None,
            ))
        return writers

    def _name(self, app: str, name: str | None, first: bool) -> str:
        numbers = [int(m.group()) for k in self.loader.graph.nodes if k.app_label == app and (m := re.match(r"\d+", k.name))]
        if name:
            label = re.sub(r"\W+", "_", name.strip()).strip("_")
        else:
            label = "initial" if first else "auto_" + self.now().strftime("%Y%m%d_%H%M")
        return f"{max(numbers, default=0) + 1:04d}_{label}"

    def _other_apps(self, app: str, operations: list[ops.Operation]) -> list[tuple[str, str]]:
        """Heads of the other apps whose tables the new foreign keys point to."""
        targets = set()
        for op in operations:
            if isinstance(op, ops.CreateModel):
                targets |= {fk["to_table"] for fk in op.options.get("fks", [])}
            elif isinstance(op, ops.AddConstraint) and "foreign_key" in op.constraint:
                targets.add(op.constraint["foreign_key"]["to_table"])
        result = []
        for other in self.loader.modules:
            heads = self.loader.graph.heads(other) if other != app else []
            if heads and targets & {t["table"] for t in self.loader.project_state(other)["tables"].values()}:
                result.append(tuple(heads[0]))
        return result
