"""What the pooled clients (PostgreSQL, MySQL) share.

A lazily opened driver pool; every statement runs through ``_run(op, *args)``, which
calls ``op(conn, *args)`` on a pooled connection (``op`` is a small driver function such
as "fetch all rows").  A transaction client is the same driver client pinned to one
pooled connection: ``_run`` uses that connection, under a lock so that tasks sharing the
transaction (``asyncio.gather`` inside the block) take turns instead of colliding.

Ending a transaction (COMMIT/ROLLBACK and returning the connection) runs shielded from
cancellation, so a cancelled task still leaves a clean connection in the pool.

A driver client supplies: ``driver_errors`` and ``_translate`` (driver exception →
tortoise exception), ``_open_pool``/``_close_pool``, ``_connect_admin``/
``_close_connection`` (a connection outside the pool, for CREATE/DROP DATABASE),
``_control`` (run a statement such as BEGIN), ``_usable``/``_discard``, optionally
``_interrupted`` (a statement was cancelled mid-flight) and ``transaction_class``
(``class X(PooledTransactionClient, TheDriverClient)``).
"""
from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Awaitable, Callable

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import ConfigurationError, DBConnectionError, TransactionManagementError

logger = logging.getLogger("tortoise.db_client")

# Cleanup tasks still running after their awaiting task was cancelled; the event loop
# keeps only weak references to tasks, so they are held here until done.
_CLEANUPS: set[asyncio.Future] = set()


def run_in_background(coro: Awaitable[Any]) -> asyncio.Future:
    """Start ``coro`` as a task that nothing awaits, keeping it alive until it is done."""
    task = asyncio.ensure_future(coro)
    _CLEANUPS.add(task)
    task.add_done_callback(_CLEANUPS.discard)
    return task


async def _shielded(coro: Awaitable[Any]) -> Any:
    """Await ``coro`` to completion even if the awaiting task is cancelled meanwhile."""
    return await asyncio.shield(run_in_background(coro))


def describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class PooledClient(BaseDBAsyncClient):
    """A client owning a driver connection pool for one connection name."""

    #: human name of the server, for error messages
    server_name = ""
    default_port = 0
    driver_errors: tuple[type[BaseException], ...] = ()
    transaction_class: type["PooledTransactionClient"]

    def __init__(
        self,
        connection_name: str = "default",
        host: str = "127.0.0.1",
        port: int | str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        minsize: int | str = 1,
        maxsize: int | str = 5,
        echo: bool = False,
        fetch_inserted: bool = True,
        **extra: Any,
    ) -> None:
        super().__init__(connection_name=connection_name, fetch_inserted=fetch_inserted)
        self.host = host
        self.port = int(port) if port else self.default_port
        self.user = user
        self.password = password
        self.database = database
        # asyncpg spells them min_size/max_size; both spellings are accepted
        self.minsize = int(extra.pop("min_size", minsize))
        self.maxsize = int(extra.pop("max_size", maxsize))
        self.echo = echo
        #: driver options passed through unchanged
        self.extra = extra
        self._pool: Any = None
        self._pool_lock = asyncio.Lock()

    # --- driver hooks ------------------------------------------------------------------------
    async def _open_pool(self, with_db: bool) -> Any:
        raise NotImplementedError

    async def _close_pool(self, pool: Any) -> None:
        raise NotImplementedError

    async def _connect_admin(self) -> Any:
        """A connection outside the pool and outside ``database``."""
        raise NotImplementedError

    async def _close_connection(self, conn: Any) -> None:
        raise NotImplementedError

    async def _control(self, conn: Any, sql: str) -> None:
        """Run a parameterless statement (BEGIN, COMMIT, SAVEPOINT, CREATE DATABASE…)."""
        raise NotImplementedError

    def _usable(self, conn: Any) -> bool:
        raise NotImplementedError

    def _discard(self, conn: Any) -> None:
        """Close ``conn`` at once; the pool replaces it (the server rolls back its work)."""
        raise NotImplementedError

    def _translate(self, exc: BaseException) -> BaseException:
        raise NotImplementedError

    def _interrupted(self, conn: Any) -> None:
        """Called when a statement on ``conn`` was cancelled mid-flight."""

    # --- errors ------------------------------------------------------------------------------
    def _connection_error(self, exc: BaseException) -> DBConnectionError:
        return DBConnectionError(
            f"connection to {self.server_name} at {self.host}:{self.port} failed: {describe(exc)}"
        )

    async def _call(self, conn: Any, op: Callable[..., Awaitable[Any]], args: tuple) -> Any:
        try:
            return await op(conn, *args)
        except self.driver_errors as exc:
            raise self._translate(exc) from exc
        except asyncio.CancelledError:
            self._interrupted(conn)
            raise

    async def _statement(self, conn: Any, sql: str) -> None:
        try:
            await self._control(conn, sql)
        except self.driver_errors as exc:
            raise self._translate(exc) from exc

    # --- lifecycle ---------------------------------------------------------------------------
    async def create_connection(self, with_db: bool = True) -> None:
        if self._pool is None:
            await self._ensure_pool(with_db)

    async def _ensure_pool(self, with_db: bool = True) -> Any:
        async with self._pool_lock:
            if self._pool is None:
                try:
                    self._pool = await self._open_pool(with_db)
                except Exception as exc:
                    raise self._connection_error(exc) from exc
        return self._pool

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await self._close_pool(pool)

    async def _admin(self, sql: str) -> None:
        """Run ``sql`` (CREATE/DROP DATABASE) on a connection of its own."""
        try:
            conn = await self._connect_admin()
        except Exception as exc:
            raise self._connection_error(exc) from exc
        try:
            await self._statement(conn, sql)
        finally:
            await self._close_connection(conn)

    async def db_create(self) -> None:
        name = self.dialect.quote(self._database_name())
        await self._admin(f"CREATE DATABASE {name}{self._database_options()}")
        # a pool opened before the database existed (with_db=False) must not be reused
        await self.close()

    async def db_delete(self) -> None:
        await self.close()
        await self._admin(f"DROP DATABASE IF EXISTS {self.dialect.quote(self._database_name())}")

    def _database_options(self) -> str:
        """Suffix of CREATE DATABASE (e.g. the character set)."""
        return ""

    def _database_name(self) -> str:
        if not self.database:
            raise ConfigurationError(f"connection '{self.connection_name}' has no database name")
        return self.database

    # --- execution ---------------------------------------------------------------------------
    async def _run(self, op: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        """Run ``op(conn, *args)`` on a pooled connection, driver errors mapped."""
        pool = self._pool or await self._ensure_pool()
        try:
            async with pool.acquire() as conn:
                return await self._call(conn, op, args)
        except self.driver_errors as exc:  # from acquire: the pool could not connect
            raise self._translate(exc) from exc

    @asynccontextmanager
    async def acquire_connection(self) -> AsyncIterator[Any]:
        pool = self._pool or await self._ensure_pool()
        async with pool.acquire() as conn:
            yield conn

    # --- transactions ------------------------------------------------------------------------
    async def _begin(self) -> "PooledTransactionClient":
        pool = self._pool or await self._ensure_pool()
        try:
            conn = await pool.acquire()
        except self.driver_errors as exc:
            raise self._translate(exc) from exc
        try:
            await self._statement(conn, "BEGIN")
        except BaseException:
            self._discard(conn)
            await _shielded(pool.release(conn))
            raise
        return self.transaction_class(self, _Pinned(pool, conn), savepoint=None)


class _Pinned:
    """The pooled connection a transaction holds, shared with its savepoints.

    ``conn`` becomes None once the transaction has ended (and the connection is back in
    the pool).
    """

    __slots__ = ("pool", "conn", "lock", "savepoints")

    def __init__(self, pool: Any, conn: Any) -> None:
        self.pool = pool
        self.conn = conn
        self.lock = asyncio.Lock()
        self.savepoints = 0


class PooledTransactionClient(PooledClient):
    """Mixin placed before a driver client: everything runs on one pinned connection.

    ``savepoint`` is None for the transaction itself, else the savepoint's name.  After
    the transaction ends (``commit()``/``rollback()`` inside the block), statements fall
    back to the pool, in autocommit mode.
    """


    def __init__(self, root: PooledClient, pinned: _Pinned, savepoint: str | None) -> None:
        vars(self).update(vars(root))  # credentials and settings, for errors and fallbacks
        self._root = root
        self._pinned = pinned
        self._savepoint = savepoint
        self._finished = False

    async def _run(self, op: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        pinned = self._pinned
        async with pinned.lock:
            if pinned.conn is not None:
                return await self._call(pinned.conn, op, args)
        return await self._root._run(op, *args)

    @asynccontextmanager
    async def acquire_connection(self) -> AsyncIterator[Any]:
        pinned = self._pinned
        async with pinned.lock:
            if pinned.conn is not None:
                yield pinned.conn
                return
        async with self._root.acquire_connection() as conn:
            yield conn

    async def close(self) -> None:  # the root client owns the pool
        return None

    # --- savepoints and ending ---------------------------------------------------------------
    async def _begin(self) -> "PooledTransactionClient":
        pinned = self._pinned
        async with pinned.lock:
            if pinned.conn is None:
                raise TransactionManagementError("cannot open a savepoint: the transaction already ended")
            pinned.savepoints += 1
            name = f"aldabra_sp{pinned.savepoints}"
            await self._statement(pinned.conn, f"SAVEPOINT {name}")
        return type(self)(self._root, pinned, savepoint=name)

    async def commit(self) -> None:
        await self._finish(commit=True)

    async def rollback(self) -> None:
        await self._finish(commit=False)

    async def _end(self, commit: bool) -> None:
        if not self._finished:
            await self._finish(commit)

    async def _finish(self, commit: bool) -> None:
        if self._finished:
            raise TransactionManagementError("the transaction was already committed or rolled back")
        self._finished = True
        if self._savepoint is None:
            await _shielded(self._end_transaction(commit))
        else:
            await _shielded(self._end_savepoint(commit))

    async def _end_transaction(self, commit: bool) -> None:
        pinned = self._pinned
        async with pinned.lock:
            conn, pinned.conn = pinned.conn, None
            try:
                await self._conclude(conn, "COMMIT" if commit else "ROLLBACK", commit)
            finally:
                await pinned.pool.release(conn)

    async def _end_savepoint(self, commit: bool) -> None:
        pinned, name = self._pinned, self._savepoint
        async with pinned.lock:
            conn = pinned.conn
            if conn is None:  # the enclosing transaction ended first
                if commit:
                    raise TransactionManagementError(
                        f"cannot release savepoint {name}: the enclosing transaction already ended"
                    )
                return
            if commit:
                await self._conclude(conn, f"RELEASE SAVEPOINT {name}", commit)
            else:
                await self._conclude(conn, f"ROLLBACK TO SAVEPOINT {name}", commit)
                await self._conclude(conn, f"RELEASE SAVEPOINT {name}", commit)

    async def _conclude(self, conn: Any, sql: str, commit: bool) -> None:
        """Run an ending statement; a connection that fails it is discarded.

        A connection already closed (a driver closes it when a query is cancelled
        mid-flight) needs no ROLLBACK: the server rolls back on disconnect.
        """
        if not self._usable(conn):
            if commit:
                raise TransactionManagementError(
                    f"the connection to {self.host}:{self.port} was lost; the transaction was rolled back"
                )
            logger.debug("connection closed during the transaction; the server rolled it back")
            return
        try:
            await self._statement(conn, sql)
        except BaseException:
            self._discard(conn)
            raise
