"""The client interface every backend implements, and the shared transaction logic.

A client owns the connection(s) of one connection name.  The ORM only calls the
``execute_*`` / ``fetch_rows`` methods and ``_in_transaction()``; everything
driver-specific (pools, threads, error mapping) lives in the backend subclasses.

Transactions: ``_in_transaction()`` returns a transaction context.  Entering it asks the
client for a *transaction client* pinned to one connection (``_begin``); the ORM's context
(tortoise/transactions.py, installed as ``BaseDBAsyncClient._transaction_context``) also
makes the connection name resolve to that client in the current task while the block
runs, so every query in the block uses it.  Entering ``_in_transaction()`` on a
transaction client opens a savepoint instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Sequence

from tortoise.exceptions import TransactionManagementError
from tortoise.sql.dialects.base import Dialect


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do; tests and the ORM branch on these, not on driver names.

    Everything but ``daemon`` (a property of the client) comes from the dialect:
    ``Capabilities.of(dialect)``."""

    dialect: str
    daemon: bool = True
    requires_limit: bool = False
    inline_comment: bool = False
    supports_transactions: bool = True
    support_for_update: bool = True
    support_index_hint: bool = False
    support_update_limit_order_by: bool = True
    can_rollback_ddl: bool = True
    supports_returning: bool = False
    #: ``F("data__key__0")`` reads inside a JSONField (Tortoise's name)
    support_json_attributes: bool = False
    #: the ``posix_regex``/``iposix_regex`` lookups work (Tortoise's name)
    support_for_posix_regex_queries: bool = False

    @property
    def support_returning(self) -> bool:
        """Tortoise's name of ``supports_returning``."""
        return self.supports_returning

    @classmethod
    def of(cls, dialect: Dialect, daemon: bool = True) -> "Capabilities":
        return cls(
            dialect.name,
            daemon=daemon,
            requires_limit=dialect.requires_limit,
            inline_comment=dialect.inline_comment,
            support_for_update=dialect.supports_for_update,
            support_index_hint=dialect.supports_index_hints,
            support_update_limit_order_by=dialect.supports_update_limit_order_by,
            can_rollback_ddl=dialect.can_rollback_ddl,
            supports_returning=dialect.supports_returning,
            support_json_attributes=dialect.supports_json_attributes,
            support_for_posix_regex_queries=dialect.supports_posix_regex,
        )


@dataclass(frozen=True)
class Jobs:
    """A backend's statement runners, each called as ``job(connection, *args)`` by ``_run``."""

    fetch: Any  # (sql, params) → rows as sequences
    write: Any  # (sql, params) → affected row count
    insert: Any  # (sql, params) → generated primary key or None
    many: Any  # (sql, list of params) → None
    query: Any  # (sql, params) → (row count, rows as dicts)
    script: Any  # (script) → None
    # The same work as ``write``/``insert`` for a statement that touches one row (a model
    # instance's INSERT, or UPDATE/DELETE by primary key): its cost is bounded, which a
    # backend may use (SQLite runs it without a thread hop inside a transaction).
    row_write: Any = None
    row_insert: Any = None

    def __post_init__(self) -> None:
        if self.row_write is None:
            object.__setattr__(self, "row_write", self.write)
        if self.row_insert is None:
            object.__setattr__(self, "row_insert", self.insert)


class BaseDBAsyncClient:
    """Base of every database client (and of transaction clients)."""

    dialect: Dialect
    capabilities: Capabilities
    jobs: Jobs

    def __init__(self, connection_name: str = "default", fetch_inserted: bool = True, **kwargs: Any) -> None:
        self.connection_name = connection_name
        self.fetch_inserted = fetch_inserted

    # --- lifecycle (backends implement) ------------------------------------------------
    async def create_connection(self, with_db: bool) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def db_create(self) -> None:
        raise NotImplementedError

    async def db_delete(self) -> None:
        raise NotImplementedError

    # --- execution: every statement is one job run by the backend's ``_run`` -------------
    # Every statement the ORM runs passes through one of the public ``execute_*`` methods
    # (the ORM's own SELECTs and UPDATE/DELETEs through ``execute_query`` with the job that
    # returns their leaner result shape), so that whatever wraps those methods - such as
    # OpenTelemetry's Tortoise instrumentation - sees each query exactly once.
    async def _run(self, job: Any, *args: Any) -> Any:
        """Run ``job(connection, *args)`` on a connection; map driver errors."""
        raise NotImplementedError

    # ``fetch_rows`` and ``execute_write`` return ``execute_query``'s coroutine instead of
    # awaiting it in one of their own: a frame fewer on every ORM statement.
    def fetch_rows(self, sql: str, params: Sequence[Any] = ()) -> Awaitable[list[Sequence[Any]]]:
        """Run a SELECT (await the result); rows come back as positional sequences."""
        return self.execute_query(sql, params, _job=self.jobs.fetch)

    def execute_write(self, sql: str, params: Sequence[Any] = (), *, _job: Any = None) -> Awaitable[int]:
        """Run an UPDATE/DELETE (await the result): the number of affected rows.

        ``_job`` (ORM-internal): ``jobs.row_write`` for a statement on one row by key.
        """
        return self.execute_query(sql, params, _job=_job or self.jobs.write)

    async def execute_insert(self, sql: str, params: Sequence[Any], *, _job: Any = None) -> Any:
        """Run an INSERT; return the generated primary key (or None).

        ``_job`` (ORM-internal): ``jobs.row_insert`` for a one-row INSERT.
        """
        return await self._run(_job or self.jobs.insert, sql, params)

    async def execute_many(self, sql: str, params_list: Sequence[Sequence[Any]]) -> None:
        await self._run(self.jobs.many, sql, params_list)

    async def execute_query(self, query: str, values: Sequence[Any] | None = None, *, _job: Any = None) -> Any:
        """Run any statement; return (affected or fetched row count, rows as dicts).

        ``_job`` (ORM-internal) runs another job of ``self.jobs`` and returns its result.
        """
        return await self._run(_job or self.jobs.query, query, values or ())

    async def execute_query_dict(self, query: str, values: Sequence[Any] | None = None) -> list[dict]:
        return (await self._run(self.jobs.query, query, values or ()))[1]

    async def execute_script(self, query: str) -> None:
        await self._run(self.jobs.script, query)

    async def execute_query_dict_with_affected(
        self, query: str, values: Sequence[Any] | None = None
    ) -> tuple[list[dict], int]:
        """Run any statement; return (rows as dicts, affected or fetched row count)."""
        count, rows = await self.execute_query(query, values)
        return rows, count

    @property
    def query_class(self) -> Any:
        """The pypika Query class of this database (its ``SQL_CONTEXT`` renders pypika
        queries for it); needs the optional pypika-tortoise package."""
        from tortoise.query_api import pypika_object

        return pypika_object(self.dialect.pypika_query)

    # --- transactions ---------------------------------------------------------------------
    def _in_transaction(self) -> "TransactionContext":
        return self._transaction_context(self)

    async def _begin(self) -> "BaseDBAsyncClient":
        """Return a client pinned to one connection with a transaction (or savepoint) begun."""
        raise NotImplementedError

    async def _end(self, commit: bool) -> None:
        """Commit or roll back the transaction begun by ``_begin`` and release it."""
        raise NotImplementedError

    async def commit(self) -> None:
        raise TransactionManagementError("commit() is only allowed inside a transaction")

    async def rollback(self) -> None:
        raise TransactionManagementError("rollback() is only allowed inside a transaction")

    def acquire_connection(self) -> Any:
        """Async context manager yielding the driver connection (for raw access)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.connection_name!r}>"


class ConnectionWrapper:
    """``async with ConnectionWrapper(lock, client) as conn``: the driver connection of a
    single-connection client (its ``_connection``), opened on first use and held under
    ``lock`` so that tasks run together (``asyncio.gather``) take turns on it.

    Tortoise's name and arguments, for backends written against Tortoise's client API."""

    __slots__ = ("client", "connection", "_lock")

    def __init__(self, lock: Any, client: BaseDBAsyncClient) -> None:
        self._lock = lock
        self.client = client
        self.connection: Any = getattr(client, "_connection", None)

    async def ensure_connection(self) -> None:
        if self.connection is None:
            await self.client.create_connection(with_db=True)
            self.connection = getattr(self.client, "_connection", None)

    async def __aenter__(self) -> Any:
        await self._lock.acquire()
        try:
            await self.ensure_connection()
        except BaseException:
            self._lock.release()
            raise
        return self.connection

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self._lock.release()


class TransactionContext:
    """``async with client._in_transaction() as conn``: commit on success, roll back on error.

    Cancellation counts as an error: the transaction is rolled back and its connection
    returned clean.  ``conn.commit()``/``conn.rollback()`` inside the block end it early.
    """

    __slots__ = ("client", "tx")

    def __init__(self, client: BaseDBAsyncClient) -> None:
        self.client = client
        self.tx: BaseDBAsyncClient | None = None

    async def __aenter__(self) -> BaseDBAsyncClient:
        self.tx = await self.client._begin()
        return self.tx

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        await self.tx._end(commit=exc_type is None)  # type: ignore[union-attr]


#: the context ``_in_transaction()`` makes; tortoise.transactions installs the ORM's
BaseDBAsyncClient._transaction_context = TransactionContext  # type: ignore[attr-defined]
