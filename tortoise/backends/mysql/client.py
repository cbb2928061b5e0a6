"""The MySQL / MariaDB client on asyncmy (or aiomysql when asyncmy is not installed).

Connections run in autocommit mode; a transaction is an explicit BEGIN on a pinned
connection.  They are opened with the FOUND_ROWS flag, so an UPDATE reports the rows it
*matched* (as on PostgreSQL and SQLite), not only those whose values changed.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
import ssl as ssl_module
from typing import Any, Sequence

try:
    import asyncmy as driver
    from asyncmy.constants.CLIENT import FOUND_ROWS, MULTI_STATEMENTS

    #: asyncmy >= 0.2.18 runs statements with parameters as server-side prepared statements
    #: when given a statement cache: no escaping on the way out, binary rows back
    _PREPARES = "stmt_cache_size" in inspect.signature(driver.connect).parameters

    def _is_open(conn: Any) -> bool:
        # closed, EOF or error seen by the loop, or a hang-up only the kernel knows of yet
        # (older asyncmy releases keep a stream writer instead of the transport)
        if not conn.connected or getattr(conn, "_stream_broken", False):
            return False
        transport = getattr(conn, "_transport", None)
        if transport is None:
            writer = getattr(conn, "_writer", None)
            transport = writer.transport if writer is not None else None
        return transport is None or socket_open(transport)

except ImportError:  # pragma: no cover - the alternative driver
    import aiomysql as driver  # type: ignore[no-redef]
    from pymysql.constants.CLIENT import FOUND_ROWS, MULTI_STATEMENTS  # type: ignore[no-redef]

    def _is_open(conn: Any) -> bool:
        return not conn.closed

    _PREPARES = False


from tortoise.backends.base.client import Capabilities, Jobs
from tortoise.backends.base.pooled import (
    PooledClient,
    PooledTransactionClient,
    logger,
    run_in_background,
    socket_open,
)
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.sql.dialects.mysql import MySQLDialect

# asyncmy logs the server's warnings (such as the duplicates INSERT IGNORE skips) on its
# logger; with no handler there, Python prints them to stderr in applications that have
# not configured logging.  Applications that configure logging still receive them.
logging.getLogger("asyncmy").addHandler(logging.NullHandler())

# Duplicate key, foreign key, NOT NULL, missing default, CHECK (MySQL 3819, MariaDB 4025).
_INTEGRITY_CODES = frozenset({1022, 1048, 1062, 1169, 1216, 1217, 1364, 1451, 1452, 1557, 1586, 3819, 4025})
# Cannot connect, server gone / connection lost, too many connections, access denied.
_CONNECTION_CODES = frozenset({1040, 1044, 1045, 1049, 2002, 2003, 2005, 2006, 2013, 2055})
# "MySQL server has gone away": the driver found the socket closed before writing.
_SERVER_GONE = 2006
# Prepared statements kept per connection (asyncpg's default too); the server's
# max_prepared_stmt_count (16382) bounds them over all connections.
_STATEMENT_CACHE = 100
# Idle limit when the server's wait_timeout is longer (or unknown), in seconds.
_MAX_IDLE = 3600


def _error_code(exc: BaseException) -> int | None:
    code = exc.args[0] if exc.args else None
    return code if isinstance(code, int) else None


# --- operations, run on one connection by ``PooledClient._run`` ----------------------------
# The ORM's statements (one statement each) run on a cursor kept with the connection:
# making and closing a cursor per statement costs ~5k instructions, a fifteenth of a
# small statement.  User SQL (``_query``, ``_script``) gets a cursor of its own, closed
# after reading every result set.
def _cursor(conn: Any) -> Any:
    try:
        cur = conn._aldabra_cursor
    except AttributeError:
        cur = conn._aldabra_cursor = conn.cursor()
    conn._last_usage = conn._loop.time()  # the pool's idle clock, as conn.cursor() sets it
    return cur


async def _fetch(conn: Any, sql: str, params: Sequence[Any]) -> list:
    cur = _cursor(conn)
    await cur.execute(sql, params)
    return await cur.fetchall()


async def _write(conn: Any, sql: str, params: Sequence[Any]) -> int:
    cur = _cursor(conn)
    await cur.execute(sql, params)
    return cur.rowcount


async def _insert(conn: Any, sql: str, params: Sequence[Any]) -> Any:
    cur = _cursor(conn)
    await cur.execute(sql, params)
    return cur.lastrowid or None


async def _many(conn: Any, sql: str, params_list: Sequence[Sequence[Any]]) -> None:
    await _cursor(conn).executemany(sql, params_list)


async def _query(conn: Any, sql: str, params: Sequence[Any]) -> tuple[int, list[dict]]:
    async with conn.cursor() as cur:
        # raw SQL without values is sent as written (a literal % needs no doubling)
        await cur.execute(sql, params or None)
        if cur.description is None:
            return cur.rowcount, []
        names = [column[0] for column in cur.description]
        rows = await cur.fetchall()
        return cur.rowcount, [dict(zip(names, row)) for row in rows]


async def _script(conn: Any, sql: str) -> None:
    async with conn.cursor() as cur:
        await cur.execute(sql)
        while await cur.nextset():  # errors in later statements surface here
            pass


def _ssl_context(ssl: Any) -> Any:
    """``ssl=True`` (or "true") means a default verifying context; falsy means none."""
    if ssl is True or (isinstance(ssl, str) and ssl.lower() in ("true", "require")):
        return ssl_module.create_default_context()
    if not ssl or (isinstance(ssl, str) and ssl.lower() in ("false", "disable")):
        return None
    return ssl


class MySQLClient(PooledClient):
    jobs = Jobs(fetch=_fetch, write=_write, insert=_insert, many=_many, query=_query, script=_script)
    dialect = MySQLDialect()
    capabilities = Capabilities.of(dialect)
    server_name = "MySQL"
    default_port = 3306
    driver_errors = (driver.Error, OSError, asyncio.TimeoutError)

    def __init__(
        self,
        connection_name: str = "default",
        *,
        charset: str = "utf8mb4",
        storage_engine: str | None = None,
        connect_timeout: float | str = 10,
        ssl: Any = None,
        sql_mode: str | None = None,
        pool_recycle: int | str | None = None,
        statement_timeout: float | str | None = None,
        **credentials: Any,
    ) -> None:
        super().__init__(connection_name, **credentials)
        #: idle seconds after which the pool closes a connection; None: below wait_timeout
        self.pool_recycle = int(pool_recycle) if pool_recycle not in (None, "") else None
        self.statement_timeout = float(statement_timeout) if statement_timeout else None
        self.charset = charset
        #: engine for CREATE TABLE (see ``table_options``); None: the server's default
        self.storage_engine = storage_engine
        self.connect_timeout = float(connect_timeout)
        self.ssl = _ssl_context(ssl)
        self.sql_mode = sql_mode

    @property
    def table_options(self) -> str:
        """What CREATE TABLE ends with (passed to ``MySQLDialect.table_suffix``)."""
        engine = f"ENGINE={self.storage_engine} " if self.storage_engine else ""
        return f"{engine}DEFAULT CHARSET={self.charset}"

    # --- driver hooks --------------------------------------------------------------------------
    def _connect_options(self, database: str | None) -> dict[str, Any]:
        prepared = {"stmt_cache_size": _STATEMENT_CACHE} if _PREPARES else {}
        return {
            **prepared,
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password or "",
            "db": database,
            "charset": self.charset,
            "connect_timeout": self.connect_timeout,
            "ssl": self.ssl,
            "sql_mode": self.sql_mode,
            **self.extra,
            # what the client relies on, whatever the credentials say
            "autocommit": True,
            "client_flag": self.extra.get("client_flag", 0) | FOUND_ROWS | MULTI_STATEMENTS,
        }

    async def _open_pool(self, with_db: bool) -> Any:
        pool = driver.Pool(
            minsize=self.minsize,
            maxsize=self.maxsize,
            echo=self.echo,
            pool_recycle=self.pool_recycle or _MAX_IDLE,
            **self._connect_options(self.database if with_db else None),
        )
        try:
            # connect_timeout covers only the TCP connect, not a server that accepts and
            # then stays silent; bound the whole handshake
            await asyncio.wait_for(self._warm_up(pool), self.connect_timeout)
        except BaseException:  # the connections opened before the failure are closed
            await self._close_pool(pool)
            raise
        return pool

    async def _warm_up(self, pool: Any) -> None:
        if self.minsize > 0:
            async with pool.cond:
                await pool.fill_free_pool(False)
        if self.pool_recycle is None:
            await self._stay_below_wait_timeout(pool)

    async def _stay_below_wait_timeout(self, pool: Any) -> None:
        """Close idle connections before the server's ``wait_timeout`` does it for us."""
        async with pool.acquire() as conn:
            async with conn.cursor() as cur:
                await cur.execute("SELECT @@wait_timeout")
                (wait_timeout,) = await cur.fetchone()
        pool._recycle = max(1, min(_MAX_IDLE, int(wait_timeout) - 5))

    async def _close_pool(self, pool: Any) -> None:
        pool.close()
        try:
            await asyncio.wait_for(pool.wait_closed(), 10)
        except asyncio.TimeoutError:  # a connection is still held: cut it off
            pool.terminate()

    async def _connect_admin(self) -> Any:
        return await asyncio.wait_for(driver.connect(**self._connect_options(None)), self.connect_timeout)

    def _free_now(self, pool: Any) -> bool:
        return pool.freesize > 0

    async def _close_connection(self, conn: Any) -> None:
        await conn.ensure_closed()

    async def _control(self, conn: Any, sql: str) -> None:
        await conn.query(sql)  # no cursor, no result-set loop: BEGIN/COMMIT as asyncmy's own begin()

    def _usable(self, conn: Any) -> bool:
        return _is_open(conn)

    def _discard(self, conn: Any) -> None:
        conn.close()

    def _unsent(self, exc: BaseException) -> bool:
        # raised before writing: the socket was already closed, or "Not connected"
        return _error_code(exc) == _SERVER_GONE or isinstance(exc, driver.InterfaceError)

    async def _ping(self, conn: Any) -> None:
        await conn.ping(reconnect=False)

    def _interrupted(self, conn: Any) -> None:
        # The driver drops a connection whose statement was cancelled, but the server
        # runs the statement to its end, holding the transaction's locks: kill it.
        run_in_background(self._kill(conn.thread_id()))

    async def _kill(self, thread_id: int) -> None:
        try:
            await self._admin(f"KILL {int(thread_id)}")
        except Exception as exc:  # already gone
            logger.debug("could not kill MySQL thread %s: %s", thread_id, exc)

    def _translate(self, exc: BaseException) -> BaseException:
        code = _error_code(exc)
        if isinstance(exc, driver.IntegrityError) or code in _INTEGRITY_CODES:
            return IntegrityError(str(exc))
        if isinstance(exc, asyncio.TimeoutError):
            return self._timeout_error(self.statement_timeout)
        if code in _CONNECTION_CODES or isinstance(exc, (OSError, driver.InterfaceError)):
            return self._connection_error(exc)
        return OperationalError(str(exc))

    def _database_options(self) -> str:
        return f" CHARACTER SET {self.charset}"


class MySQLTransactionClient(PooledTransactionClient, MySQLClient):
    """A MySQLClient pinned to one pooled connection inside BEGIN or a SAVEPOINT."""


MySQLClient.transaction_class = MySQLTransactionClient
