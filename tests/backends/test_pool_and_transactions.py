"""Pooled backends (PostgreSQL, MySQL/MariaDB): concurrency, cancellation, integrity errors,
savepoints and unreachable servers.

These use the raw client API on a database of their own, not the ORM.  They run when
ALDABRA_TEST_DB is postgres, psycopg or mysql and are skipped on SQLite (no pool there).
"""
from __future__ import annotations

import asyncio
import importlib
import os
import time
import uuid
from typing import Any

import pytest

from tortoise.exceptions import (
    DBConnectionError,
    IntegrityError,
    OperationalError,
    TransactionManagementError,
)

TEST_DB = os.environ.get("ALDABRA_TEST_DB", "sqlite")
SERVERS: dict[str, dict[str, Any]] = {
    "postgres": {
        "engine": "tortoise.backends.asyncpg",
        "credentials": {"host": "127.0.0.1", "port": 5432, "user": "postgres", "password": None},
        "table": "CREATE TABLE item (id SERIAL PRIMARY KEY, name VARCHAR(50) NOT NULL UNIQUE)",
        "sleep": "SELECT pg_sleep(10)",
    },
    "psycopg": {
        "engine": "tortoise.backends.psycopg",
        "credentials": {"host": "127.0.0.1", "port": 5432, "user": "postgres", "password": None},
        "table": "CREATE TABLE item (id SERIAL PRIMARY KEY, name VARCHAR(50) NOT NULL UNIQUE)",
        "sleep": "SELECT pg_sleep(10)",
    },
    "mysql": {
        "engine": "tortoise.backends.mysql",
        "credentials": {"host": "127.0.0.1", "port": 3306, "user": "root", "password": ""},
        "table": "CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL UNIQUE) ENGINE=InnoDB",
        "sleep": "SELECT SLEEP(10)",
    },
}
SERVER = SERVERS.get(TEST_DB)
POOL_SIZE = 5

pytestmark = [
    pytest.mark.requires_dialect("postgres", "mysql"),
    pytest.mark.skipif(SERVER is None, reason="pooled backends only (ALDABRA_TEST_DB=postgres|psycopg|mysql)"),
]


@pytest.fixture(autouse=True)
def _db_for_each_test():
    """Replaces the conftest's autouse fixture: no main ORM is needed here."""


def make_client(**overrides: Any) -> Any:
    client_class = importlib.import_module(SERVER["engine"]).client_class
    credentials = {**SERVER["credentials"], "minsize": 1, "maxsize": POOL_SIZE, **overrides}
    return client_class(connection_name="t", **credentials)


@pytest.fixture
async def client():
    """A client on a fresh database holding one table, ``item(id, name UNIQUE)``."""
    db = make_client(database=f"aldabra_pool_{uuid.uuid4().hex[:10]}")
    await db.db_create()
    try:
        await db.execute_script(SERVER["table"])
        yield db
    finally:
        await db.db_delete()


def sql_insert(db: Any) -> str:
    return f"INSERT INTO item (name) VALUES ({db.dialect.placeholder(0)})"


async def names(db: Any) -> list[str]:
    return [row[0] for row in await db.fetch_rows("SELECT name FROM item ORDER BY name")]


async def hold_every_connection(db: Any) -> None:
    """Open POOL_SIZE transactions at once: hangs if the pool lost a connection."""
    entered = 0
    all_in = asyncio.Event()

    async def hold() -> None:
        nonlocal entered
        async with db._in_transaction() as tx:
            await tx.fetch_rows("SELECT 1")
            entered += 1
            if entered == POOL_SIZE:
                all_in.set()
            await all_in.wait()

    await asyncio.wait_for(asyncio.gather(*(hold() for _ in range(POOL_SIZE))), 10)


# --- concurrency ---------------------------------------------------------------------------
async def test_fifty_tasks_share_a_pool_of_five(client):
    insert, ph = sql_insert(client), client.dialect.placeholder

    async def task(t: int) -> None:
        for q in range(10):
            await client.execute_insert(insert, (f"t{t}-{q}",))
            rows = await client.fetch_rows(f"SELECT name FROM item WHERE name={ph(0)}", (f"t{t}-{q}",))
            assert [row[0] for row in rows] == [f"t{t}-{q}"]

    await asyncio.gather(*(task(t) for t in range(50)))
    assert (await client.fetch_rows("SELECT COUNT(*) FROM item"))[0][0] == 500


async def test_tasks_sharing_a_transaction_take_turns_on_its_connection(client):
    insert = sql_insert(client)
    async with client._in_transaction() as tx:
        await asyncio.gather(*(tx.execute_insert(insert, (f"n{i}",)) for i in range(20)))
        await asyncio.gather(*(tx.fetch_rows("SELECT COUNT(*) FROM item") for _ in range(20)))
    assert len(await names(client)) == 20


# --- cancellation --------------------------------------------------------------------------
@pytest.mark.parametrize("cancel_in", ["query", "await"])
async def test_cancelled_task_in_transaction_leaves_no_rows(client, cancel_in):
    inside = asyncio.Event()

    async def work() -> None:
        async with client._in_transaction() as tx:
            await tx.execute_insert(sql_insert(client), ("doomed",))
            inside.set()
            if cancel_in == "query":
                await tx.fetch_rows(SERVER["sleep"])
            else:
                await asyncio.sleep(10)

    task = asyncio.create_task(work())
    await inside.wait()
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert await names(client) == []
    await hold_every_connection(client)
    # the cancelled transaction's lock on the key is gone too (no wait for the sleep)
    await asyncio.wait_for(client.execute_insert(sql_insert(client), ("doomed",)), 3)
    assert await names(client) == ["doomed"]


async def test_cancelled_query_outside_transaction_leaves_pool_usable(client):
    task = asyncio.create_task(client.fetch_rows(SERVER["sleep"]))
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await hold_every_connection(client)
    assert (await client.fetch_rows("SELECT 1"))[0][0] == 1


# --- integrity errors and explicit ending ------------------------------------------------------
async def test_unique_violation_in_transaction_raises_and_rolls_back(client):
    insert = sql_insert(client)
    await client.execute_insert(insert, ("taken",))
    with pytest.raises(IntegrityError) as info:
        async with client._in_transaction() as tx:
            await tx.execute_insert(insert, ("fresh",))
            await tx.execute_insert(insert, ("taken",))
    assert info.value.__cause__ is not None  # the driver's error is chained
    assert await names(client) == ["taken"]
    await hold_every_connection(client)


async def test_unique_violation_outside_transaction(client):
    await client.execute_insert(sql_insert(client), ("x",))
    with pytest.raises(IntegrityError):
        await client.execute_insert(sql_insert(client), ("x",))


async def test_savepoint_rolls_back_only_the_inner_block(client):
    insert = sql_insert(client)
    async with client._in_transaction() as tx:
        await tx.execute_insert(insert, ("outer",))
        with pytest.raises(IntegrityError):
            async with tx._in_transaction() as inner:
                await inner.execute_insert(insert, ("inner",))
                await inner.execute_insert(insert, ("outer",))
        async with tx._in_transaction() as kept:
            await kept.execute_insert(insert, ("kept",))
    assert await names(client) == ["kept", "outer"]


async def test_explicit_commit_and_rollback_end_the_transaction_early(client):
    insert = sql_insert(client)
    async with client._in_transaction() as tx:
        await tx.execute_insert(insert, ("committed",))
        await tx.commit()
        with pytest.raises(TransactionManagementError):
            await tx.commit()
    with pytest.raises(ValueError):
        async with client._in_transaction() as tx:
            await tx.execute_insert(insert, ("rolled back",))
            await tx.rollback()
            raise ValueError("the exit has nothing left to roll back")
    assert await names(client) == ["committed"]
    await hold_every_connection(client)


async def test_update_reports_matched_rows_and_query_returns_dicts(client):
    await client.execute_many(sql_insert(client), [("a",), ("b",)])
    # MySQL counts only *changed* rows unless the client asks for found rows
    assert await client.execute_write("UPDATE item SET name=name") == 2
    count, rows = await client.execute_query("SELECT name FROM item ORDER BY name")
    assert (count, rows) == (2, [{"name": "a"}, {"name": "b"}])
    assert await client.execute_query("DELETE FROM item") == (2, [])


# --- unreachable servers -----------------------------------------------------------------------
async def test_refused_connection_names_host_and_port_quickly():
    db = make_client(port=1, database="nowhere")
    started = time.monotonic()
    with pytest.raises((DBConnectionError, OperationalError)) as info:
        await asyncio.wait_for(db.fetch_rows("SELECT 1"), 15)
    assert "127.0.0.1:1" in str(info.value)
    assert time.monotonic() - started < 5
    await db.close()


async def test_silent_server_times_out_with_host_and_port():
    """A server that accepts TCP connections but never speaks (hung or overloaded)."""
    accepted: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    timeout = {"timeout": 1} if TEST_DB in ("postgres", "psycopg") else {"connect_timeout": 1}
    db = make_client(port=port, database="nowhere", ssl=False, **timeout)
    started = time.monotonic()
    try:
        with pytest.raises(DBConnectionError) as info:
            await asyncio.wait_for(db.create_connection(), 15)
        assert f"127.0.0.1:{port}" in str(info.value)
        assert time.monotonic() - started < 5
    finally:
        for writer in accepted:
            writer.close()
        server.close()
        await server.wait_closed()
