"""MySQL/MariaDB: the ORM's statements with parameters run as server-side prepared
statements, prepared once per connection (asyncmy's statement cache); user SQL without
parameters stays on the text protocol.

Runs when ALDABRA_TEST_DB=mysql; a pool of one connection, so every statement of a test
runs on the same server session, whose counters tell what was sent.
"""
from __future__ import annotations

import os
import uuid

import pytest

pytestmark = [
    pytest.mark.requires_dialect("mysql"),
    pytest.mark.skipif(os.environ.get("ALDABRA_TEST_DB") != "mysql", reason="MySQL/MariaDB only"),
]


@pytest.fixture(autouse=True)
def _db_for_each_test():
    """Replaces the conftest's autouse fixture: no main ORM is needed here."""


@pytest.fixture
async def db():
    from tortoise.backends.mysql import client_class

    client = client_class(
        connection_name="prepared",
        host="127.0.0.1",
        port=3306,
        user="root",
        password="",
        database=f"aldabra_prep_{uuid.uuid4().hex[:10]}",
        minsize=1,
        maxsize=1,
    )
    await client.db_create()
    try:
        yield client
    finally:
        await client.db_delete()


async def _session_counters(db) -> dict[str, int]:
    rows = await db.execute_query_dict("SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_execute')")
    return {row["Variable_name"]: int(row["Value"]) for row in rows}


async def test_a_repeated_statement_is_prepared_once_and_executed_each_time(db):
    await db.execute_script("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20))")
    before = await _session_counters(db)
    for i in range(3):
        await db.execute_insert("INSERT INTO item (id, name) VALUES (%s, %s)", [i, f"n{i}"])
    for i in range(3):
        assert [tuple(row) for row in await db.fetch_rows("SELECT id, name FROM item WHERE id = %s", [i])] == [
            (i, f"n{i}")
        ]
    after = await _session_counters(db)
    assert after["Com_stmt_prepare"] - before["Com_stmt_prepare"] == 2
    assert after["Com_stmt_execute"] - before["Com_stmt_execute"] == 6


async def test_statements_that_cannot_be_prepared_still_run(db):
    # a multi-statement text cannot be prepared: the text protocol runs it
    await db.execute_script("CREATE TABLE item (id INT PRIMARY KEY); INSERT INTO item VALUES (1)")
    assert await db.execute_write("UPDATE item SET id = %s WHERE id = %s", [2, 1]) == 1
    assert [tuple(row) for row in await db.fetch_rows("SELECT id FROM item")] == [(2,)]
