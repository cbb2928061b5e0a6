"""asyncpg: the pool's session reset (one more round trip per release) is sent only after
SQL the ORM did not write; the ORM's own statements leave the session as it was.

Runs when ALDABRA_TEST_DB=postgres; a pool of one connection, so every statement of a
test runs on the same server session.
"""
from __future__ import annotations

import os
import uuid
from typing import Any

import pytest

pytestmark = [
    pytest.mark.requires_dialect("postgres"),
    pytest.mark.skipif(os.environ.get("ALDABRA_TEST_DB") != "postgres", reason="asyncpg's pool only"),
]


@pytest.fixture(autouse=True)
def _db_for_each_test():
    """Replaces the conftest's autouse fixture: no main ORM is needed here."""


def _client(database: str, application_name: str | None = None) -> Any:
    from tortoise.backends.asyncpg import client_class

    return client_class(
        connection_name="reset",
        host="127.0.0.1",
        port=5432,
        user="postgres",
        database=database,
        minsize=1,
        maxsize=1,
        application_name=application_name,
    )


@pytest.fixture
async def db():
    name = f"aldabra_reset_{uuid.uuid4().hex[:10]}"
    client = _client(name, application_name=name)
    await client.db_create()
    try:
        yield client
    finally:
        await client.db_delete()


async def _last_statement(application_name: str) -> str:
    """What the server session of ``application_name`` ran last (seen from another session)."""
    monitor = _client("postgres")
    try:
        rows = await monitor.execute_query_dict(
            "SELECT query FROM pg_stat_activity WHERE application_name = $1", [application_name]
        )
    finally:
        await monitor.close()
    assert len(rows) == 1, rows
    return rows[0]["query"]


async def test_orm_statements_are_not_followed_by_a_session_reset(db):
    await db.fetch_rows("SELECT 41 + $1::int AS answer", [1])
    assert await _last_statement(db.database) == "SELECT 41 + $1::int AS answer"
    assert await db.execute_insert("SELECT 2 + $1::int", [1]) == 3
    assert await _last_statement(db.database) == "SELECT 2 + $1::int"


async def test_user_sql_still_gets_the_session_reset(db):
    await db.execute_script("SET statement_timeout = 1234")
    assert [tuple(row) for row in await db.fetch_rows("SHOW statement_timeout")] == [("0",)]
    await db.execute_query("SET statement_timeout = 4321")
    assert [tuple(row) for row in await db.fetch_rows("SHOW statement_timeout")] == [("0",)]


async def test_a_lent_connection_gets_the_session_reset(db):
    async with db.acquire_connection() as conn:
        await conn.execute("SET statement_timeout = 1234")
    assert [tuple(row) for row in await db.fetch_rows("SHOW statement_timeout")] == [("0",)]
    async with db._in_transaction() as tx:
        async with tx.acquire_connection() as conn:
            await conn.execute("SET statement_timeout = 1234")
    assert [tuple(row) for row in await db.fetch_rows("SHOW statement_timeout")] == [("0",)]
