"""Executor: apply and revert migration files, one transaction and one record each.

- Only what is missing is applied, in order; the recorder row is written in the same
  transaction as the migration (PostgreSQL and SQLite roll both back on error).
- MySQL commits every DDL statement as it runs, so there a migration runs without a
  transaction, one statement at a time, and the number of statements done is recorded
  after each; a failure names the statement, and the next run resumes after the last
  statement that succeeded (downgrades likewise).
- On PostgreSQL and MySQL a lock held for the whole run (the dialect's ``migration_lock``) keeps
  two concurrent ``upgrade`` runs from applying the same migration; the list of pending
  migrations is read after taking it.
- SQLite rebuilds tables: foreign-key enforcement is turned off around the transaction
  (it cannot change inside one) and the keys are checked before committing.
"""
from __future__ import annotations

import contextlib
import zlib
from typing import Any, AsyncIterator, Callable

from tortoise.migrations.exceptions import DowngradeError, MigrationError
from tortoise.migrations.loader import Loader
from tortoise.migrations.recorder import Recorder
from tortoise.migrations.sqlsplit import split_statements
from tortoise.transactions import in_transaction

LOCK_TIMEOUT = 300


class Executor:
    def __init__(self, client: Any, recorder: Recorder, loader: Loader, app: str, echo: Callable[[str], None] = print) -> None:
        self.client = client
        self.recorder = recorder
        self.loader = loader
        self.app = app
        self.echo = echo
        self.dialect = client.dialect

    # --- queries ------------------------------------------------------------------------
    async def applied(self) -> list[str]:
        return await self.recorder.applied(self.app) if await self.recorder.exists() else []

    async def pending(self) -> list[str]:
        done = set(await self.applied())
        return [name for name in self.loader.files() if name not in done]

    # --- upgrade ------------------------------------------------------------------------
    async def upgrade(self, run_in_transaction: bool = True, fake: bool = False) -> list[str]:
        files = self.loader.files()
        modules = {name: self.loader.module(name) for name in files}  # a corrupt file fails before anything runs
        done: list[str] = []
        async with self._run_lock():
            await self.recorder.ensure()
            applied = set(await self.recorder.applied(self.app))
            pending = [name for name in files if name not in applied]
            if pending and not self.dialect.can_rollback_ddl and not fake:
                self.echo(
                    f"Note: {self.client.server_name} cannot roll back DDL: each statement is committed as it runs, "
                    "and progress is recorded."
                )
            for name in pending:
                module = modules[name]
                state = self.loader.state_of(name) or {}
                in_tx = run_in_transaction and getattr(module, "RUN_IN_TRANSACTION", True)
                async with self._session(in_tx) as conn:
                    sql = await module.upgrade(conn)
                    if not fake:
                        await self._execute(conn, sql or "", f"upgrade:{name}")
                    await self.recorder.record(self.app, name, state, conn)
                done.append(name)
        return done

    # --- downgrade ----------------------------------------------------------------------
    async def downgrade(self, version: int = -1, delete: bool = False, fake: bool = False) -> list[str]:
        applied = await self.applied()
        if not applied:
            raise DowngradeError(f"no applied migration to downgrade for app '{self.app}'")
        if version == -1:
            targets = applied[-1:]
        else:
            index = next((i for i, v in enumerate(applied) if v.split("_", 1)[0] == str(version)), None)
            if index is None:
                raise DowngradeError(
                    f"version {version} is not applied for app '{self.app}'; applied: {', '.join(applied)}"
                )
            targets = applied[index:]
        if targets[0] == applied[0]:
            raise DowngradeError(
                f"{targets[0]} is the first migration of app '{self.app}' and cannot be reverted; "
                "to start over, use `aerich reset` then `aerich init-db`"
            )
        modules = {name: self.loader.module(name) for name in targets}
        done: list[str] = []
        async with self._run_lock():
            for name in reversed(targets):
                module = modules[name]
                async with self._session(getattr(module, "RUN_IN_TRANSACTION", True)) as conn:
                    sql = await module.downgrade(conn)
                    if not fake:
                        await self._execute(conn, sql or "", f"downgrade:{name}")
                    await self.recorder.forget(self.app, name, conn)
                if delete:
                    (self.loader.folder / name).unlink()
                done.append(name)
        return done

    # --- running SQL ----------------------------------------------------------------------
    async def _execute(self, conn: Any, sql: str, key: str) -> None:
        """Run the statements of one migration; ``key`` is "<direction>:<file>"."""
        statements = split_statements(sql, backslash_escapes=self.dialect.backslash_escapes)
        resumable = not self.dialect.can_rollback_ddl
        done = await self.recorder.progress(self.app, key) if resumable else 0
        if done:
            self.echo(f"Resuming {key.split(':', 1)[1]} after statement {done} of {len(statements)}")
        for number, statement in enumerate(statements, 1):
            if number <= done:
                continue
            try:
                await conn.execute_script(statement)
            except Exception as exc:
                detail = " ".join(str(exc).split())
                where = f"{key.split(':', 1)[1]}: statement {number} of {len(statements)} failed ({detail}): {' '.join(statement.split())[:200]}"
                if resumable:
                    where += (
                        f"; statements 1-{number - 1} stay applied (DDL cannot be rolled back here): fix the file and run the "
                        f"command again to resume at statement {number}" if number > 1 else "; nothing was applied"
                    )
                else:
                    where += "; the migration was rolled back"
                raise MigrationError(where) from exc
            if resumable:
                await self.recorder.set_progress(self.app, key, number)
        if resumable and statements:
            await self.recorder.set_progress(self.app, key, 0)

    @contextlib.asynccontextmanager
    async def _session(self, transactional: bool) -> AsyncIterator[Any]:
        if not transactional or not self.dialect.can_rollback_ddl:  # see the module's docstring
            yield self.client
            return
        fk_off = self.dialect.foreign_key_enforcement(False)
        if fk_off is None:
            async with in_transaction(self.client.connection_name) as conn:
                yield conn
            return
        await self.client.execute_script(fk_off)
        try:
            async with in_transaction(self.client.connection_name) as conn:
                yield conn
                broken = await conn.execute_query_dict(self.dialect.foreign_key_violations())
                if broken:
                    first = broken[0]
                    raise MigrationError(
                        f"migration leaves {len(broken)} row(s) whose foreign key points nowhere "
                        f"(first: table {first.get('table')}, row {first.get('rowid')} -> {first.get('parent')}); rolled back"
                    )
        finally:
            await self.client.execute_script(self.dialect.foreign_key_enforcement(True))

    @contextlib.asynccontextmanager
    async def _run_lock(self) -> AsyncIterator[None]:
        """A lock held by one pooled connection for the whole run (where the database has one).

        The connection is taken straight from the pool, outside any transaction, so the
        migrations' own transactions run on other connections."""
        key = zlib.crc32(f"aldabra-migrate:{self.app}".encode())
        lock = self.dialect.migration_lock(key, LOCK_TIMEOUT)
        if lock is None:
            yield
            return
        fetch = self.client.jobs.fetch
        async with self.client.acquire_connection() as conn:
            rows = await fetch(conn, *lock)
            if not rows or rows[0][-1] != 1:
                raise MigrationError(f"another migration run holds the lock of app '{self.app}' (waited {LOCK_TIMEOUT}s)")
            try:
                yield
            finally:
                await fetch(conn, *self.dialect.migration_unlock(key))
