"""Making a native migration: the engine's diff of two states, as native operations.

The autodetector decides renames (asking, or refusing with ``RenameRequired``); the
changes are then written per table as operations whose states, replayed by the loader,
give the models' state again."""
from __future__ import annotations

import copy
from typing import Any

from tortoise.migrations import native_ops as ops
from tortoise.migrations.autodetector import Autodetector, match_tables
from tortoise.sql.schema_editor import creation_order, find_column

GROUPS = (  # (table key, how to name one, remove operation, add operation)
    ("indexes", lambda g: g, ops.RemoveIndex, ops.AddIndex),
    ("unique_together", lambda g: {"unique": g}, ops.RemoveConstraint, ops.AddConstraint),
    ("fks", lambda g: {"foreign_key": g}, ops.RemoveConstraint, ops.AddConstraint),
)


def _group_op(cls: type, key: str, group: Any, named: Any) -> ops.Operation:
    if cls in (ops.AddIndex, ops.RemoveIndex):
        return cls(key, group["columns"], group["unique"])
    return cls(key, named(group))


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
    current = copy.deepcopy(matched)
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
