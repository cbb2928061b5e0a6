"""Fixtures of the reliability tests: pooled clients on fresh databases, optionally behind
the loopback fault proxy (``proxy.py``).  Pooled backends only: skipped on SQLite."""
from __future__ import annotations

import asyncio
import importlib
from typing import Any, AsyncIterator

import pytest

from tests.conftest import TEST_DB, unique_name
from tests.reliability.proxy import FaultProxy

SERVERS: dict[str, dict[str, Any]] = {
    "postgres": {
        "engine": "tortoise.backends.asyncpg",
        "scheme": "postgres",
        "credentials": {"host": "127.0.0.1", "port": 5432, "user": "postgres", "password": None},
        "table": "CREATE TABLE item (id SERIAL PRIMARY KEY, name VARCHAR(60) NOT NULL)",
        "sleep": "SELECT pg_sleep({})",
        "session_id": "SELECT pg_backend_pid()",
        "open_transactions": (
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
        ),
        "kill": "SELECT pg_terminate_backend({})",
        "timeout_option": "command_timeout",
    },
    "mysql": {
        "engine": "tortoise.backends.mysql",
        "scheme": "mysql",
        "credentials": {"host": "127.0.0.1", "port": 3306, "user": "root", "password": ""},
        "table": "CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(60) NOT NULL) ENGINE=InnoDB",
        "sleep": "SELECT SLEEP({})",
        "session_id": "SELECT CONNECTION_ID()",
        "open_transactions": (
            "SELECT COUNT(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p "
            "ON p.id = t.trx_mysql_thread_id WHERE p.db = DATABASE() AND p.id <> CONNECTION_ID()"
        ),
        "kill": "KILL {}",
        "timeout_option": "statement_timeout",
    },
}
# PostgreSQL through psycopg 3: the same server and SQL, another driver
SERVERS["psycopg"] = {**SERVERS["postgres"], "engine": "tortoise.backends.psycopg", "scheme": "psycopg"}
SERVER = SERVERS.get(TEST_DB)
pooled_only = pytest.mark.skipif(SERVER is None, reason="pooled backends only (ALDABRA_TEST_DB=postgres|psycopg|mysql)")


def make_client(**overrides: Any) -> Any:
    client_class = importlib.import_module(SERVER["engine"]).client_class
    credentials = {**SERVER["credentials"], "minsize": 1, "maxsize": 5, **overrides}
    return client_class(connection_name="reliability", **credentials)


async def client_on_fresh_db(**overrides: Any) -> Any:
    db = make_client(database=f"aldabra_rel_{unique_name()}", **overrides)
    await db.db_create()
    await db.execute_script(SERVER["table"])
    return db


def insert_sql(db: Any) -> str:
    return f"INSERT INTO item (name) VALUES ({db.dialect.placeholder(0)})"


async def names(db: Any) -> list[str]:
    return sorted(row[0] for row in await db.fetch_rows("SELECT name FROM item"))


async def open_transactions(db: Any) -> int:
    return (await db.fetch_rows(SERVER["open_transactions"]))[0][0]


async def assert_pool_whole(db: Any, timeout: float = 10) -> None:
    """Open ``maxsize`` transactions at once (hangs if the pool lost a connection) and
    check that the server holds no other open transaction on the database."""
    entered = 0
    all_in = asyncio.Event()

    async def hold() -> None:
        nonlocal entered
        async with db._in_transaction() as tx:
            await tx.fetch_rows("SELECT 1")
            entered += 1
            if entered == db.maxsize:
                all_in.set()
            await all_in.wait()

    await asyncio.wait_for(asyncio.gather(*(hold() for _ in range(db.maxsize))), timeout)
    assert await open_transactions(db) == 0


@pytest.fixture(autouse=True)
def _db_for_each_test():
    """Replaces the main conftest's autouse fixture: these tests bring their own databases."""


@pytest.fixture
async def proxy() -> AsyncIterator[FaultProxy]:
    proxy = await FaultProxy(SERVER["credentials"]["host"], SERVER["credentials"]["port"]).start()
    try:
        yield proxy
    finally:
        await proxy.close()


@pytest.fixture
async def client() -> AsyncIterator[Any]:
    """A client (pool of 5) straight to the server, on a fresh database with table ``item``."""
    db = await client_on_fresh_db()
    try:
        yield db
    finally:
        await db.db_delete()


@pytest.fixture
async def proxied(proxy: FaultProxy) -> AsyncIterator[Any]:
    """A client (pool of 3) through the fault proxy, on a fresh database with table ``item``."""
    db = await client_on_fresh_db(port=proxy.port, maxsize=3, reconnect_timeout=5)
    try:
        yield db
    finally:
        proxy.heal()
        await db.db_delete()


def proxied_url(proxy: FaultProxy, **params: Any) -> str:
    creds = SERVER["credentials"]
    query = "&".join(f"{k}={v}" for k, v in {"maxsize": 3, **params}.items())
    user = creds["user"] + (":" if TEST_DB == "mysql" else "")
    return f"{SERVER['scheme']}://{user}@127.0.0.1:{proxy.port}/aldabra_rel_{unique_name()}?{query}"
