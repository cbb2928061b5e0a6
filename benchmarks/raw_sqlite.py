"""Raw SQLite sides: stdlib ``sqlite3`` (synchronous) and ``aiosqlite`` (thread per connection).

Both open the benchmark file in autocommit mode (``isolation_level=None``) and apply the
same PRAGMAs the Aldabra connection runs with (``run.py`` reads them from Aldabra's
connection), so single-statement writes commit exactly like the ORM's do and explicit
transactions use BEGIN/COMMIT.  Concurrent tasks share the one connection; a transaction
holds a lock, so the tasks take turns for transactions (as they do on Aldabra's client).
"""
from __future__ import annotations

import asyncio
import sqlite3
from typing import Any, Callable, Sequence

from benchmarks.raw_base import RawSide


def _pragma_sql(pragmas: dict[str, Any]) -> list[str]:
    return [f"PRAGMA {k}={v}" for k, v in pragmas.items()]


class _SqliteFileSide(RawSide):
    """One connection to the benchmark file, opened by ``open()`` into ``self.conn``."""

    dialect = "sqlite"

    def __init__(self, make_work: Callable[[str], Any], path: str, pragmas: dict[str, Any]) -> None:
        super().__init__(make_work)
        self.path = path
        self.pragmas = pragmas
        self.conn: Any = None
        #: one transaction at a time on the one connection (the tasks take turns, as on Aldabra's)
        self.tx_lock = asyncio.Lock()

    async def _insert_tx_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        return await self._in_transaction(self._insert_chunk, sql, chunk)

    async def _insert_many_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        """One ``executemany`` inside BEGIN/COMMIT (sqlite3 would otherwise commit each row)."""
        return await self._in_transaction(self._executemany, sql, chunk)

    async def _executemany(self, sql: str, chunk: Sequence[tuple]) -> int:
        raise NotImplementedError

    async def _write_tx_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        return await self._in_transaction(self._write_chunk, sql, chunk)

    async def _in_transaction(self, work: Callable, sql: str, chunk: Sequence[tuple]) -> int:
        async with self.tx_lock:
            await self._execute("BEGIN")
            try:
                n = await work(sql, chunk)
            except BaseException:
                await self._execute("ROLLBACK")
                raise
            await self._execute("COMMIT")
        return n


class Sqlite3Side(_SqliteFileSide):
    """The synchronous floor: no event loop, no thread hop."""

    label = "sqlite3"

    async def open(self) -> None:
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        for sql in _pragma_sql(self.pragmas):
            self.conn.execute(sql)

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    async def _execute(self, sql: str, params: tuple = ()) -> None:
        self.conn.execute(sql, params)

    async def _fetch_all(self, sql: str, params: tuple = ()) -> list:
        return self.conn.execute(sql, params).fetchall()

    # --- what one task does with its chunk (timed) -----------------------------------------------
    async def _insert_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        ex = self.conn.execute
        for p in chunk:
            ex(sql, p).lastrowid
        return len(chunk)

    async def _executemany(self, sql: str, chunk: Sequence[tuple]) -> int:
        self.conn.executemany(sql, chunk)
        return len(chunk)

    async def _fetch_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        ex, n = self.conn.execute, 0
        for p in chunk:
            n += len(ex(sql, p).fetchall())
        return n

    async def _write_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        ex, n = self.conn.execute, 0
        for p in chunk:
            n += ex(sql, p).rowcount
        return n


class AiosqliteSide(_SqliteFileSide):
    """aiosqlite: one worker thread per connection, one hop per call (execute_fetchall)."""

    label = "aiosqlite"

    async def open(self) -> None:
        import aiosqlite

        self.conn = await aiosqlite.connect(self.path, isolation_level=None)
        for sql in _pragma_sql(self.pragmas):
            await self.conn.execute(sql)

    async def close(self) -> None:
        if self.conn is not None:
            await self.conn.close()

    async def _execute(self, sql: str, params: tuple = ()) -> None:
        await self.conn.execute(sql, params)

    async def _fetch_all(self, sql: str, params: tuple = ()) -> list:
        return list(await self.conn.execute_fetchall(sql, params))

    # --- what one task does with its chunk (timed) -----------------------------------------------
    async def _insert_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        ex = self.conn.execute
        for p in chunk:
            (await ex(sql, p)).lastrowid
        return len(chunk)

    async def _executemany(self, sql: str, chunk: Sequence[tuple]) -> int:
        await self.conn.executemany(sql, chunk)
        return len(chunk)

    async def _fetch_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        fetch, n = self.conn.execute_fetchall, 0
        for p in chunk:
            n += len(await fetch(sql, p))
        return n

    async def _write_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        ex, n = self.conn.execute, 0
        for p in chunk:
            n += (await ex(sql, p)).rowcount
        return n
