"""Whatever the driver raises reaches the caller as a tortoise exception with the driver's
exception chained: values the driver cannot bind, argument counts that do not match,
through every entry point, in and outside transactions; the pool stays usable."""
from __future__ import annotations

import pytest

from tests.reliability.conftest import SERVER, assert_pool_whole, insert_sql, make_client, names, pooled_only
from tools.private_servers import free_port
from tortoise.exceptions import BaseORMException, DBConnectionError

pytestmark = pooled_only

BAD_ARGUMENTS = {
    "an object": [object()],
    "a dict": [{"a": 1}],
    "a list": [[1, 2]],
    "a set": [{1, 2}],
    "too many": ["x", "y", "z"],
    "too few": [],
}


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
async def test_every_driver_exception_is_mapped_and_chained(client, args):
    await call_each_entry_point(client, args)
    try:
        async with client._in_transaction() as tx:
            await call_each_entry_point(tx, args)
    except Exception as exc:
        assert_mapped(exc)
    await client.execute_insert(insert_sql(client), ("still fine",))
    assert "still fine" in await names(client)
    await assert_pool_whole(client)


CONNECTION_FAULTS = {
    "refused": lambda: {"port": free_port()},
    "unknown database": lambda: {"database": "aldabra_no_such_database"},
    "unknown user": lambda: {"user": "aldabra_nobody", "password": "x"},
}


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
