"""Loader: the migration files of an app's folder, in order, and their states."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

from tortoise.migrations.exceptions import MigrationError
from tortoise.migrations.state import decode, empty_state, is_ours
from tortoise.migrations.foreign import state_from_describe

FILE = re.compile(r"^(\d+)_\w*\.py$")


class Loader:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def files(self) -> list[str]:
        """Migration file names, in order of their number."""
        if not self.folder.is_dir():
            return []
        names = [p.name for p in self.folder.iterdir() if FILE.match(p.name)]
        return sorted(names, key=lambda n: int(FILE.match(n).group(1)))

    def next_number(self) -> int:
        files = self.files()
        return int(FILE.match(files[-1]).group(1)) + 1 if files else 0

    def module(self, name: str) -> ModuleType:
        path = self.folder / name
        if not path.is_file():
            raise MigrationError(f"migration file {path} does not exist")
        spec = importlib.util.spec_from_file_location(f"_aldabra_migration_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        try:
            spec.loader.exec_module(module)  # type: ignore[union-attr]
        except Exception as exc:
            raise MigrationError(f"cannot load migration file {path}: {type(exc).__name__}: {exc}") from exc
        for needed in ("upgrade", "downgrade"):
            if not callable(getattr(module, needed, None)):
                raise MigrationError(f"migration file {path} has no async function {needed}(db)")
        return module

    def state_of(self, name: str) -> dict[str, Any] | None:
        """The state after migration ``name``; None for files without ``MODELS_STATE``
        (written by Aerich before 0.8, which kept the state in the database only)."""
        module = self.module(name)
        raw = getattr(module, "MODELS_STATE", None)
        if raw is None:
            return None
        try:
            state = decode(raw) if isinstance(raw, str) else raw
        except Exception as exc:
            raise MigrationError(f"migration file {self.folder / name}: MODELS_STATE cannot be decoded ({exc})") from exc
        return state if is_ours(state) else state_from_describe(state)

    def last_state(self) -> dict[str, Any]:
        """The state after the last migration file (empty before the first)."""
        files = self.files()
        if not files:
            return empty_state()
        state = self.state_of(files[-1])
        if state is None:
            raise MigrationError(
                f"migration file {self.folder / files[-1]} has no MODELS_STATE, so the models cannot be compared "
                "with it; write a migration by hand with `migrate --empty`, or start over with `reset` and `init-db`"
            )
        return state

