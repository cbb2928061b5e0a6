"""Aerich-compatible migrations for Aldabra: the ``Command`` API behind the ``aerich`` CLI.

Everything here is a thin layer over ``tortoise.migrations`` (state, autodetector, schema
editor, writer, loader, executor, recorder); this package adds Aerich's file layout
(``{location}/{app}/{n}_{timestamp}_{name}.py``), its ``aerich`` table and its API.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any, Callable

from tortoise import Tortoise
from tortoise.connection import connections
from tortoise.exceptions import ConfigurationError
from tortoise.migrations.exceptions import MigrationError
from tortoise.migrations.executor import Executor
from tortoise.migrations.inspect import inspect_tables
from tortoise.migrations.loader import Loader
from tortoise.migrations.maker import has_changes, make_migration
from tortoise.migrations.recorder import Recorder
from tortoise.migrations.state import model_table, state_from_models
from tortoise.sql.schema_editor import editor_for

from aerich.exceptions import DowngradeError  # importable from the package, as in Aerich

__version__ = "0.10.1"

AERICH_MODULE = "aerich.models"


def _truthy(value: Any) -> bool:
    """Frameworks pass flags as strings (Unfazed: ``safe="True"``)."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off")
    return bool(value)


def _check_config(config: dict[str, Any], app: str) -> None:
    apps = config.get("apps") if isinstance(config, dict) else None
    if not apps:
        raise ConfigurationError("the Tortoise config has no 'apps'")
    if app not in apps:
        raise ConfigurationError(f"app '{app}' is not in the Tortoise config; apps are: {', '.join(apps)}")
    if not any(AERICH_MODULE in (a.get("models") or []) for a in apps.values()):
        raise ConfigurationError(f'add "{AERICH_MODULE}" to the models of app \'{app}\' in the Tortoise config')


class Command:
    def __init__(
        self,
        tortoise_config: dict[str, Any],
        app: str = "models",
        location: str = "./migrations",
        inspectdb_fields: dict[str, str] | None = None,
    ) -> None:
        self.tortoise_config = tortoise_config
        self.app = app
        self.location = location
        #: inspectdb: catalog type (lower case) → field class name, before the built-in mapping
        self.inspectdb_fields = {k.lower(): v for k, v in (inspectdb_fields or {}).items()}
        self._own_init = False
        self.echo: Callable[[str], None] = print

    # --- lifecycle -------------------------------------------------------------------------
    async def init(self, offline: bool = False) -> None:
        """Open the ORM (``offline`` is accepted for Aerich's signature; the connection is
        opened lazily, so commands that need no database do not touch it)."""
        _check_config(self.tortoise_config, self.app)
        if not self._already_initialised():
            await Tortoise.init(config=self.tortoise_config)
            self._own_init = True

    def _already_initialised(self) -> bool:
        """A ``Tortoise.init`` of the same apps and connections done by the host application."""
        apps = self.tortoise_config["apps"]
        wanted = set(self.tortoise_config.get("connections", {}))
        return Tortoise._inited and set(apps) <= set(Tortoise.apps) and wanted <= set(connections.names())

    async def close(self) -> None:
        if self._own_init:
            await Tortoise.close_connections()
            self._own_init = False

    async def __aenter__(self) -> "Command":
        await self.init()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    # --- the pieces ------------------------------------------------------------------------
    @property
    def folder(self) -> Path:
        return Path(self.location) / self.app

    def _client(self) -> Any:
        app = self.tortoise_config["apps"][self.app]
        return connections.get(app.get("default_connection", "default"))

    def _models(self) -> list[Any]:
        return list(Tortoise.apps.get(self.app, {}).values())

    def _executor(self) -> Executor:
        from aerich.models import Aerich

        client = self._client()
        return Executor(client, Recorder(client, model_table(Aerich)), Loader(self.folder), self.app, self.echo)

    def _editor(self) -> Any:
        client = self._client()
        return editor_for(client.dialect, getattr(client, "table_options", ""))

    # --- commands ------------------------------------------------------------------------
    async def init_db(self, safe: bool | str = True, pre_sql: str | None = None) -> bool:
        """Create the app's folder and first migration from the models, and apply it
        (after ``pre_sql``, if given)."""
        folder = self.folder
        if folder.is_dir() and Loader(folder).files():
            raise MigrationError(f"App '{self.app}' is already initialized. Delete {folder} and try again.")
        folder.mkdir(parents=True, exist_ok=True)
        path = make_migration(Loader(folder), self._editor(), state_from_models(self._models()), name="init")
        if path is None:
            raise MigrationError(f"app '{self.app}' has no models to create")
        if not _truthy(safe):
            text = path.read_text().replace("CREATE TABLE IF NOT EXISTS ", "CREATE TABLE ").replace("INDEX IF NOT EXISTS ", "INDEX ")
            path.write_text(text)
        if pre_sql:
            await self._client().execute_script(pre_sql)
        await self._executor().upgrade()
        return True

    async def init_migrations(self) -> str:
        """Create the app's folder and first migration without touching the database."""
        if Loader(self.folder).files():
            raise MigrationError(f"App '{self.app}' is already initialized. Delete {self.folder} and try again.")
        self.folder.mkdir(parents=True, exist_ok=True)
        path = make_migration(Loader(self.folder), self._editor(), state_from_models(self._models()), name="init")
        if path is None:
            raise MigrationError(f"app '{self.app}' has no models to create")
        return path.name

    async def migrate(
        self,
        name: str = "update",
        empty: bool = False,
        no_input: bool = False,
        offline: bool = False,
        renames: dict[str, str] | None = None,
        allow_drop: bool = False,
    ) -> str | None:
        """Write the next migration file and return its name; None when nothing changed.
        (The models' state comes from the last file, so ``offline`` changes nothing.)"""
        loader = Loader(self.folder)
        if not loader.files() and name == "update":
            name = "init"
        ask = None if no_input or not sys.stdin.isatty() else _ask
        path = make_migration(
            loader, self._editor(), state_from_models(self._models()), name=name, empty=empty,
            renames=renames, ask=ask, allow_drop=allow_drop,
        )
        return path.name if path else None

    async def check(self) -> bool:
        """True when the models differ from the last migration's state."""
        return has_changes(Loader(self.folder), self._editor(), state_from_models(self._models()))

    async def upgrade(self, run_in_transaction: bool = True, fake: bool = False) -> list[str]:
        return await self._executor().upgrade(_truthy(run_in_transaction), _truthy(fake))

    async def downgrade(self, version: int = -1, delete: bool = False, fake: bool = False) -> list[str]:
        return await self._executor().downgrade(int(version), _truthy(delete), _truthy(fake))

    async def history(self) -> list[str]:
        return Loader(self.folder).files()

    async def heads(self) -> list[str]:
        return await self._executor().pending()

    async def inspectdb(self, tables: list[str] | None = None) -> str:
        return await inspect_tables(self._client(), tables or [], self.inspectdb_fields)

    async def reset(self) -> list[str]:
        """Forget the app's history (records and files) so that ``init-db`` starts over."""
        executor = self._executor()
        files = Loader(self.folder).files()
        if await executor.recorder.exists():
            await executor.recorder.forget_app(self.app)
        if self.folder.is_dir():
            shutil.rmtree(self.folder)
        return files


def _ask(question: str) -> bool:
    answer = input(f"{question} [y/N]: ")
    return answer.strip().lower() in ("y", "yes")


__all__ = ["Command", "DowngradeError", "__version__"]
