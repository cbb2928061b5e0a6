"""The migration engine, shared by every front end.

    models ──state.state_from_models──▶ state ──autodetector.diff──▶ operations
    operations ──tortoise.sql.schema_editor (per dialect)──▶ SQL ──writer──▶ migration file
    migration files ──loader──▶ executor (transactions, locks, progress) ──▶ recorder table

The ``aerich`` package is one front end: Aerich's file format (``writer``/``loader``),
its ``aerich`` recorder table and its CLI.  A second front end (Tortoise 1.x's
``tortoise`` command with its own file format and recorder table) plugs its own writer,
loader and recorder table into the same state, autodetector, schema editor and executor.
"""

# The public API of native (Tortoise 1.x style) migration files:
#     from tortoise import migrations
#     class Migration(migrations.Migration): operations = [migrations.CreateModel(...)]
from tortoise.migrations.migration import Migration  # noqa: E402
from tortoise.migrations.operations import (  # noqa: E402
    AddConstraint, AddField, AddIndex, AlterField, AlterModelOptions, CreateModel, CreateSchema, DeleteModel,
    DropSchema, Operation, RemoveConstraint, RemoveField, RemoveIndex, RenameConstraint, RenameField, RenameIndex,
    RenameModel, RunPython, RunSQL,
)

__all__ = [
    "AddConstraint", "AddField", "AddIndex", "AlterField", "AlterModelOptions", "CreateModel", "CreateSchema",
    "DeleteModel", "DropSchema", "Migration", "Operation", "RemoveConstraint", "RemoveField", "RemoveIndex",
    "RenameConstraint", "RenameField", "RenameIndex", "RenameModel", "RunPython", "RunSQL",
]
