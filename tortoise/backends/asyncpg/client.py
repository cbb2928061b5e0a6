"""The PostgreSQL client on asyncpg: a pool per connection name.

Statements with parameters go through asyncpg's extended protocol, so each SQL text is
prepared once per connection and cached by asyncpg; rows are asyncpg Records (positional
and by-name access).

asyncpg's pool resets every connection it takes back with one more round trip (RESET ALL,
UNLISTEN *, CLOSE ALL, advisory locks).  The ORM's own statements change no session
state, so the reset is sent only for a connection that ran SQL the ORM did not write
(``execute_query``/``execute_script`` with user SQL, or lent out by
``acquire_connection()``); an open transaction is rolled back by asyncpg either way.
"""
from __future__ import annotations

import asyncio
import datetime
import decimal
import inspect
import weakref
from typing import Any, Callable, Sequence

import asyncpg
from asyncpg import exceptions as pg_errors

from tortoise.backends.base.client import Capabilities, Jobs
from tortoise.backends.base.pooled import PooledClient, PooledTransactionClient, socket_open
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.sql.dialects.postgres import PostgresDialect
from tortoise.timezone import get_default_timezone, get_timezone, get_use_tz

# Failures of the connection itself rather than of a statement.
_CONNECTION_ERRORS = (
    pg_errors.PostgresConnectionError,
    pg_errors.CannotConnectNowError,
    pg_errors.TooManyConnectionsError,
    pg_errors.InvalidAuthorizationSpecificationError,
    pg_errors.InvalidCatalogNameError,
    pg_errors.AdminShutdownError,  # the server is stopping (or pg_terminate_backend)
    pg_errors.CrashShutdownError,
    ConnectionError,
)
# Commands whose status tag carries the row count and that return no rows.
_COMMANDS = ("INSERT", "UPDATE", "DELETE", "MERGE")


def _rowcount(status: str) -> int:
    """Row count from a status tag such as ``UPDATE 3`` or ``INSERT 0 1``."""
    tail = status.rpartition(" ")[2]
    return int(tail) if tail.isdigit() else 0


def _session_timezone() -> str:
    """The zone SQL functions (EXTRACT, CAST AS DATE) see datetimes in: UTC when values
    are stored as UTC (``use_tz``), else the configured zone, as on the other databases."""
    return "UTC" if get_use_tz() else get_timezone()


# --- raw SQL with text parameters ------------------------------------------------------------
# Other drivers let raw SQL pass "2026-01-01" for a timestamp parameter; asyncpg binds in
# binary and wants the Python type.  Such text is parsed as the server would parse it.
def _timestamp(text: str) -> datetime.datetime:
    value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        return value
    return value.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def _timestamptz(text: str) -> datetime.datetime:
    value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is not None:
        return value
    return value.replace(tzinfo=datetime.timezone.utc if get_use_tz() else get_default_timezone())


_TEXT_PARSERS: dict[str, Callable[[str], Any]] = {
    "date": datetime.date.fromisoformat,
    "time": datetime.time.fromisoformat,
    "timestamp": _timestamp,
    "timestamptz": _timestamptz,
    "int2": int,
    "int4": int,
    "int8": int,
    "float4": float,
    "float8": float,
    "numeric": decimal.Decimal,
    "bool": lambda text: text.strip().lower() in ("t", "true", "1", "yes", "on"),
}


def _parse_text(value: Any, type_name: str) -> Any:
    parse = _TEXT_PARSERS.get(type_name)
    if parse is None or not isinstance(value, str):
        return value
    try:
        return parse(value)
    except (ValueError, decimal.InvalidOperation):
        return value  # asyncpg reports the bad value


#: asyncpg >= 0.30 lets the pool's reset be replaced (older ones always reset)
_POOL_RESET = "reset" in inspect.signature(asyncpg.create_pool).parameters
#: connections whose session user SQL may have changed: reset when they go back to the pool
_TOUCHED: "weakref.WeakSet[Any]" = weakref.WeakSet()


def _touch(conn: Any) -> None:
    _TOUCHED.add(getattr(conn, "_con", None) or conn)  # the Connection behind a pool's proxy


async def _reset_session(con: Any) -> None:
    """The pool's ``reset``: asyncpg's session reset, for a touched connection only."""
    if con in _TOUCHED:
        _TOUCHED.discard(con)
        await con.reset()


async def _typed_params(conn: Any, sql: str, params: Sequence[Any]) -> list[Any]:
    statement = await conn.prepare(sql)
    return [_parse_text(value, t.name) for value, t in zip(params, statement.get_parameters())]


def _returns_status(sql: str) -> bool:
    head = sql.lstrip()[:6].upper()
    return head.startswith(_COMMANDS) and "RETURNING" not in sql.upper()


# --- operations, run on one connection by ``PooledClient._run`` ----------------------------
async def _fetch(conn: Any, sql: str, params: Sequence[Any]) -> list:
    return await conn.fetch(sql, *params)


async def _write(conn: Any, sql: str, params: Sequence[Any]) -> int:
    return _rowcount(await conn.execute(sql, *params))


async def _insert(conn: Any, sql: str, params: Sequence[Any]) -> Any:
    return await conn.fetchval(sql, *params)


async def _many(conn: Any, sql: str, params_list: Sequence[Sequence[Any]]) -> None:
    await conn.executemany(sql, params_list)


async def _query(conn: Any, sql: str, params: Sequence[Any]) -> tuple[int, list[dict]]:
    _touch(conn)
    try:
        return await _query_once(conn, sql, params)
    except pg_errors.DataError:  # raised before the statement runs: safe to retry
        if not any(isinstance(value, str) for value in params):
            raise
    return await _query_once(conn, sql, await _typed_params(conn, sql, params))


async def _query_once(conn: Any, sql: str, params: Sequence[Any]) -> tuple[int, list[dict]]:
    if _returns_status(sql):
        return _rowcount(await conn.execute(sql, *params)), []
    rows = await conn.fetch(sql, *params)
    return len(rows), [dict(row) for row in rows]


async def _script(conn: Any, sql: str) -> None:
    _touch(conn)
    await conn.execute(sql)


class AsyncpgDBClient(PooledClient):
    jobs = Jobs(fetch=_fetch, write=_write, insert=_insert, many=_many, query=_query, script=_script)
    dialect = PostgresDialect()
    capabilities = Capabilities.of(dialect)
    server_name = "PostgreSQL"
    default_port = 5432
    driver_errors = (
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
        pg_errors.InternalClientError,
        OSError,
        asyncio.TimeoutError,
    )

    def __init__(
        self,
        connection_name: str = "default",
        *,
        schema: str | None = None,
        application_name: str | None = None,
        max_queries: int | str = 50000,
        max_inactive_connection_lifetime: float | str = 300.0,
        **credentials: Any,
    ) -> None:
        super().__init__(connection_name, **credentials)
        self.schema = schema
        self.max_queries = int(max_queries)
        self.max_inactive_connection_lifetime = float(max_inactive_connection_lifetime)
        settings = dict(self.extra.pop("server_settings", None) or {})
        if application_name:
            settings["application_name"] = application_name
        if schema:
            settings["search_path"] = schema
        self.server_settings = settings

    # --- driver hooks --------------------------------------------------------------------------
    def _connect_options(self, database: str | None) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "database": database,
            "server_settings": {"timezone": _session_timezone(), **self.server_settings},
            **self.extra,
        }

    async def _open_pool(self, with_db: bool) -> Any:
        options = self._connect_options(self.database if with_db else "postgres")
        if _POOL_RESET:
            options.setdefault("reset", _reset_session)
        return await asyncpg.create_pool(
            min_size=self.minsize,
            max_size=self.maxsize,
            max_queries=self.max_queries,
            max_inactive_connection_lifetime=self.max_inactive_connection_lifetime,
            **options,
        )

    async def _close_pool(self, pool: Any) -> None:
        try:
            await asyncio.wait_for(pool.close(), 10)
        except asyncio.TimeoutError:  # a connection is still held: cut it off
            pool.terminate()

    async def _connect_admin(self) -> Any:
        return await asyncpg.connect(**self._connect_options("postgres"))

    async def _close_connection(self, conn: Any) -> None:
        await conn.close()

    async def _control(self, conn: Any, sql: str) -> None:
        await conn.execute(sql)

    def _lent(self, conn: Any) -> None:
        _touch(conn)

    def _free_now(self, pool: Any) -> bool:
        # the holder acquire() takes next (a LIFO queue) has an open connection
        holders = pool._queue._queue
        return bool(holders) and holders[-1]._con is not None

    def _usable(self, conn: Any) -> bool:
        raw = self._raw(conn)
        return raw is not None and not raw.is_closed() and socket_open(raw._transport)

    def _unsent(self, exc: BaseException) -> bool:
        # asyncpg checks the connection before writing: "connection is closed"
        if isinstance(exc, asyncpg.InterfaceError):
            return "is closed" in str(exc)
        # An idle connection that received the server's goodbye (FATAL "terminating
        # connection", sent by a restarting server before it closes the socket) is left
        # in an error state: asyncpg refuses to start the next operation ("cannot switch
        # to state …") before writing it, and aborts the connection.
        return isinstance(exc, pg_errors.InternalClientError) and str(exc).startswith("cannot switch to state")

    def _raw(self, conn: Any) -> Any:
        # the Connection behind the pool's proxy; None once the pool took a closed one back
        return getattr(conn, "_con", conn)

    async def _acquire(self, pool: Any) -> Any:
        try:
            return await pool.acquire()
        except asyncio.TimeoutError as exc:  # asyncpg's connect timeout, not a full pool
            raise ConnectionError(f"timed out connecting (timeout={self.extra.get('timeout')})") from exc

    def _discard(self, conn: Any) -> None:
        raw = self._raw(conn)
        if raw is not None:
            raw.terminate()

    def _translate(self, exc: BaseException) -> BaseException:
        if isinstance(exc, pg_errors.IntegrityConstraintViolationError):
            return IntegrityError(str(exc))
        if isinstance(exc, asyncio.TimeoutError):
            return self._timeout_error(self.extra.get("command_timeout"))
        if isinstance(exc, pg_errors.InternalClientError) and self._unsent(exc):
            # asyncpg's own words ("cannot switch to state 11 …") would puzzle a reader
            return self._connection_error(ConnectionError("the server ended the session (shutdown or restart)"))
        if isinstance(exc, _CONNECTION_ERRORS) or self._unsent(exc):
            return self._connection_error(exc)
        return OperationalError(str(exc))



class AsyncpgTransactionClient(PooledTransactionClient, AsyncpgDBClient):
    """An AsyncpgDBClient pinned to one pooled connection inside BEGIN or a SAVEPOINT."""


AsyncpgDBClient.transaction_class = AsyncpgTransactionClient
