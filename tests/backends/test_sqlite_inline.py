"""SQLite statements that skip the worker thread (worker.py's module docstring).

Where a statement ran is read from inside SQLite: ``ran_on()`` is a SQL function that
returns the name of the thread calling it, and a trigger writes it into ``trail`` for
writes.  The event loop runs on the main thread; the worker's thread is "aldabra-sqlite:...".
"""
from __future__ import annotations

import asyncio
import threading

import pytest

from tests.conftest import requires_dialect
from tortoise import Tortoise
from tortoise.backends.sqlite import worker as sqlite_worker
from tortoise.backends.sqlite.client import SqliteClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

pytestmark = requires_dialect("sqlite")

LOOP = threading.main_thread().name
#: a SELECT that runs far longer than the inline budget (tens of millions of VM steps)
LONG_READ = "SELECT ran_on(), (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT COUNT(*) FROM n)"


def _ran_on() -> str:
    return threading.current_thread().name


def watch(client: SqliteClient) -> None:
    """Give the connection ``ran_on()`` (the worker is idle: nothing runs on the connection)."""
    client._worker.conn.create_function("ran_on", 0, _ran_on)


async def open_client(path: str, journal_mode: str = "WAL") -> SqliteClient:
    db = SqliteClient(path, journal_mode=journal_mode)
    await db.create_connection()
    watch(db)
    await db.execute_script(
        'CREATE TABLE "item" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL UNIQUE);\n'
        'CREATE TABLE "trail" ("n" INTEGER PRIMARY KEY, "what" TEXT, "thread" TEXT);\n'
        'CREATE TRIGGER "item_ins" AFTER INSERT ON "item" BEGIN INSERT INTO "trail" ("what", "thread") VALUES (\'insert \' || NEW."name", ran_on()); END;\n'
        'CREATE TRIGGER "item_upd" AFTER UPDATE ON "item" BEGIN INSERT INTO "trail" ("what", "thread") VALUES (\'update \' || NEW."name", ran_on()); END;\n'
    )
    return db


@pytest.fixture
async def client(tmp_path):
    db = await open_client(str(tmp_path / "inline.sqlite3"))
    yield db
    await db.close()


async def trail(db: SqliteClient) -> list[tuple[str, str]]:
    rows = await db.fetch_rows('SELECT "what", "thread" FROM "trail" ORDER BY "n"')
    return [(what, LOOP if thread == LOOP else "worker") for what, thread in rows]


async def test_a_read_on_an_idle_connection_runs_on_the_event_loops_thread(client):
    assert await client.fetch_rows("SELECT ran_on(), ?", (7,)) == [(LOOP, 7)]


async def test_raw_sql_and_autocommit_writes_run_on_the_worker(client):
    [row] = await client.execute_query_dict("SELECT ran_on() AS t")
    assert row["t"] != LOOP
    await client.execute_insert('INSERT INTO "item" ("name") VALUES (?)', ("a",), _job=client.jobs.row_insert)
    await client.execute_write('UPDATE "item" SET "name" = ? WHERE "id" = ?', ("b", 1), _job=client.jobs.row_write)
    assert await trail(client) == [("insert a", "worker"), ("update b", "worker")]


async def test_a_read_past_the_budget_moves_to_the_worker_and_is_remembered(client):
    for _ in range(2):  # interrupted here and run again on the worker; then the worker at once
        [(thread, count)] = await client.fetch_rows(LONG_READ)
        assert count == 3000000 and thread.startswith("aldabra-sqlite")
        assert LONG_READ in client._worker._long_reads
    assert await client.fetch_rows("SELECT ran_on()") == [(LOOP,)]  # other reads still run here


async def test_a_long_read_is_interrupted_within_its_budget_and_gives_the_whole_result(client, monkeypatch):
    monkeypatch.setattr(sqlite_worker, "INLINE_BUDGET", 0.0)
    rows = await client.fetch_rows("SELECT i FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) SELECT i FROM n)")
    assert [r[0] for r in rows] == list(range(1, 50001))


async def test_while_the_worker_is_busy_a_read_waits_for_it(client):
    long = asyncio.ensure_future(client.execute_query(LONG_READ.replace("ran_on(), ", "") + " AS c"))
    await asyncio.sleep(0)  # the long statement is queued on the worker
    [(thread,)] = await client.fetch_rows("SELECT ran_on()")
    assert thread != LOOP
    assert (await long)[1] == [{"c": 3000000}]


async def test_in_a_transaction_row_writes_after_the_first_write_run_here(client):
    async with client._in_transaction() as tx:
        await tx.execute_insert('INSERT INTO "item" ("name") VALUES (?)', ("a",), _job=tx.jobs.row_insert)
        await tx.execute_insert('INSERT INTO "item" ("name") VALUES (?)', ("b",), _job=tx.jobs.row_insert)
        await tx.execute_write('UPDATE "item" SET "name" = ? WHERE "id" = ?', ("c", 1), _job=tx.jobs.row_write)
        # a queryset-style write (any number of rows) stays on the worker
        await tx.execute_write('UPDATE "item" SET "name" = "name" || ?', ("!",))
        assert await tx.fetch_rows("SELECT ran_on()") == [(LOOP,)]
    assert await trail(client) == [
        ("insert a", "worker"), ("insert b", LOOP), ("update c", LOOP), ("update c!", "worker"), ("update b!", "worker"),
    ]


async def test_an_interrupted_read_leaves_the_transaction_open(client):
    async with client._in_transaction() as tx:
        await tx.execute_insert('INSERT INTO "item" ("name") VALUES (?)', ("a",))
        [(thread, count)] = await tx.fetch_rows(LONG_READ)
        assert count == 3000000 and thread != LOOP
        await tx.execute_insert('INSERT INTO "item" ("name") VALUES (?)', ("b",), _job=tx.jobs.row_insert)
    assert await client.fetch_rows('SELECT "name" FROM "item" ORDER BY "id"') == [("a",), ("b",)]


async def test_after_the_transaction_ends_its_client_runs_no_write_here(client):
    """The write lock went with COMMIT: a write through the finished transaction's client
    runs in autocommit on the worker, as any autocommit write does."""
    async with client._in_transaction() as tx:
        await tx.execute_insert('INSERT INTO "item" ("name") VALUES (?)', ("a",), _job=tx.jobs.row_insert)
    await tx.execute_insert('INSERT INTO "item" ("name") VALUES (?)', ("b",), _job=tx.jobs.row_insert)
    assert await trail(client) == [("insert a", "worker"), ("insert b", "worker")]


async def test_a_rolled_back_transaction_undoes_the_writes_run_here(client):
    with pytest.raises(RuntimeError):
        async with client._in_transaction() as tx:
            for name in ("a", "b", "c"):
                await tx.execute_insert('INSERT INTO "item" ("name") VALUES (?)', (name,), _job=tx.jobs.row_insert)
            raise RuntimeError("undo")
    assert await client.fetch_rows('SELECT COUNT(*) FROM "item"') == [(0,)]
    assert await client.fetch_rows('SELECT COUNT(*) FROM "trail"') == [(0,)]


async def test_an_error_in_a_write_run_here_is_mapped_and_the_transaction_goes_on(client):
    async with client._in_transaction() as tx:
        await tx.execute_insert('INSERT INTO "item" ("name") VALUES (?)', ("a",), _job=tx.jobs.row_insert)
        with pytest.raises(IntegrityError) as info:
            await tx.execute_insert('INSERT INTO "item" ("name") VALUES (?)', ("a",), _job=tx.jobs.row_insert)
        assert "UNIQUE" in str(info.value) and info.value.__cause__ is not None
        await tx.execute_insert('INSERT INTO "item" ("name") VALUES (?)', ("b",), _job=tx.jobs.row_insert)
    assert await client.fetch_rows('SELECT "name" FROM "item" ORDER BY "id"') == [("a",), ("b",)]


async def test_another_tasks_read_waits_for_an_open_transaction(client):
    async with client._in_transaction() as tx:
        await tx.execute_insert('INSERT INTO "item" ("name") VALUES (?)', ("a",))
        outside = asyncio.ensure_future(client.fetch_rows('SELECT COUNT(*), ran_on() FROM "item"'))
        await asyncio.sleep(0.01)
        assert not outside.done()
    [(count, thread)] = await outside
    assert count == 1 and thread != LOOP


async def test_rollback_journal_mode_keeps_every_statement_on_the_worker(tmp_path):
    db = await open_client(str(tmp_path / "delete-mode.sqlite3"), journal_mode="DELETE")
    try:
        [(thread,)] = await db.fetch_rows("SELECT ran_on()")
        assert thread != LOOP
    finally:
        await db.close()


async def test_model_saves_in_a_transaction_use_the_row_jobs(orm):
    from tests.testmodels import Author

    db = Tortoise.get_connection("default")
    watch(db)
    await db.execute_script(
        'CREATE TRIGGER "author_upd" AFTER UPDATE ON "t_author" BEGIN '
        'INSERT INTO "t_author" ("username", "password_hash", "is_active", "created_at", "updated_at") '
        "SELECT 'seen ' || ran_on(), '', 1, NEW.\"created_at\", NEW.\"updated_at\" WHERE NEW.\"username\" NOT LIKE 'seen %'; END"
    )
    try:
        async with in_transaction():
            first = await Author.create(username="first", password_hash="x")
            second = await Author.create(username="second", password_hash="x")
            second.age = 3
            await second.save(update_fields=["age"])
            await first.delete()
        seen = await Author.filter(username__startswith="seen ").values_list("username", flat=True)
        assert seen == [f"seen {LOOP}"]
        assert await Author.filter(username="second").values_list("age", flat=True) == [3]
    finally:
        await db.execute_script('DROP TRIGGER "author_upd"')


async def test_a_long_streak_of_statements_run_here_lets_other_tasks_run(client):
    """A task awaiting statement after statement still yields to the loop now and then."""
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    other = asyncio.ensure_future(ticker())
    await asyncio.sleep(0)
    try:
        threads = set()
        start = ticks
        for _ in range(3000):  # far longer than one streak
            [(thread,)] = await client.fetch_rows("SELECT ran_on()")
            threads.add(thread)
        assert LOOP in threads and len(threads) == 2  # most here, some on the worker
        assert ticks - start >= 2
    finally:
        other.cancel()
