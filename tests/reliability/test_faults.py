"""Faults injected by the loopback proxy: dropped connections (idle, mid-query, mid-commit,
during warm-up), refused connections while a server restarts, timeouts.

Each test checks that nothing committed is lost, nothing is written twice, and the pool
recovers by itself; each runs in a few seconds."""
from __future__ import annotations

import asyncio
import struct
import time

import pytest

from tests.conftest import TEST_DIALECT
from tests.reliability.conftest import (
    SERVER,
    assert_pool_whole,
    client_on_fresh_db,
    insert_sql,
    make_client,
    names,
    pooled_only,
)
from tortoise.exceptions import (
    DBConnectionError,
    OperationalError,
    PoolExhaustedError,
    TransactionManagementError,
)

pytestmark = pooled_only


def assert_single_clear_message(exc: BaseException, port: int) -> None:
    text = str(exc)
    assert f"127.0.0.1:{port}" in text
    assert text.count(f"127.0.0.1:{port}") <= 2, text  # named, not repeated by re-wrapping
    assert "DBConnectionError" not in text, text
    assert exc.__cause__ is not None and not isinstance(exc.__cause__, DBConnectionError)


async def settle() -> None:
    """Let the event loop notice closed sockets."""
    await asyncio.sleep(0.1)


# --- stale connections ------------------------------------------------------------------------
async def test_dropped_idle_connections_never_reach_the_user(proxy, proxied):
    await assert_pool_whole(proxied)  # three connections open
    proxy.drop_all()  # a server restart as the pool sees it
    await settle()
    for i in range(10):
        await proxied.execute_insert(insert_sql(proxied), (f"after-{i}",))
    assert len(await names(proxied)) == 10
    await assert_pool_whole(proxied)


async def test_refusing_server_is_waited_for_while_it_restarts(proxy, proxied):
    await assert_pool_whole(proxied)
    proxy.drop_all()  # the proxy closes its sockets on its next loop iterations
    proxy.refusing = True
    await settle()
    loop = asyncio.get_running_loop()
    loop.call_later(1.0, proxy.heal)
    started = time.monotonic()
    await proxied.execute_insert(insert_sql(proxied), ("waited",))
    assert 0.8 < time.monotonic() - started < 5
    assert await names(proxied) == ["waited"]


async def test_server_that_stays_away_gives_one_clear_error(proxy):
    db = await client_on_fresh_db(port=proxy.port, maxsize=2, reconnect_timeout=1)
    try:
        await db.fetch_rows("SELECT 1")
        proxy.drop_all()
        proxy.refusing = True
        await settle()
        started = time.monotonic()
        with pytest.raises(DBConnectionError) as info:
            await db.fetch_rows("SELECT 1")
        assert time.monotonic() - started < 4
        assert_single_clear_message(info.value, proxy.port)
        assert "Check that the server is running" in str(info.value)
        proxy.heal()
        assert (await db.fetch_rows("SELECT 1"))[0][0] == 1  # recovered, no restart needed
    finally:
        proxy.heal()
        await db.db_delete()


async def test_pool_warm_up_with_a_refused_connection(proxy):
    db = await client_on_fresh_db(port=proxy.port, minsize=3, maxsize=3)
    try:
        await db.close()
        proxy.refuse_next(1, after=1)  # the second connection of the warm-up fails
        try:
            await db.fetch_rows("SELECT 1")
        except DBConnectionError as exc:  # asyncpg, asyncmy: the pool fails to open
            assert_single_clear_message(exc, proxy.port)
        else:  # psycopg_pool retries the refused connection itself
            assert SERVER["engine"].endswith("psycopg")
        # the next call opens the pool again, no restart of the application
        await db.execute_insert(insert_sql(db), ("warm",))
        assert await names(db) == ["warm"]
        await assert_pool_whole(db)
        assert proxy.open_links <= 3
    finally:
        proxy.heal()
        await db.db_delete()


def postgres_shutdown_notice() -> bytes:
    """The message a PostgreSQL backend sends its idle client when the server shuts down
    (an ErrorResponse, FATAL 57P01), before it closes the connection."""
    fields = ((b"S", b"FATAL"), (b"V", b"FATAL"), (b"C", b"57P01"),
              (b"M", b"terminating connection due to administrator command"))
    body = b"".join(code + text + b"\0" for code, text in fields) + b"\0"
    return b"E" + struct.pack("!i", len(body) + 4) + body


@pytest.mark.skipif(TEST_DIALECT != "postgres", reason="PostgreSQL's shutdown message")
async def test_shutdown_notice_on_idle_connections_never_reaches_the_user(proxy, proxied):
    """A restart as a busy server does it: every idle pooled connection receives the
    shutdown message, and the connection closes only a moment later.  Statements
    written in between must not be sent on those connections (or must fail cleanly)."""
    await assert_pool_whole(proxied)  # three idle connections
    proxy.tell_clients(postgres_shutdown_notice())
    await settle()
    for i in range(3):
        await proxied.execute_insert(insert_sql(proxied), (f"after-{i}",))
    async with proxied._in_transaction() as tx:
        await tx.execute_insert(insert_sql(proxied), ("in-tx",))
    assert await proxied.fetch_rows("SELECT 1")
    proxy.drop_all()  # the old connections finally close
    await settle()
    assert await names(proxied) == ["after-0", "after-1", "after-2", "in-tx"]
    await assert_pool_whole(proxied)


# --- dropped mid-query: an error, never a silent second write -----------------------------------
async def test_query_dropped_before_the_server_saw_it(proxy, proxied):
    await proxied.fetch_rows("SELECT 1")
    proxy.drop_when(b"doomed-insert")
    with pytest.raises(DBConnectionError) as info:
        await proxied.execute_insert(insert_sql(proxied), ("doomed-insert",))
    assert_single_clear_message(info.value, proxy.port)
    assert "may or may not have run" in str(info.value)
    assert await names(proxied) == []  # not retried behind the user's back
    await assert_pool_whole(proxied)


async def test_write_whose_answer_was_lost_is_not_repeated(proxy, proxied):
    await proxied.fetch_rows("SELECT 1")
    proxy.drop_when(b"applied-once", after=True)
    with pytest.raises(DBConnectionError):
        await proxied.execute_insert(insert_sql(proxied), ("applied-once",))
    assert await names(proxied) == ["applied-once"]  # present exactly once
    await assert_pool_whole(proxied)


# --- transactions -----------------------------------------------------------------------------
async def run_transaction(db, *rows: str) -> None:
    async with db._in_transaction() as tx:
        for row in rows:
            await tx.execute_insert(insert_sql(db), (row,))


async def test_commit_dropped_before_the_server_saw_it(proxy, proxied):
    proxy.drop_when(b"COMMIT")
    with pytest.raises(TransactionManagementError) as info:
        await run_transaction(proxied, "a", "b", "c")
    assert "may or may not have committed" in str(info.value)
    assert await names(proxied) == []
    await run_transaction(proxied, "d")  # the next transaction works
    assert await names(proxied) == ["d"]
    await assert_pool_whole(proxied)


async def test_commit_whose_answer_was_lost(proxy, proxied):
    proxy.drop_when(b"COMMIT", after=True)
    with pytest.raises(TransactionManagementError):
        await run_transaction(proxied, "a", "b", "c")
    assert await names(proxied) == ["a", "b", "c"]  # committed once, not repeated
    await assert_pool_whole(proxied)


@pytest.mark.parametrize("depth", [0, 1, 2])
async def test_connection_lost_inside_nested_transactions(proxy, proxied, depth):
    insert = insert_sql(proxied)
    with pytest.raises((DBConnectionError, TransactionManagementError)) as info:
        async with proxied._in_transaction() as tx:
            await tx.execute_insert(insert, ("outer",))
            for level in range(depth):
                tx = await tx._in_transaction().__aenter__()
                await tx.execute_insert(insert, (f"inner{level}",))
            proxy.drop_all()
            await settle()
            await tx.execute_insert(insert, ("after the loss",))
    assert f"127.0.0.1:{proxy.port}" in str(info.value)
    assert "rolled" in str(info.value)
    assert await names(proxied) == []
    await run_transaction(proxied, "next")
    assert await names(proxied) == ["next"]
    await assert_pool_whole(proxied)


async def test_error_inside_transaction_after_loss_is_not_swallowed(proxy, proxied):
    insert = insert_sql(proxied)
    async with proxied._in_transaction() as tx:
        await tx.execute_insert(insert, ("x",))
        proxy.drop_when(b"lost-here")
        with pytest.raises(DBConnectionError):
            await tx.execute_insert(insert, ("lost-here",))
        with pytest.raises(TransactionManagementError):  # the transaction is gone
            await tx.execute_insert(insert, ("y",))
        with pytest.raises(TransactionManagementError):
            await tx.commit()
    assert await names(proxied) == []
    await assert_pool_whole(proxied)


# --- cancellation at every await point ---------------------------------------------------------
async def test_cancellation_at_every_point_of_a_transaction(proxy, proxied):
    """Every network step takes >= 20 ms; cancel at 25 instants spread until the whole
    transaction (BEGIN, two INSERTs, SAVEPOINT, INSERT, RELEASE, COMMIT) has finished."""
    insert = insert_sql(proxied)
    await assert_pool_whole(proxied)
    proxy.delay = 0.02

    async def work(tag: str) -> None:
        async with proxied._in_transaction() as tx:
            await tx.execute_insert(insert, (f"{tag}-1",))
            await tx.execute_insert(insert, (f"{tag}-2",))
            async with tx._in_transaction() as sp:
                await sp.execute_insert(insert, (f"{tag}-3",))

    started = time.monotonic()
    await work("timing")
    duration = time.monotonic() - started
    completed = 0
    steps = 25
    for step in range(steps):
        task = asyncio.create_task(work(f"c{step}"))
        await asyncio.sleep(step * duration / (steps - 1))
        task.cancel()
        try:
            await task
            completed += 1
        except asyncio.CancelledError:
            pass
    proxy.delay = 0
    await asyncio.sleep(0.3)  # shielded cleanups finish
    rows = await names(proxied)
    for step in range(steps):
        mine = [r for r in rows if r.startswith(f"c{step}-")]
        assert mine in ([], [f"c{step}-1", f"c{step}-2", f"c{step}-3"]), mine  # all or nothing
    assert completed < steps  # some cancellations did land inside the transaction
    await assert_pool_whole(proxied)


async def test_a_task_cancelled_during_commit_waits_for_it_then_is_cancelled(proxy, proxied):
    """The COMMIT in flight is not interrupted, and the task's CancelledError comes once it
    is done: the row is committed and the connection back in the pool when the task ends."""
    insert = insert_sql(proxied)
    seen, release = proxy.hold_when(b"COMMIT")

    async def work() -> None:
        async with proxied._in_transaction() as tx:
            await tx.execute_insert(insert, ("held",))

    task = asyncio.create_task(work())
    await seen.wait()
    task.cancel()
    for _ in range(5):  # loop passes, no timing: a cancel passed on at once would end it here
        await asyncio.sleep(0)
    assert not task.done()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await names(proxied) == ["held"]
    await assert_pool_whole(proxied)


# --- pool limits and timeouts ---------------------------------------------------------------------
async def test_exhausted_pool_names_its_size():
    db = await client_on_fresh_db(maxsize=1, acquire_timeout=0.5)
    try:
        async with db._in_transaction() as tx:
            await tx.fetch_rows("SELECT 1")
            started = time.monotonic()
            with pytest.raises(PoolExhaustedError) as info:
                await db.fetch_rows("SELECT 1")
            assert time.monotonic() - started < 3
        assert "maxsize=1" in str(info.value) and "acquire_timeout" in str(info.value)
        assert (await db.fetch_rows("SELECT 1"))[0][0] == 1
    finally:
        await db.db_delete()


async def test_statement_timeout_interrupts_and_pool_recovers(client):
    option = {SERVER["timeout_option"]: 0.5}
    db = make_client(database=client.database, maxsize=2, **option)
    try:
        started = time.monotonic()
        with pytest.raises(OperationalError) as info:
            await db.fetch_rows(SERVER["sleep"].format(5))
        assert time.monotonic() - started < 3
        assert "timed out after 0.5 s" in str(info.value)
        await assert_pool_whole(db)
    finally:
        await db.close()


async def session_id(db) -> int:
    return (await db.fetch_rows(SERVER["session_id"]))[0][0]


async def test_max_age_replaces_old_connections():
    db = await client_on_fresh_db(maxsize=1, max_age=0.3)
    try:
        first = await session_id(db)
        assert await session_id(db) == first
        await asyncio.sleep(0.4)
        assert await session_id(db) != first
    finally:
        await db.db_delete()


@pytest.mark.parametrize("pre_ping", [False, True])
async def test_connection_killed_by_the_server_is_replaced(client, pre_ping):
    db = await client_on_fresh_db(maxsize=1, pre_ping=pre_ping)
    try:
        victim = await session_id(db)
        await client.execute_script(SERVER["kill"].format(int(victim)))
        await settle()
        assert await session_id(db) != victim
    finally:
        await db.db_delete()


@pytest.mark.skipif(SERVER is None or "mysql" not in SERVER["engine"], reason="MySQL wait_timeout")
async def test_idle_limit_stays_below_mysql_wait_timeout(client):
    wait_timeout = (await client.fetch_rows("SELECT @@wait_timeout"))[0][0]
    assert client._pool._recycle == max(1, min(3600, int(wait_timeout) - 5))
    explicit = await client_on_fresh_db(pool_recycle=42)
    try:
        await explicit.fetch_rows("SELECT 1")
        assert explicit._pool._recycle == 42
    finally:
        await explicit.db_delete()

