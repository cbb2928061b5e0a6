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


# --- model writes queued together share one commit (worker.py, _group_commit) ------------
LONG = "SELECT (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT COUNT(*) FROM n)"


async def queued_behind_a_long_read(client, writes):
    """Run ``writes`` (coroutines) while the worker is busy, so that they queue up."""
    long = asyncio.ensure_future(client.execute_query(LONG))
    await asyncio.sleep(0)
    results = await asyncio.gather(*writes, return_exceptions=True)
    await long
    return results


def insert(client, i: int, name: str):
    return client.execute_insert('INSERT INTO "item" ("id", "name") VALUES (?, ?)', (i, name), _job=client.jobs.row_insert)


async def test_queued_model_writes_share_a_commit_and_keep_their_own_results(client):
    results = await queued_behind_a_long_read(client, [insert(client, i, f"n{i}") for i in range(1, 21)])
    assert results == list(range(1, 21))
    assert client._worker.group_commits >= 1
    assert await client.fetch_rows('SELECT COUNT(*) FROM "item"') == [(20,)]


async def test_a_failed_write_in_a_group_fails_alone(client):
    writes = [insert(client, i, "same" if i in (3, 7) else f"n{i}") for i in range(1, 11)]
    results = await queued_behind_a_long_read(client, writes)
    assert isinstance(results[6], IntegrityError) and "UNIQUE" in str(results[6])
    assert [r for i, r in enumerate(results) if i != 6] == [1, 2, 3, 4, 5, 6, 8, 9, 10]
    assert client._worker.group_commits >= 1
    rows = await client.fetch_rows('SELECT "id" FROM "item" ORDER BY "id"')
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6, 8, 9, 10]


async def test_a_commit_that_fails_lets_each_write_decide_alone(client):
    """A deferred foreign key is checked at COMMIT: the group's commit fails, and each
    write runs again in its own transaction - only the offending one fails."""
    await client.execute_script(
        'CREATE TABLE "child" ("id" INTEGER PRIMARY KEY, "item_id" INTEGER '
        'REFERENCES "item" ("id") DEFERRABLE INITIALLY DEFERRED)'
    )
    await insert(client, 1, "parent")
    sql = 'INSERT INTO "child" ("id", "item_id") VALUES (?, ?)'
    writes = [client.execute_insert(sql, (i, 99 if i == 4 else 1), _job=client.jobs.row_insert) for i in range(1, 9)]
    results = await queued_behind_a_long_read(client, writes)
    assert isinstance(results[3], IntegrityError) and "FOREIGN KEY" in str(results[3])
    assert [r for i, r in enumerate(results) if i != 3] == [1, 2, 3, 5, 6, 7, 8]
    rows = await client.fetch_rows('SELECT "id" FROM "child" ORDER BY "id"')
    assert [r[0] for r in rows] == [1, 2, 3, 5, 6, 7, 8]
