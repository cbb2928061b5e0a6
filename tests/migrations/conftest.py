"""Migration tests: temporary projects driven through the real ``aerich`` script.

Each project gets its own directory and its own fresh database of the kind named by
ALDABRA_TEST_DB (a file for SQLite, a uniquely named database on PostgreSQL/MariaDB),
created here and dropped afterwards.  The session's main ORM is not used.
"""
from __future__ import annotations

import contextlib
import importlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from tests.conftest import TEST_DB, URL_TEMPLATES, unique_name
from tortoise.config import expand_db_url
from tortoise.sql.introspection import describe_table, list_tables

AERICH = str(Path(sys.executable).with_name("aerich"))


@pytest.fixture(autouse=True)
def _db_for_each_test(request: pytest.FixtureRequest):
    """Replaces the suite's autouse fixture: no main ORM here; honour @requires_dialect."""
    marker = request.node.get_closest_marker("requires_dialect")
    if marker is not None and TEST_DB not in marker.args:
        pytest.skip(f"only on {', '.join(marker.args)} (running on {TEST_DB})")


def raw_client(url: str) -> Any:
    spec = expand_db_url(url)
    backend = importlib.import_module(spec["engine"])
    return backend.client_class(connection_name=unique_name("raw"), **spec["credentials"])


class Project:
    def __init__(self, path: Path, db_url: str) -> None:
        self.path = path
        self.db_url = db_url
        self.client: Any = None

    def write(self, name: str, text: str) -> None:
        (self.path / name).write_text(textwrap.dedent(text))
        for cached in list(sys.modules):
            if cached == name[:-3]:
                del sys.modules[cached]

    def models(self, body: str) -> None:
        self.write("models.py", "from tortoise import fields\nfrom tortoise.models import Model\n\n" + textwrap.dedent(body))

    def settings(self, modules: str = '["models", "aerich.models"]') -> None:
        self.write(
            "settings.py",
            f'TORTOISE_ORM = {{"connections": {{"default": "{self.db_url}"}}, '
            f'"apps": {{"models": {{"models": {modules}, "default_connection": "default"}}}}}}\n',
        )

    def aerich(self, *args: str, input: str | None = None, ok: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONPATH": str(self.path)}
        result = subprocess.run(
            [AERICH, *args], cwd=self.path, input=input or "", capture_output=True, text=True, env=env, timeout=120
        )
        if ok and result.returncode != 0:
            raise AssertionError(f"aerich {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def migrations(self, app: str = "models") -> list[str]:
        folder = self.path / "migrations" / app
        return sorted(p.name for p in folder.glob("*.py")) if folder.is_dir() else []

    async def connect(self) -> Any:
        if self.client is None:
            self.client = raw_client(self.db_url)
            await self.client.create_connection(with_db=True)
        return self.client

    async def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        client = await self.connect()
        return await client.execute_query_dict(sql, params or [])

    async def execute(self, sql: str, params: list[Any] | None = None) -> None:
        client = await self.connect()
        await client.execute_query(sql, params or [])

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()
            self.client = None


#: a script creating the settings' models with generate_schemas() (run in the project)
GENERATE = """
import asyncio, settings
from tortoise import Tortoise

async def main():
    await Tortoise.init(config=settings.TORTOISE_ORM)
    await Tortoise.generate_schemas(safe=False)
    await Tortoise.close_connections()

asyncio.run(main())
"""


def normalise(info: dict) -> dict:
    columns = {c["name"]: {k: v for k, v in c.items() if k != "name"} for c in info["columns"]}
    return {
        "columns": columns,
        "fks": sorted((f["column"], f["to_table"], f["to_column"], f["on_delete"]) for f in info["fks"]),
        "indexes": sorted((i["name"] or "", tuple(i["columns"]), bool(i["unique"])) for i in info["indexes"]),
    }


async def catalog(url: str) -> dict:
    """Every table's columns, keys and indexes as introspected (to compare two databases)."""
    client = raw_client(url)
    await client.create_connection(with_db=True)
    try:
        tables = {t: normalise(await describe_table(client, t)) for t in await list_tables(client)}
        if TEST_DB == "postgres":  # names PostgreSQL derives from the table: keys, sequences
            rows = await client.execute_query_dict(
                "SELECT relname FROM pg_class WHERE relkind IN ('S', 'i') "
                "AND relnamespace=(SELECT oid FROM pg_namespace WHERE nspname=current_schema()) ORDER BY relname"
            )
            tables["<relations>"] = [r["relname"] for r in rows]
        return tables
    finally:
        await client.close()


def fresh_url(tmp_path: Path) -> str:
    if TEST_DB == "sqlite":
        return f"sqlite://{tmp_path / 'db.sqlite3'}"
    return URL_TEMPLATES[TEST_DB].format(unique_name("mig"))


@contextlib.asynccontextmanager
async def project_on_fresh_db(tmp_path: Path, kind: type[Project] = Project) -> AsyncIterator[Project]:
    """A ``kind`` project with its settings, on a database created for it and dropped after."""
    url = fresh_url(tmp_path)
    admin = None
    if TEST_DB != "sqlite":
        admin = raw_client(url)
        await admin.db_create()
    proj = kind(tmp_path, url)
    proj.settings()
    try:
        yield proj
    finally:
        await proj.close()
        if admin is not None:
            await admin.db_delete()


@pytest.fixture
async def project(tmp_path: Path):
    async with project_on_fresh_db(tmp_path) as proj:
        yield proj
