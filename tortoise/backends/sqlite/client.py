"""The SQLite client: one connection per connection name, on its own thread.

Short statements skip the thread when they can (see worker.py): reads when the worker is
idle and no other task's transaction holds the connection, and, inside a transaction
that has written (so holds the write lock), one-row INSERT/UPDATE/DELETE of model
instances.  Everything else - autocommit writes, bulk and queryset writes, scripts, raw
SQL - runs on the worker.
"""
from __future__ import annotations

import asyncio
import os
import sqlite3
from typing import Any, NoReturn

from tortoise.backends.base.client import BaseDBAsyncClient, Capabilities, Jobs
from tortoise.backends.sqlite import worker as sqlite_jobs
from tortoise.backends.sqlite.worker import SqliteWorker
from tortoise.config import SQLITE_PRAGMAS
from tortoise.exceptions import (
    BaseORMException,
    DBConnectionError,
    IntegrityError,
    OperationalError,
    TransactionManagementError,
)
from tortoise.sql.dialects.sqlite import SqliteDialect

_DIALECT = SqliteDialect()
_FETCH = sqlite_jobs.fetch_all
_ON_WORKER = sqlite_jobs.ON_WORKER
_ROW_WRITES = frozenset({sqlite_jobs.write_row, sqlite_jobs.insert_row})
#: jobs after which the transaction holds SQLite's write lock
_WRITES = _ROW_WRITES | {sqlite_jobs.execute_rowcount, sqlite_jobs.execute_insert, sqlite_jobs.execute_many}


def _mapped(exc: BaseException) -> BaseException:
    """Translate what running a statement raised to the tortoise exception raised from it
    (sqlite3 also raises plain Python errors, such as OverflowError for a huge int)."""
    if isinstance(exc, BaseORMException):
        return exc
    if isinstance(exc, sqlite3.IntegrityError):
        return IntegrityError(str(exc))
    if isinstance(exc, sqlite3.Error):
        return OperationalError(str(exc))
    return OperationalError(f"SQLite could not run the statement: {type(exc).__name__}: {exc}")


def _raise_mapped(exc: Exception) -> NoReturn:
    mapped = _mapped(exc)
    if mapped is exc:
        raise exc
    raise mapped from exc


class SqliteClient(BaseDBAsyncClient):
    jobs = Jobs(
        fetch=sqlite_jobs.fetch_all,
        write=sqlite_jobs.execute_rowcount,
        insert=sqlite_jobs.execute_insert,
        many=sqlite_jobs.execute_many,
        query=sqlite_jobs.execute_dicts,
        script=sqlite_jobs.execute_script,
        row_write=sqlite_jobs.write_row,
        row_insert=sqlite_jobs.insert_row,
    )
    dialect = _DIALECT
    capabilities = Capabilities.of(_DIALECT, daemon=False)

    def __init__(self, file_path: str = ":memory:", connection_name: str = "default", **kwargs: Any) -> None:
        super().__init__(connection_name=connection_name, fetch_inserted=kwargs.pop("fetch_inserted", True))
        self.filename = file_path
        # Pragma values were validated by tortoise.config, so they are safe in PRAGMA text.
        self.pragmas: dict[str, Any] = {"foreign_keys": "ON"}
        self.pragmas.update({k: v for k, v in kwargs.items() if k in SQLITE_PRAGMAS})
        self._worker: SqliteWorker | None = None
        self._lock = asyncio.Lock()
        self._tx_wrote = False  #: the open transaction has written: it holds the write lock

    # --- lifecycle -------------------------------------------------------------------------
    async def create_connection(self, with_db: bool = True) -> None:
        if self._worker is not None:
            return
        if self.filename != ":memory:":
            directory = os.path.dirname(os.path.abspath(self.filename))
            if not os.path.isdir(directory):
                raise DBConnectionError(
                    f"cannot open SQLite database '{self.filename}': directory {directory} does not exist"
                )
        worker = SqliteWorker(self.filename, self.pragmas)
        try:
            await asyncio.get_running_loop().run_in_executor(None, worker.open)
        except sqlite3.Error as exc:
            raise DBConnectionError(f"cannot open SQLite database '{self.filename}': {exc}") from exc
        self._worker = worker

    async def close(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            await asyncio.get_running_loop().run_in_executor(None, worker.stop)

    async def db_create(self) -> None:
        await self.create_connection()

    async def db_delete(self) -> None:
        await self.close()
        if self.filename != ":memory:":
            try:
                os.remove(self.filename)
            except FileNotFoundError:
                pass

    # --- execution -------------------------------------------------------------------------
    async def _run(self, fn: Any, *args: Any) -> Any:
        worker = self._worker
        if worker is None:
            await self.create_connection()
            worker = self._worker
        try:
            if self._lock.locked():  # a transaction owns the connection: wait for it
                async with self._lock:
                    return await worker.submit(fn, *args)  # type: ignore[union-attr]
            if fn is _FETCH and (rows := worker.read_here(fn, *args)) is not _ON_WORKER:  # type: ignore[union-attr]
                return rows
            return await worker.submit(fn, *args)  # type: ignore[union-attr]
        except Exception as exc:
            _raise_mapped(exc)

    # --- transactions ------------------------------------------------------------------------
    async def _begin(self) -> "SqliteTransactionClient":
        await self._lock.acquire()
        self._tx_wrote = False
        tx = SqliteTransactionClient(self, savepoint=None)
        try:
            await tx._run(sqlite_jobs.control, "BEGIN")
        except BaseException:
            self._lock.release()
            raise
        return tx


class SqliteTransactionClient(SqliteClient):
    """Runs on its parent's worker without the lock (it holds it), inside BEGIN or a SAVEPOINT."""

    def __init__(self, parent: SqliteClient, savepoint: str | None) -> None:
        self.connection_name = parent.connection_name
        self.fetch_inserted = parent.fetch_inserted
        self.filename = parent.filename
        self._root = parent
        self._savepoint = savepoint
        self._depth = 0
        self._finished = False

    async def _run(self, fn: Any, *args: Any) -> Any:
        root = self._root
        worker = root._worker
        if worker is None:
            raise TransactionManagementError("the connection was closed during the transaction")
        try:
            if fn in _ROW_WRITES:
                if root._tx_wrote and worker.may_run_here():
                    return worker.run_here(fn, *args)
            elif fn is _FETCH and (rows := worker.read_here(fn, *args)) is not _ON_WORKER:
                return rows
            result = await worker.submit(fn, *args)
            if fn in _WRITES:
                root._tx_wrote = True
            return result
        except Exception as exc:
            _raise_mapped(exc)

    async def _begin(self) -> "SqliteTransactionClient":
        self._depth += 1
        name = f"aldabra_sp{id(self)}_{self._depth}"
        await self._run(sqlite_jobs.control, f'SAVEPOINT "{name}"')
        return SqliteTransactionClient(self._root, savepoint=name)

    async def _finish(self, commit: bool) -> None:
        if self._finished:
            raise TransactionManagementError("the transaction was already committed or rolled back")
        self._finished = True
        sp = self._savepoint
        try:
            if sp is None:
                sql = "COMMIT" if commit else "ROLLBACK"
                await asyncio.shield(self._run(sqlite_jobs.control, sql))
            elif commit:
                await asyncio.shield(self._run(sqlite_jobs.control, f'RELEASE SAVEPOINT "{sp}"'))
            else:
                await asyncio.shield(self._run(sqlite_jobs.execute_script, f'ROLLBACK TO SAVEPOINT "{sp}";\nRELEASE SAVEPOINT "{sp}";'))
        finally:
            if sp is None:
                self._root._tx_wrote = False
                self._root._lock.release()

    async def _end(self, commit: bool) -> None:
        if not self._finished:
            await self._finish(commit)

    async def commit(self) -> None:
        await self._finish(commit=True)

    async def rollback(self) -> None:
        await self._finish(commit=False)

    async def close(self) -> None:  # the parent owns the connection
        return None
