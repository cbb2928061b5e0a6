"""Making a migration: diff the last file's state with the models', render, write."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from tortoise.migrations import writer
from tortoise.migrations.autodetector import diff, match_tables
from tortoise.migrations.exceptions import MigrationError
from tortoise.migrations.loader import Loader
from tortoise.sql.schema_editor import SchemaEditor


def plan(editor: SchemaEditor, old: dict[str, Any], new: dict[str, Any], **rename_options: Any) -> tuple[list[str], list[str]]:
    """Upgrade and downgrade SQL between two states.

    From an empty state (the first migration) tables are created ``IF NOT EXISTS`` and
    the downgrade is empty, as Aerich's initial migration: it is never reverted, the
    app's history is reset instead."""
    old = match_tables(old, new, **rename_options)
    forward, backward = diff(old, new, **rename_options)
    initial = not old["tables"]
    upgrade = editor.migration_sql(forward, old, new, safe=initial)
    downgrade = [] if initial else editor.migration_sql(backward, new, old)
    return upgrade, downgrade


def make_migration(
    loader: Loader,
    editor: SchemaEditor,
    models_state: dict[str, Any],
    name: str = "update",
    empty: bool = False,
    **rename_options: Any,
) -> Path | None:
    """Write the next migration file; None when the models did not change."""
    if empty:
        # a hand-written migration: it keeps the last state, or after files without one
        # (Aerich before 0.8) it is the migration that brings the database to the models
        upgrade, downgrade = [], []
        try:
            state = loader.last_state()
        except MigrationError:
            state = models_state
    else:
        old = loader.last_state()
        upgrade, downgrade = plan(editor, old, models_state, **rename_options)
        if not upgrade:
            return None
        state = models_state
    text = writer.render(upgrade, downgrade, state)
    return writer.write(loader.folder, loader.next_number(), name, text)


def has_changes(loader: Loader, editor: SchemaEditor, models_state: dict[str, Any]) -> bool:
    upgrade, _ = plan(editor, loader.last_state(), models_state, allow_drop=True)
    return bool(upgrade)
