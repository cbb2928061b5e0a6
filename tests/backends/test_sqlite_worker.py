"""The SQLite client's worker thread hands back the results of queued statements in
batches: each caller still gets its own result or its own error, in any mix."""
from __future__ import annotations

import asyncio

import pytest

from tests.conftest import requires_dialect
from tortoise.backends.sqlite.client import SqliteClient
from tortoise.exceptions import IntegrityError, OperationalError

pytestmark = requires_dialect("sqlite")


@pytest.fixture
async def client(tmp_path):
    db = SqliteClient(str(tmp_path / "worker.sqlite3"))
    await db.create_connection()
    await db.execute_script('CREATE TABLE "item" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL UNIQUE)')
    yield db
    await db.close()


async def test_concurrent_statements_each_get_their_own_result_or_error(client):
    async def one(i: int):
        kind = i % 4
        if kind == 0:
            return await client.fetch_rows("SELECT ?, ?", (i, f"v{i}"))
        if kind == 1:
            return await client.execute_insert('INSERT INTO "item" ("id", "name") VALUES (?, ?)', (i, f"n{i}"))
        if kind == 2:
            return await client.fetch_rows("SELECT * FROM no_such_table WHERE x = ?", (i,))
        return await client.execute_insert('INSERT INTO "item" ("id", "name") VALUES (?, ?)', (1000 + i, "n1"))

    results = await asyncio.gather(*(one(i) for i in range(200)), return_exceptions=True)
    for i, result in enumerate(results):
        kind = i % 4
        if kind == 0:
            assert result == [(i, f"v{i}")]
        elif kind == 1:
            assert result == i
        elif kind == 2:
            assert isinstance(result, OperationalError) and "no_such_table" in str(result)
        else:  # "n1" is taken by the insert of i=1, which runs first
            assert isinstance(result, IntegrityError)
    assert await client.fetch_rows('SELECT COUNT(*) FROM "item"') == [(50,)]


async def test_a_cancelled_caller_does_not_disturb_the_others(client):
    tasks = [asyncio.ensure_future(client.fetch_rows("SELECT ?", (i,))) for i in range(50)]
    tasks[10].cancel()
    tasks[30].cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for i, result in enumerate(results):
        if i in (10, 30):
            assert isinstance(result, asyncio.CancelledError)
        else:
            assert result == [(i,)]
    assert await client.fetch_rows("SELECT 1") == [(1,)]
