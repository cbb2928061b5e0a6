"""Whatever the driver raises reaches the caller as a tortoise exception with the driver's
exception chained: values the driver cannot bind, argument counts that do not match,
through every entry point, in and outside transactions, on every backend; the client
stays usable.  Connection failures give one clear message."""
from __future__ import annotations

from typing import Any, AsyncIterator

import pytest

from tests.reliability.conftest import (
    SERVER,
    assert_pool_whole,
    client_on_fresh_db,
    insert_sql,
    make_client,
    names,
    pooled_only,
)
from tools.private_servers import free_port
from tortoise.backends.sqlite import client_class as SqliteClient
from tortoise.exceptions import BaseORMException, DBConnectionError

BAD_ARGUMENTS = {
    "an object": [object()],
    "a dict": [{"a": 1}],
    "a list": [[1, 2]],
    "a set": [{1, 2}],
    "a huge int": [2**70],
    "too many": ["x", "y", "z"],
    "too few": [],
}


@pytest.fixture
async def any_client() -> AsyncIterator[Any]:
    """A raw client of ALDABRA_TEST_DB's backend with table ``item`` (SQLite: in memory)."""
    if SERVER is None:
        db = SqliteClient(":memory:", connection_name="mapping")
        await db.execute_script("CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(60) NOT NULL)")
        yield db
        await db.close()
        return
    db = await client_on_fresh_db()
    yield db
    await assert_pool_whole(db)
    await db.db_delete()


def assert_mapped(exc: BaseException) -> None:
    assert isinstance(exc, BaseORMException), f"{type(exc).__module__}.{type(exc).__name__} escaped: {exc}"
    assert exc.__cause__ is not None and not isinstance(exc.__cause__, BaseORMException)
    assert str(exc)


async def call_each_entry_point(db, args: list) -> None:
    """Every way a statement reaches a pooled client; each must succeed or raise mapped."""
    insert = insert_sql(db)
    calls = [
        lambda: db.execute_query(insert, args),
        lambda: db.execute_insert(insert, args),
        lambda: db.execute_many(insert, [args, ["fine"]]),
        lambda: db.fetch_rows(f"SELECT {db.dialect.placeholder(0)}", args),
    ]
    for call in calls:
        try:
            await call()
        except Exception as exc:  # the assertion is about what this is
            assert_mapped(exc)


@pytest.mark.parametrize("args", BAD_ARGUMENTS.values(), ids=BAD_ARGUMENTS.keys())
async def test_every_driver_exception_is_mapped_and_chained(any_client, args):
    await call_each_entry_point(any_client, args)
    try:
        async with any_client._in_transaction() as tx:
            await call_each_entry_point(tx, args)
    except Exception as exc:
        assert_mapped(exc)
    await any_client.execute_insert(insert_sql(any_client), ("still fine",))
    assert "still fine" in await names(any_client)


CONNECTION_FAULTS = {
    "refused": lambda: {"port": free_port()},
    "unknown database": lambda: {"database": "aldabra_no_such_database"},
    "unknown user": lambda: {"user": "aldabra_nobody", "password": "x"},
}


@pooled_only
@pytest.mark.parametrize("fault", CONNECTION_FAULTS.values(), ids=CONNECTION_FAULTS.keys())
async def test_connection_errors_are_one_clear_message(fault):
    server_database = "mysql" if SERVER["scheme"] == "mysql" else "postgres"
    overrides = {"database": server_database, "reconnect_timeout": 0, **fault()}
    db = make_client(**overrides)
    try:
        with pytest.raises(DBConnectionError) as info:
            await db.fetch_rows("SELECT 1")
    finally:
        await db.close()
    text = str(info.value)
    assert f"127.0.0.1:{db.port}" in text and "Check that" in text, text
    assert "\n" not in text and ".." not in text and "?." not in text, text  # one line, one sentence end
    assert "DBConnectionError" not in text, text  # not wrapped twice
    assert info.value.__cause__ is not None and not isinstance(info.value.__cause__, BaseORMException)
