"""Writer: native migration modules as readable Python (``class Migration``)."""
from __future__ import annotations

import pprint
from pathlib import Path
from typing import Any

from tortoise.migrations import operations as ops
from tortoise.migrations.native_loader import migrations_path

#: the arguments each operation is written with, in order
ARGUMENTS = {
    ops.CreateModel: ("name", "fields", "options"),
    ops.DeleteModel: ("name",),
    ops.RenameModel: ("old_name", "new_name"),
    ops.AlterModelOptions: ("name", "options"),
    ops.AddField: ("model_name", "name", "field"),
    ops.RemoveField: ("model_name", "name"),
    ops.AlterField: ("model_name", "name", "field"),
    ops.RenameField: ("model_name", "old_name", "new_name"),
    ops.AddIndex: ("model_name", "fields", "unique"),
    ops.RemoveIndex: ("model_name", "fields", "unique"),
    ops.AddConstraint: ("model_name", "constraint"),
    ops.RemoveConstraint: ("model_name", "constraint"),
    ops.RunSQL: ("sql", "reverse_sql"),
}


def _value(value: Any, indent: int) -> str:
    text = pprint.pformat(value, width=max(160 - indent, 60), compact=True, sort_dicts=False)
    return text.replace("\n", "\n" + " " * indent)


def render_operation(operation: ops.Operation, indent: int = 8) -> str:
    names = ARGUMENTS.get(type(operation))
    if names is None:
        raise ValueError(f"{operation.describe()} cannot be written automatically; write it by hand")
    pad = " " * (indent + 4)
    args = "".join(f"{pad}{n}={_value(getattr(operation, n), indent + 4 + len(n) + 1)},\n" for n in names)
    return f"{' ' * indent}migrations.{type(operation).__name__}(\n{args}{' ' * indent}),"


class MigrationWriter:
    def __init__(
        self,
        name: str,
        app_label: str,
        operations: list[ops.Operation],
        migrations_module: str,
        dependencies: list[tuple[str, str]] | None = None,
        initial: bool | None = None,
    ) -> None:
        self.name, self.app_label, self.operations = name, app_label, operations
        self.migrations_module = migrations_module
        self.dependencies = dependencies or []
        self.initial = initial

    def as_string(self) -> str:
        lines = ["from tortoise import migrations", "", "", "class Migration(migrations.Migration):"]
        if self.dependencies:
            lines.append(f"    dependencies = {[tuple(d) for d in self.dependencies]!r}")
        if self.initial:
            lines.append("    initial = True")
        if self.operations:
            lines.append("    operations = [")
            lines += [render_operation(op) for op in self.operations]
            lines.append("    ]")
        else:
            lines.append("    operations = []")
        return "\n".join(lines) + "\n"

    @property
    def path(self) -> Path:
        return migrations_path(self.migrations_module) / f"{self.name}.py"

    def write(self) -> Path:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        init = path.parent / "__init__.py"
        if not init.exists():
            init.write_text("")
        path.write_text(self.as_string())
        return path
