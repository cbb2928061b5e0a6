"""What the pooled clients (PostgreSQL, MySQL) share.

A lazily opened driver pool; every statement runs through ``_run(op, *args)``, which
calls ``op(conn, *args)`` on a pooled connection (``op`` is a small driver function such
as "fetch all rows").  A transaction client is the same driver client pinned to one
pooled connection: ``_run`` uses that connection, under a lock so that tasks sharing the
transaction (``asyncio.gather`` inside the block) take turns instead of colliding.

Ending a transaction (COMMIT/ROLLBACK and returning the connection) runs shielded from
cancellation, so a cancelled task still leaves a clean connection in the pool.

Connection health (see ``PoolOptions``): a checked-out connection that is already closed,
older than ``max_age`` or (with ``pre_ping``) does not answer a ping is discarded and
replaced before any statement is sent.  A statement that fails because the connection
was found dead *before it was sent* is retried on another connection, outside
transactions only, until it runs on a fresh one (each dead one is discarded, so at most
``maxsize`` + 1 retries); a statement that may have reached the server is never retried.
An exception the driver raises outside ``driver_errors`` still reaches the caller as a
tortoise exception with the original chained (``_unexpected``).  While
a server that was reachable before is restarting, checkout keeps trying to connect for
``reconnect_timeout`` seconds instead of failing at once.

The hook contract — what a driver client supplies (a psycopg client can plug in here):

- ``driver_errors``: the exceptions the driver raises; ``_translate(exc)`` maps one to a
  tortoise exception (``_connection_error(exc)`` for failures of the connection itself);
- ``_open_pool(with_db)`` / ``_close_pool(pool)``; ``_acquire(pool)`` / ``_release(pool,
  conn)`` return awaitables, by default ``pool.acquire()`` / ``pool.release(conn)``;
  ``_free_now(pool)``: True when an idle connection can be handed out without waiting
  (checkout then runs without the ``acquire_timeout`` timer);
- ``_connect_admin()`` / ``_close_connection(conn)``: a connection outside the pool, for
  CREATE/DROP DATABASE;
- ``_control(conn, sql)``: run a parameterless statement such as BEGIN;
- ``_usable(conn)``: no network traffic, True unless the connection is known to be closed
  or broken (``socket_open(transport)`` asks the kernel whether the peer hung up);
  ``_discard(conn)``: close it at once (the pool replaces it);
- ``_ping(conn)``: one round trip, raising a driver error if the connection is dead;
- ``_unsent(exc)``: True when ``exc`` proves the statement never left the client;
- optionally ``_interrupted(conn)`` (a statement was cancelled mid-flight),
  ``_raw(conn)`` (the driver connection behind a pool's wrapper, for ``max_age``) and
  ``_lent(conn)`` (``acquire_connection()`` hands ``conn`` to user code);
- ``transaction_class``: ``class X(PooledTransactionClient, TheDriverClient)``.
"""
from __future__ import annotations

import asyncio
import logging
import os
import select
import socket
import sys
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import (
    BaseORMException,
    ConfigurationError,
    DBConnectionError,
    OperationalError,
    PoolExhaustedError,
    TransactionManagementError,
)

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


class _Uncancellable(asyncio.Task):
    """A task that refuses ``cancel()``.  A task awaiting it and cancelled meanwhile
    cannot pass the cancellation down (asyncio cancels the awaited future first); it is
    raised in the awaiting task once this one has finished."""

    def cancel(self, msg: Any = None) -> bool:
        return False


async def _shielded(coro: Awaitable[Any]) -> Any:
    """Await ``coro`` to completion even if the awaiting task is cancelled meanwhile; the
    cancellation is raised when ``coro`` is done.  Half the cost of ``asyncio.shield``
    (no outer future, one loop pass fewer), paid for every COMMIT."""
    return await _Uncancellable(coro)


if sys.version_info >= (3, 11):

    async def bounded(awaitable: Awaitable[Any], seconds: float | None) -> Any:
        """``await awaitable`` for at most ``seconds`` (TimeoutError), without a new task."""
        if seconds is None:  # no timer to arm and cancel
            return await awaitable
        async with asyncio.timeout(seconds):
            return await awaitable

else:  # pragma: no cover
    bounded = asyncio.wait_for


def describe(exc: BaseException) -> str:
    """``Type: text`` on one line, without a final period (messages go on after it)."""
    text = " ".join(str(exc).split()).rstrip(".")
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _sentence(exc: BaseException) -> str:
    """``describe(exc)`` ended as a sentence, for a message that goes on after it."""
    text = describe(exc)
    return text if text.endswith(("?", "!")) else text + "."


_TCP_INFO = getattr(socket, "TCP_INFO", None)  # Linux
_TCP_ESTABLISHED = 1
# poll events that say a connection is over (POLLRDHUP: Linux; elsewhere the byte-peeking path)
_POLL_GONE = (
    select.POLLRDHUP | select.POLLHUP | select.POLLERR | select.POLLNVAL
    if hasattr(select, "poll") and hasattr(select, "POLLRDHUP")
    else 0
)
_POLL_SILENT = _POLL_GONE | (select.POLLIN if _POLL_GONE else 0)


def socket_open(transport: Any) -> bool:
    """False when the transport is closed or its TCP peer already hung up.

    The kernel learns of a server's FIN or RST before the event loop does; asking it
    (one ``poll`` on the descriptor, else one ``getsockopt``; no network traffic) finds a
    dead pooled connection before a statement is written to it.  Where neither
    ``POLLRDHUP`` nor TCP_INFO is known, only the transport is checked.
    """
    if transport is None or transport.is_closing():
        return False
    sock = transport.get_extra_info("socket")
    if sock is None:
        return True
    if _POLL_GONE:
        return _quiet(sock.fileno(), _POLL_GONE)
    return _established(sock)


def _quiet(fd: int, events: int) -> bool:
    """True when ``poll`` reports none of ``events`` (nor a hang-up or error) on ``fd``."""
    if fd < 0:
        return False
    poller = select.poll()
    poller.register(fd, events)
    return not poller.poll(0)


def idle_socket_open(fd: int, silent: bool) -> bool:
    """``socket_open`` for a driver that keeps a bare file descriptor (libpq).

    With ``silent``, also False when the idle connection has bytes waiting: a server
    that speaks unprompted to an idle client is saying goodbye (PostgreSQL sends FATAL
    "terminating connection" and closes a moment later).  Only for plain connections:
    over TLS the waiting bytes may be the protocol's own.

    This runs before every statement, so where ``poll`` exists it is one system call on
    the descriptor itself: the kernel reports the peer's FIN (``POLLRDHUP``), a reset or
    error (``POLLHUP``/``POLLERR``), a closed descriptor (``POLLNVAL``) and, for an idle
    connection, waiting bytes (``POLLIN``) -- no socket object, no ``dup``.
    """
    if _POLL_GONE:
        return _quiet(fd, _POLL_SILENT if silent else _POLL_GONE)
    if fd < 0:
        return False
    try:
        sock = socket.socket(fileno=os.dup(fd))
    except OSError:  # the descriptor is gone
        return False
    with sock:
        if not _established(sock):
            return False
        if not silent:
            return True
        try:
            sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return True  # nothing to read: quiet, as an idle connection is
        except OSError:
            return False
        return False  # end of stream, or a message nobody asked for


def _established(sock: Any) -> bool:
    """Ask the kernel whether a TCP socket is still established (other sockets: True).

    The family is looked at only when the question fails: reading it converts it to an
    enum, which costs as much as the system call itself (this runs for every statement).
    """
    if _TCP_INFO is None:
        return True
    try:
        return sock.getsockopt(socket.IPPROTO_TCP, _TCP_INFO, 1)[0] == _TCP_ESTABLISHED
    except OSError:  # not a TCP socket (no TCP_INFO on a Unix socket), or the socket is gone
        return sock.family not in (socket.AF_INET, socket.AF_INET6)
    except (AttributeError, NotImplementedError):  # another event loop's socket wrapper
        return True


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _seconds(value: Any) -> float | None:
    """A duration option: None, or a positive number of seconds (0 or less: off)."""
    if value is None or value == "":
        return None
    seconds = float(value)
    return seconds if seconds > 0 else None


@dataclass(frozen=True)
class PoolOptions:
    """Health options shared by the pooled clients (credentials / URL parameters)."""

    #: ping every connection on checkout (one round trip); off by default
    pre_ping: bool = False
    #: close connections older than this many seconds (counted from their first use)
    max_age: float | None = None
    #: seconds to wait for a free connection before PoolExhaustedError
    acquire_timeout: float | None = 30.0
    #: seconds checkout keeps reconnecting to a server that was reachable before
    reconnect_timeout: float | None = 10.0

    @classmethod
    def pop_from(cls, extra: dict[str, Any]) -> "PoolOptions":
        defaults = cls()
        return cls(
            pre_ping=_flag(extra.pop("pre_ping", defaults.pre_ping)),
            max_age=_seconds(extra.pop("max_age", defaults.max_age)),
            acquire_timeout=_seconds(extra.pop("acquire_timeout", defaults.acquire_timeout)),
            reconnect_timeout=_seconds(extra.pop("reconnect_timeout", defaults.reconnect_timeout)),
        )


class PooledClient(BaseDBAsyncClient):
    """A client owning a driver connection pool for one connection name."""

    #: human name of the server, for error messages
    server_name = ""
    default_port = 0
    driver_errors: tuple[type[BaseException], ...] = ()
    transaction_class: type["PooledTransactionClient"]
    #: client-side bound on one statement (seconds); None: the driver's own or none
    statement_timeout: float | None = None

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
        self.options = PoolOptions.pop_from(extra)
        #: driver options passed through unchanged
        self.extra = extra
        self._pool: Any = None
        self._pool_lock = asyncio.Lock()
        #: id(driver connection) → (connection, first checkout time), for ``max_age``
        self._born: dict[int, tuple[Any, float]] = {}
        #: a pool has been opened once: the server existed, so a refusal is a restart
        self._reached = False

    # --- driver hooks ------------------------------------------------------------------------
    async def _open_pool(self, with_db: bool) -> Any:
        raise NotImplementedError

    async def _close_pool(self, pool: Any) -> None:
        raise NotImplementedError

    def _acquire(self, pool: Any) -> Awaitable[Any]:
        return pool.acquire()

    def _free_now(self, pool: Any) -> bool:
        """True when ``_acquire`` can hand out an idle connection without waiting for
        another task: it then runs without the ``acquire_timeout`` timer (arming and
        cancelling one costs about a tenth of a small statement's client time)."""
        return False

    def _release(self, pool: Any, conn: Any) -> Awaitable[Any]:
        return pool.release(conn)

    async def _give_back(self, pool: Any, conn: Any) -> None:
        """Release ``conn``; a failure (the driver's reset hit a dead connection, which the
        pool then drops) must not turn a statement that succeeded into an error."""
        try:
            await self._release(pool, conn)
        except Exception as exc:  # drivers also raise internal errors on a broken protocol state
            logger.debug("releasing a connection to %s failed: %s", self._where, describe(exc))

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

    async def _ping(self, conn: Any) -> None:
        await self._control(conn, "SELECT 1")

    def _unsent(self, exc: BaseException) -> bool:
        """True when the driver error ``exc`` proves the statement was never sent."""
        return False

    def _raw(self, conn: Any) -> Any:
        return conn

    def _translate(self, exc: BaseException) -> BaseException:
        raise NotImplementedError

    def _interrupted(self, conn: Any) -> None:
        """Called when a statement on ``conn`` was cancelled mid-flight."""

    def _lent(self, conn: Any) -> None:
        """Called when ``acquire_connection()`` hands ``conn`` to user code."""

    # --- errors ------------------------------------------------------------------------------
    @property
    def _where(self) -> str:
        return f"{self.server_name} at {self.host}:{self.port}"

    def _connection_error(self, exc: BaseException) -> DBConnectionError:
        """One message naming the server and what to check (never wrapped twice)."""
        if isinstance(exc, DBConnectionError):
            return exc
        return DBConnectionError(
            f"connection to {self._where} failed: {_sentence(exc)} Check that the server is "
            f"running and reachable at {self.host}:{self.port} and that the user, password and "
            f"database '{self.database}' of connection '{self.connection_name}' are right"
        )

    def _lost_error(self, exc: BaseException, during: str, outcome: str) -> DBConnectionError:
        return DBConnectionError(
            f"connection to {self._where} was lost {during}: {_sentence(exc)} The server closed "
            f"it (restart, failover, idle timeout such as MySQL's wait_timeout, or a network "
            f"drop); {outcome}"
        )

    def _unexpected(self, conn: Any, exc: BaseException) -> BaseORMException:
        """A driver exception outside ``driver_errors``: a connection the driver gave up
        on is a connection error, anything else an OperationalError naming the driver's."""
        if isinstance(exc, BaseORMException):
            return exc
        if conn is not None and not self._usable(conn):
            return self._connection_error(exc)
        return OperationalError(f"unexpected error from the driver of {self._where}: {describe(exc)}")

    def _timeout_error(self, seconds: float | None) -> OperationalError:
        limit = f" after {seconds:g} s" if seconds else ""
        return OperationalError(
            f"statement timed out{limit} on {self._where} (statement_timeout / command_timeout)"
        )

    def _failed(self, conn: Any, exc: BaseException) -> BaseException:
        """What to raise for ``exc``, raised by a statement on ``conn`` (``exc`` itself
        when it passes unchanged: a cancellation, or already a tortoise exception)."""
        if isinstance(exc, asyncio.CancelledError):
            self._interrupted(conn)
            return exc
        if isinstance(exc, asyncio.TimeoutError):  # before driver_errors: it is an OSError
            if self.statement_timeout is None:
                return self._translate(exc)
            self._interrupted(conn)
            return self._timeout_error(self.statement_timeout)
        if isinstance(exc, self.driver_errors):
            return self._translate(exc)
        if isinstance(exc, Exception):
            return self._unexpected(conn, exc)
        return exc

    async def _statement(self, conn: Any, sql: str) -> None:
        try:
            await self._control(conn, sql)
        except self.driver_errors as exc:
            raise self._translate(exc) from exc
        except Exception as exc:
            raise self._unexpected(conn, exc) from exc

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
                self._reached = True
        return self._pool

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        self._born.clear()
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

    # --- checkout ----------------------------------------------------------------------------
    async def _checkout(self, pool: Any) -> Any:
        """A pooled connection that is open (and, with ``pre_ping``, answers).

        Dead connections are discarded before anything is sent on them; at most
        ``maxsize`` of them in a row, since every one found after that is a fresh one.
        """
        for _ in range(self.maxsize + 1):
            conn = await self._acquire_or_wait(pool)
            if self._fit(conn) and (not self.options.pre_ping or await self._answers(pool, conn)):
                return conn
            self._discard(conn)
            await self._give_back(pool, conn)
        return await self._acquire_or_wait(pool)

    def _fit(self, conn: Any) -> bool:
        """Open, and not older than ``max_age`` (no network traffic)."""
        if not self._usable(conn):
            return False
        if self.options.max_age is not None and self._too_old(conn):
            logger.debug("recycling a connection to %s older than %ss", self._where, self.options.max_age)
            return False
        return True

    async def _answers(self, pool: Any, conn: Any) -> bool:
        """``pre_ping``: True when ``conn`` answers a ping."""
        try:
            await self._ping(conn)
        except Exception as exc:  # whatever the driver raises, the connection is not fit
            logger.info("pre-ping on a pooled connection to %s failed: %s", self._where, describe(exc))
            return False
        except BaseException:  # cancelled during the ping: nothing may keep the connection
            self._discard(conn)
            await _shielded(self._give_back(pool, conn))
            raise
        return True

    def _too_old(self, conn: Any) -> bool:
        raw, now = self._raw(conn), time.monotonic()
        seen = self._born.get(id(raw))
        if seen is None or seen[0] is not raw:
            if len(self._born) > 4 * self.maxsize:  # forget connections the pool closed
                self._born = {k: v for k, v in self._born.items() if self._usable(v[0])}
            self._born[id(raw)] = (raw, now)
            return False
        if now - seen[1] < self.options.max_age:  # type: ignore[operator]
            return False
        del self._born[id(raw)]
        return True

    async def _acquire_or_wait(self, pool: Any) -> Any:
        """``_acquire`` bounded by ``acquire_timeout``; refusals retried while restarting."""
        started = time.monotonic()
        delay = 0.05
        while True:
            try:
                if self._free_now(pool):
                    return await self._acquire(pool)
                return await bounded(self._acquire(pool), self.options.acquire_timeout)
            except asyncio.TimeoutError as exc:
                raise self._exhausted(exc) from exc
            except Exception as exc:
                error = self._translate(exc) if isinstance(exc, self.driver_errors) else self._connection_error(exc)
                window = self.options.reconnect_timeout if self._reached else None
                waited = time.monotonic() - started
                if not isinstance(error, DBConnectionError) or window is None or waited + delay > window:
                    raise error from exc
                logger.info("%s is not accepting connections (%s); retrying", self._where, describe(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)

    def _exhausted(self, exc: BaseException) -> PoolExhaustedError:
        return PoolExhaustedError(
            f"no connection to {self._where} became free within {self.options.acquire_timeout:g} s: "
            f"all {self.maxsize} connections of the pool (maxsize={self.maxsize}) are in use. Raise "
            "maxsize or acquire_timeout, or look for tasks holding connections (long transactions)"
        )

    # --- execution ---------------------------------------------------------------------------
    async def _run(self, op: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        """Run ``op(conn, *args)`` on a pooled connection, driver errors mapped.

        Retried on another connection when one proved dead before the statement was sent
        (never when it may have reached the server).  After a restart every pooled
        connection may be dead in a way only a send attempt reveals (asyncpg refuses to
        start an operation on one that received the server's goodbye), so up to
        ``maxsize`` + 1 retries: each dead one is discarded, the last one is fresh.
        """
        pool = self._pool or await self._ensure_pool()
        retries_left = self.maxsize + 1
        while True:
            conn = None
            if not self.options.pre_ping and self.options.max_age is None and self._free_now(pool):
                # an idle connection is free and no pre_ping/max_age applies: the driver's
                # acquire and the socket check, without the timer and retry layers
                try:
                    conn = await self._acquire(pool)
                except Exception:  # the full checkout below reports it (or waits out a restart)
                    conn = None
                else:
                    if not self._usable(conn):
                        self._discard(conn)
                        await self._give_back(pool, conn)
                        conn = None
            if conn is None:
                conn = await self._checkout(pool)
            try:
                if self.statement_timeout is None:
                    return await op(conn, *args)
                return await bounded(op(conn, *args), self.statement_timeout)
            except BaseException as exc:
                error = self._failed(conn, exc)
                if error is exc:
                    raise
                if not isinstance(error, DBConnectionError):
                    raise error from exc
                if not self._unsent(exc):
                    raise self._lost_error(
                        exc, "during a statement", "the statement may or may not have run"
                    ) from exc
                if not retries_left:
                    raise error from exc
                retries_left -= 1
                logger.info("retrying a statement never sent on a dead connection to %s", self._where)
                self._discard(conn)
            finally:
                await self._give_back(pool, conn)

    @asynccontextmanager
    async def acquire_connection(self) -> AsyncIterator[Any]:
        pool = self._pool or await self._ensure_pool()
        conn = await self._checkout(pool)
        self._lent(conn)
        try:
            yield conn
        finally:
            await self._give_back(pool, conn)

    # --- transactions ------------------------------------------------------------------------
    async def _begin(self) -> "PooledTransactionClient":
        """BEGIN on a healthy connection, on another one if it proves dead: a transaction
        that never began has nothing to lose (after a restart every pooled one may be)."""
        pool = self._pool or await self._ensure_pool()
        for attempt in range(self.maxsize + 1, -1, -1):
            conn = await self._checkout(pool)
            try:
                await self._statement(conn, "BEGIN")
            except BaseException as exc:
                self._discard(conn)
                await _shielded(self._give_back(pool, conn))
                if attempt and isinstance(exc, DBConnectionError):
                    continue
                raise
            return self.transaction_class(self, _Pinned(pool, conn), savepoint=None)
        raise AssertionError("unreachable")  # pragma: no cover


class _Pinned:
    """The pooled connection a transaction holds, shared with its savepoints.

    ``conn`` becomes None once the transaction has ended (and the connection is back in
    the pool).  ``lost`` is set when the connection died during the transaction.
    """

    __slots__ = ("pool", "conn", "lock", "savepoints", "lost")

    def __init__(self, pool: Any, conn: Any) -> None:
        self.pool = pool
        self.conn = conn
        self.lock = asyncio.Lock()
        self.savepoints = 0
        self.lost = False


class PooledTransactionClient(PooledClient):
    """Mixin placed before a driver client: everything runs on one pinned connection.

    ``savepoint`` is None for the transaction itself, else the savepoint's name.  After
    the transaction ends (``commit()``/``rollback()`` inside the block), statements fall
    back to the pool, in autocommit mode.  A connection lost inside the transaction is
    never replaced: later statements raise TransactionManagementError until the block
    ends (the server rolled the transaction back when the connection died).
    """

    def __init__(self, root: PooledClient, pinned: _Pinned, savepoint: str | None) -> None:
        vars(self).update(vars(root))  # credentials and settings, for errors and fallbacks
        self._root = root
        self._pinned = pinned
        self._savepoint = savepoint
        self._finished = False

    def _broken(self) -> TransactionManagementError:
        return TransactionManagementError(
            f"the connection to {self._where} was lost inside this transaction, so the server "
            "rolled it back; leave the block and run the transaction again"
        )

    async def _run(self, op: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        pinned = self._pinned
        lock = pinned.lock
        await lock.acquire()
        try:
            conn = pinned.conn
            if conn is not None:
                if pinned.lost or not self._usable(conn):
                    pinned.lost = True
                    raise self._broken()
                try:
                    if self.statement_timeout is None:
                        return await op(conn, *args)
                    return await bounded(op(conn, *args), self.statement_timeout)
                except BaseException as exc:
                    error = self._failed(conn, exc)
                    if error is exc:
                        raise
                    if isinstance(error, DBConnectionError):
                        pinned.lost = True
                        raise self._lost_error(
                            exc, "inside a transaction", "the server rolled the transaction back; run it again"
                        ) from exc
                    raise error from exc
        finally:
            lock.release()
        return await self._root._run(op, *args)

    @asynccontextmanager
    async def acquire_connection(self) -> AsyncIterator[Any]:
        pinned = self._pinned
        async with pinned.lock:
            if pinned.conn is not None:
                self._lent(pinned.conn)
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
            if pinned.lost or not self._usable(pinned.conn):
                pinned.lost = True
                raise self._broken()
            pinned.savepoints += 1
            name = f"aldabra_sp{pinned.savepoints}"
            try:
                await self._statement(pinned.conn, f"SAVEPOINT {name}")
            except DBConnectionError:
                pinned.lost = True
                raise
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
                await self._give_back(pinned.pool, conn)

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
        mid-flight, or the server went away) needs no ROLLBACK: the server rolls back on
        disconnect.  A COMMIT on such a connection cannot happen: that is an error.
        """
        if self._pinned.lost or not self._usable(conn):
            self._pinned.lost = True
            self._discard(conn)
            if commit:
                raise self._broken()
            logger.debug("connection closed during the transaction; the server rolled it back")
            return
        try:
            await self._statement(conn, sql)
        except DBConnectionError as error:
            self._pinned.lost = True
            self._discard(conn)
            if not commit:
                return  # rolled back by the server when the connection died
            raise TransactionManagementError(
                f"the connection to {self._where} was lost while running {sql}: the server may "
                "or may not have committed the transaction; check before running it again"
            ) from error.__cause__
        except BaseException:
            self._discard(conn)
            raise
