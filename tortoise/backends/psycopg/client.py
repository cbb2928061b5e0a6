"""The PostgreSQL client on psycopg 3 (async) with a psycopg_pool pool.

Same dialect as the asyncpg client; SQL is written with ``$n`` placeholders, which are
rewritten once per SQL text to psycopg's ``%s`` (``%`` in the text is doubled first).
Server-side prepared statements are left to psycopg's own per-connection heuristics.
"""
from __future__ import annotations

import asyncio
import re
from functools import lru_cache
from typing import Any, Sequence

import psycopg
from psycopg import errors as pg_errors
from psycopg import pq
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from tortoise.backends.base.client import Capabilities, Jobs
from tortoise.backends.base.pooled import PooledClient, PooledTransactionClient, idle_socket_open
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.sql.dialects.postgres import PostgresDialect
from tortoise.timezone import get_timezone, get_use_tz

_PLACEHOLDER = re.compile(r"\$\d+")


@lru_cache(maxsize=4096)
def _convert(sql: str) -> tuple[str, tuple[int, ...] | None]:
    """``$n`` SQL → psycopg's ``%s`` SQL, and the parameter order when it is not 1, 2, …"""
    numbers = tuple(int(m[1:]) for m in _PLACEHOLDER.findall(sql))
    if not numbers:
        return sql, None
    order = None if numbers == tuple(range(1, len(numbers) + 1)) else tuple(n - 1 for n in numbers)
    return _PLACEHOLDER.sub("%s", sql.replace("%", "%%")), order


def _positional(sql: str, params: Sequence[Any]) -> tuple[str, Sequence[Any] | None]:
    converted, order = _convert(sql)
    if converted is sql:  # no placeholders: sent as is, without parameters
        return sql, None
    return converted, params if order is None else [params[i] for i in order]


def _session_timezone() -> str:
    return "UTC" if get_use_tz() else get_timezone()


# --- operations, run on one connection by ``PooledClient._run`` ----------------------------
async def _fetch(conn: Any, sql: str, params: Sequence[Any]) -> list:
    sql, params = _positional(sql, params)
    async with conn.cursor() as cur:
        await cur.execute(sql, params)
        return await cur.fetchall() if cur.description else []


async def _write(conn: Any, sql: str, params: Sequence[Any]) -> int:
    sql, params = _positional(sql, params)
    async with conn.cursor() as cur:
        await cur.execute(sql, params)
        return max(cur.rowcount, 0)


async def _insert(conn: Any, sql: str, params: Sequence[Any]) -> Any:
    sql, params = _positional(sql, params)
    async with conn.cursor() as cur:
        await cur.execute(sql, params)
        row = await cur.fetchone() if cur.description else None
        return row[0] if row else None


async def _many(conn: Any, sql: str, params_list: Sequence[Sequence[Any]]) -> None:
    converted, order = _convert(sql)
    rows = params_list if order is None else [[p[i] for i in order] for p in params_list]
    async with conn.cursor() as cur:
        await cur.executemany(converted, rows)


async def _query(conn: Any, sql: str, params: Sequence[Any]) -> tuple[int, list[dict]]:
    sql, params = _positional(sql, params)
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(sql, params)
        if cur.description is None:
            return max(cur.rowcount, 0), []
        rows = await cur.fetchall()
        return len(rows), rows


async def _script(conn: Any, sql: str) -> None:
    await conn.execute(sql, prepare=False)


class PsycopgClient(PooledClient):
    jobs = Jobs(fetch=_fetch, write=_write, insert=_insert, many=_many, query=_query, script=_script)
    dialect = PostgresDialect()
    capabilities = Capabilities.of(dialect)
    server_name = "PostgreSQL"
    default_port = 5432
    driver_errors = (psycopg.Error, OSError, asyncio.TimeoutError)

    def __init__(
        self,
        connection_name: str = "default",
        *,
        schema: str | None = None,
        application_name: str | None = None,
        timeout: float | str | None = None,
        command_timeout: float | str | None = None,
        statement_timeout: float | str | None = None,
        **credentials: Any,
    ) -> None:
        super().__init__(connection_name, **credentials)
        self.schema = schema
        self.application_name = application_name
        self.timeout = float(timeout) if timeout is not None else 30.0
        #: seconds a statement may run, enforced by the server (which cancels it and
        #: keeps the connection); asyncpg's spelling ``command_timeout`` also accepted
        seconds = command_timeout if command_timeout not in (None, "") else statement_timeout
        self.command_timeout = float(seconds) if seconds not in (None, "") and float(seconds) > 0 else None

    # --- driver hooks --------------------------------------------------------------------------
    def _conninfo(self, database: str | None) -> dict[str, Any]:
        options = f"-c TimeZone={_session_timezone()}"
        if self.schema:
            options += f" -c search_path={self.schema}"
        if self.command_timeout:
            options += f" -c statement_timeout={max(1, round(self.command_timeout * 1000))}"
        info: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "dbname": database,
            "options": options,
            "autocommit": True,
            **self.extra,
        }
        if self.password:
            info["password"] = self.password
        if self.application_name:
            info["application_name"] = self.application_name
        return info

    async def _open_pool(self, with_db: bool) -> Any:
        info = self._conninfo(self.database if with_db else "postgres")
        # psycopg_pool retries a refused connection until its timeout: connect once first,
        # so that a wrong host, port or password fails at once with the server's reason
        probe = await psycopg.AsyncConnection.connect(connect_timeout=max(1, int(self.timeout)), **info)
        await probe.close()
        pool = AsyncConnectionPool(
            kwargs=info,
            min_size=self.minsize,
            max_size=self.maxsize,
            timeout=self.timeout,
            open=False,
        )
        await pool.open(wait=True, timeout=self.timeout)
        return _Pool(pool)

    async def _close_pool(self, pool: Any) -> None:
        await pool.pool.close(timeout=10)

    async def _connect_admin(self) -> Any:
        return await psycopg.AsyncConnection.connect(**self._conninfo("postgres"))

    async def _close_connection(self, conn: Any) -> None:
        await conn.close()

    async def _control(self, conn: Any, sql: str) -> None:
        await conn.execute(sql, prepare=False)

    def _free_now(self, pool: Any) -> bool:
        # psycopg_pool keeps its idle connections in ``_pool`` (getconn pops from it at once)
        return bool(getattr(pool.pool, "_pool", None))

    def _usable(self, conn: Any) -> bool:
        if conn.closed:
            return False
        pgconn = conn.pgconn
        # an idle autocommit connection has nothing to read unless the server is leaving
        idle = pgconn.transaction_status == pq.TransactionStatus.IDLE and not pgconn.ssl_in_use
        try:
            fd = pgconn.socket
        except psycopg.OperationalError:  # "the connection is lost"
            return False
        return idle_socket_open(fd, silent=idle)

    def _unsent(self, exc: BaseException) -> bool:
        # psycopg checks the connection's status before writing
        return isinstance(exc, psycopg.OperationalError) and str(exc) == "the connection is closed"

    async def _acquire(self, pool: Any) -> Any:
        """psycopg_pool waits for a connection however it fails; a server that cannot be
        reached is found by connecting once after a while, for its own error message."""
        wait = self.options.reconnect_timeout or self.options.acquire_timeout or self.timeout
        while True:
            try:
                return await pool.pool.getconn(timeout=wait)
            except PoolTimeout:
                probe = await psycopg.AsyncConnection.connect(
                    connect_timeout=max(1, int(self.timeout)), **pool.pool.kwargs
                )
                await probe.close()  # reachable: the pool is only busy, keep waiting

    def _discard(self, conn: Any) -> None:
        try:
            conn.pgconn.finish()
        except Exception:  # already gone
            pass

    def _translate(self, exc: BaseException) -> BaseException:
        if isinstance(exc, pg_errors.IntegrityError):
            return IntegrityError(str(exc))
        if isinstance(exc, asyncio.TimeoutError):
            return OperationalError(f"statement timed out on {self.host}:{self.port}")
        if isinstance(exc, pg_errors.QueryCanceled) and self.command_timeout:
            return self._timeout_error(self.command_timeout)
        if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError, OSError)) and not isinstance(
            exc, pg_errors.QueryCanceled
        ):
            return self._connection_error(exc)
        return OperationalError(str(exc))


class _Pool:
    """psycopg_pool's pool with the acquire()/release() pair the pooled client uses."""

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self.pool = pool

    def acquire(self) -> "_Acquire":
        return _Acquire(self.pool)

    async def release(self, conn: Any) -> None:
        await self.pool.putconn(conn)


class _Acquire:
    """``await pool.acquire()`` or ``async with pool.acquire() as conn``."""

    __slots__ = ("pool", "conn")

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self.pool = pool
        self.conn: Any = None

    def __await__(self):
        return self.pool.getconn().__await__()

    async def __aenter__(self) -> Any:
        self.conn = await self.pool.getconn()
        return self.conn

    async def __aexit__(self, *exc: Any) -> None:
        await self.pool.putconn(self.conn)


class PsycopgTransactionClient(PooledTransactionClient, PsycopgClient):
    """A PsycopgClient pinned to one pooled connection inside BEGIN or a SAVEPOINT."""


PsycopgClient.transaction_class = PsycopgTransactionClient
