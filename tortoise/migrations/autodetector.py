"""Autodetector: the ordered operations that turn one state into another.

Renames are never guessed.  When a table loses a column and gains another (or the app
loses a model and gains another), the pair is a rename only if the caller says so:
through ``renames`` (``{"Model.old": "new"}`` for fields or columns, ``{"Old": "New"}``
for models), through ``ask`` (an interactive yes/no question), or by allowing drop+add
explicitly (``allow_drop``).  Otherwise ``RenameRequired`` lists the candidates.  A model
whose class is renamed but whose table keeps its name is the same table, without asking.
"""
from __future__ import annotations

from typing import Any, Callable

from tortoise.exceptions import ConfigurationError
from tortoise.migrations import changes as ops
from tortoise.sql.schema_editor import creation_order, find_column, index_groups

COLUMN_ATTRIBUTES = ("types", "null", "default", "description")


def _attribute(column: dict[str, Any], name: str) -> Any:
    """A compared column attribute; "default" covers an SQL-expression default too
    (``default_sql``, absent from states written before it existed)."""
    if name == "default":
        return column["default"], column.get("default_sql") or None
    return column[name]


class RenameRequired(ConfigurationError):
    """Something was removed and something added: a rename or a drop+add, the user decides."""

    def __init__(self, kind: str, candidates: list[tuple[str, str, str]]) -> None:
        #: (old name, new name, the --rename value saying it is a rename)
        self.candidates = candidates
        pairs = "; ".join(f"{old} -> {new}" for old, new, _ in candidates)
        super().__init__(
            f"possible {kind} rename(s): {pairs}. Say which: --rename {candidates[0][2]} (repeatable), "
            f"or --no-rename to drop and add (the dropped {kind}'s data is lost)"
        )


def match_tables(
    old: dict[str, Any],
    new: dict[str, Any],
    renames: dict[str, str] | None = None,
    ask: Callable[[str], bool] | None = None,
    allow_drop: bool = False,
) -> dict[str, Any]:
    """``old`` with each table under the key its model has in ``new`` (renamed models)."""
    renames = renames or {}
    gone = {k: t for k, t in old["tables"].items() if k not in new["tables"]}
    came = {k: t for k, t in new["tables"].items() if k not in old["tables"]}
    pairs: dict[str, str] = {}  # old key -> new key
    by_table = {t["table"]: k for k, t in gone.items()}
    for key, table in came.items():
        if table["table"] in by_table:
            pairs[by_table.pop(table["table"])] = key
    undecided = []
    for old_key, table in gone.items():
        if old_key in pairs or table["model"] is None:
            continue
        explicit = renames.get(old_key)
        if explicit is not None:
            if explicit not in came:
                raise ConfigurationError(f"--rename {old_key}:{explicit}: no new model {explicit}; new models are: {', '.join(came) or 'none'}")
            pairs[old_key] = explicit
            continue
        for key, candidate in came.items():
            if candidate["model"] is None or key in pairs.values():
                continue
            if ask is not None:
                if ask(f"Rename model {old_key} to {key}?"):
                    pairs[old_key] = key
                    break
            elif not allow_drop:
                undecided.append((old_key, key, f"{old_key}:{key}"))
    if undecided:
        raise RenameRequired("model", undecided)
    return {**old, "tables": {pairs.get(k, k): t for k, t in old["tables"].items()}}


class Autodetector:
    def __init__(
        self,
        old: dict[str, Any],
        new: dict[str, Any],
        renames: dict[str, str] | None = None,
        ask: Callable[[str], bool] | None = None,
        allow_drop: bool = False,
    ) -> None:
        self.old = old["tables"]
        self.new = new["tables"]
        self.renames = dict(renames or {})
        self.ask = ask
        self.allow_drop = allow_drop
        #: the column renames decided, per key: {old column: new column}
        self.decided: dict[str, dict[str, str]] = {}

    # --- the diff ---------------------------------------------------------------------------
    def operations(self) -> list[ops.Operation]:
        self._decide_renames()
        phases: dict[str, list[ops.Operation]] = {p: [] for p in (
            "drop_fk", "drop_index", "rename", "create", "add", "drop_column", "add_constraint", "drop_table")}
        created = [k for k in self.new if k not in self.old]
        for key in creation_order(created, self.new):
            phases["create"].append(ops.CreateTable(key))
        dropped = [k for k in self.old if k not in self.new]
        for key in reversed(creation_order(dropped, self.old)):
            phases["drop_table"].append(ops.DropTable(key))
        for key in self.new:
            if key in self.old:
                self._diff_table(key, self.old[key], self.new[key], phases)
        return [op for ops_ in phases.values() for op in ops_]

    def _diff_table(self, key: str, old: dict[str, Any], new: dict[str, Any], phases: dict[str, list]) -> None:
        if old["table"] != new["table"]:
            phases["rename"].append(ops.RenameTable(key, old["table"], new["table"]))
        renamed = self.decided.get(key, {})
        for old_name, new_name in renamed.items():
            phases["rename"].append(ops.RenameColumn(key, old_name, new_name))
        back = {v: k for k, v in renamed.items()}
        old_names = {c["name"] for c in old["columns"]}
        # Constraint and index names derive from table and column names: after a rename
        # they are dropped and created again under their new names.
        moved = old["table"] != new["table"]
        for column in new["columns"]:
            name = column["name"]
            before = find_column(old, back.get(name, name))
            if before is None:
                phases["add"].append(ops.AddColumn(key, name))
                if column["unique"]:
                    phases["add_constraint"].append(ops.AddUnique(key, name))
                continue
            changes = tuple(a for a in COLUMN_ATTRIBUTES if _attribute(before, a) != _attribute(column, a))
            if changes:
                phases["add"].append(ops.AlterColumn(key, name, changes, before["name"]))
            renamed_here = moved or before["name"] != name
            if before["unique"] and (not column["unique"] or renamed_here):
                phases["drop_index"].append(ops.DropUnique(key, before["name"]))
            if column["unique"] and (not before["unique"] or renamed_here):
                phases["add_constraint"].append(ops.AddUnique(key, name))
        new_names = {c["name"] for c in new["columns"]}
        for name in sorted(old_names - new_names - set(renamed)):
            phases["drop_column"].append(ops.DropColumn(key, name))

        old_fks = {fk["column"]: fk for fk in old["fks"]}
        new_fks = {fk["column"]: fk for fk in new["fks"]}
        for column, fk in old_fks.items():
            if moved or new_fks.get(column) != fk:
                phases["drop_fk"].insert(0, ops.DropForeignKey(key, column))
        for column, fk in new_fks.items():
            if moved or old_fks.get(column) != fk:
                phases["add_constraint"].append(ops.AddForeignKey(key, column))

        # an index is its columns, uniqueness, name, kind and condition: any change re-creates it
        old_idx = {ops.DropIndex.of(key, i) for i in index_groups(old)}
        new_idx = {ops.AddIndex.of(key, i) for i in index_groups(new)}
        old_ids, new_ids = {op.index_id for op in old_idx}, {op.index_id for op in new_idx}
        for op in sorted(old_idx, key=repr):
            if moved or op.index_id not in new_ids:
                phases["drop_index"].append(op)
        for op in sorted(new_idx, key=repr):
            if moved or op.index_id not in old_ids:
                phases["add_constraint"].append(op)

        old_ut = {tuple(g) for g in old["unique_together"]}
        new_ut = {tuple(g) for g in new["unique_together"]}
        for cols in sorted(old_ut if moved else old_ut - new_ut):
            phases["drop_index"].append(ops.DropUniqueTogether(key, cols))
        for cols in sorted(new_ut if moved else new_ut - old_ut):
            phases["add_constraint"].append(ops.AddUniqueTogether(key, cols))
        if (old["description"] or None) != (new["description"] or None):
            phases["add"].append(ops.AlterTableComment(key))

    # --- renames ----------------------------------------------------------------------------
    def _decide_renames(self) -> None:
        undecided: list[tuple[str, str, str]] = []
        for key, new in self.new.items():
            old = self.old.get(key)
            if old is None:
                continue
            label = new["model"] or new["table"]
            removed = [c for c in old["columns"] if find_column(new, c["name"]) is None]
            added = [c for c in new["columns"] if find_column(old, c["name"]) is None]
            decided: dict[str, str] = {}
            for column in removed:
                explicit = self._explicit(label, column, new)
                if explicit is not None:
                    decided[column["name"]] = explicit
                    continue
                for candidate in added:
                    if candidate["name"] in decided.values():
                        continue
                    if self.ask is not None:
                        question = f"Rename {label}.{column['field']} to {label}.{candidate['field']}?"
                        if self.ask(question):
                            decided[column["name"]] = candidate["name"]
                            break
                    elif not self.allow_drop:
                        old_name, new_name = f"{label}.{column['field']}", f"{label}.{candidate['field']}"
                        undecided.append((old_name, new_name, f"{old_name}:{candidate['field']}"))
            if decided:
                self.decided[key] = decided
        if undecided:
            raise RenameRequired("column", undecided)

    def _explicit(self, label: str, column: dict[str, Any], new: dict[str, Any]) -> str | None:
        for old_name in (column["field"], column["name"]):
            target = self.renames.get(f"{label}.{old_name}")
            if target is None:
                continue
            for candidate in new["columns"]:
                if target in (candidate["field"], candidate["name"]):
                    return candidate["name"]
            raise ConfigurationError(
                f"--rename {label}.{old_name}:{target}: {label} has no field or column '{target}'; "
                f"it has: {', '.join(c['field'] for c in new['columns'])}"
            )
        return None

    def reverse_renames(self) -> dict[str, str]:
        """The decided renames, the other way round (for the downgrade diff)."""
        result = {}
        for key, pairs in self.decided.items():
            label = self.new[key]["model"] or self.new[key]["table"]
            for old, new in pairs.items():
                result[f"{label}.{new}"] = old
        return result


def diff(old: dict[str, Any], new: dict[str, Any], **kwargs: Any) -> tuple[list[ops.Operation], list[ops.Operation]]:
    """Upgrade and downgrade operations between two states whose tables have the same
    keys (see ``match_tables``)."""
    detector = Autodetector(old, new, **kwargs)
    forward = detector.operations()
    backward = Autodetector(new, old, renames=detector.reverse_renames(), allow_drop=True).operations()
    return forward, backward


def __getattr__(name: str) -> Any:
    """Tortoise 1.x's autodetector (native migrations) is importable from here as well
    (looked up lazily: it is built on this module)."""
    if name == "MigrationAutodetector":
        from tortoise.migrations.native_maker import MigrationAutodetector

        return MigrationAutodetector
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
