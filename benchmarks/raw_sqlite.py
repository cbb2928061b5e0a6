"""Raw SQLite sides: stdlib ``sqlite3`` (synchronous) and ``aiosqlite`` (thread per connection).

Both open the benchmark file in autocommit mode (``isolation_level=None``) and apply the
same PRAGMAs the Aldabra connection runs with (``run.py`` reads them from Aldabra's
connection), so single-statement writes commit exactly like the ORM's do and explicit
transactions use BEGIN/COMMIT.
"""
from __future__ import annotations

import sqlite3
from typing import Any, Sequence

from benchmarks.raw_base import RawSide
from benchmarks.workload import Plan


def _pragma_sql(pragmas: dict[str, Any]) -> list[str]:
    return [f"PRAGMA {k}={v}" for k, v in pragmas.items()]


class _SqliteFileSide(RawSide):
    """One connection to the benchmark file, opened by ``open()`` into ``self.conn``."""

    dialect = "sqlite"

    def __init__(self, plan: Plan, path: str, pragmas: dict[str, Any]) -> None:
        super().__init__(plan)
        self.path = path
        self.pragmas = pragmas
        self.conn: Any = None


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

    async def _reset(self) -> None:
        self.conn.execute(self.st.reset)

    async def _load_write_rows(self) -> list[int]:
        await self._insert_many_chunk(self.st.insert_many, self.write_params)
        return [r[0] for r in self.conn.execute(self.st.write_ids).fetchall()]

    # --- what one task does with its chunk (timed; one task on SQLite) ---------------------------
    async def _insert_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        ex = self.conn.execute
        for p in chunk:
            ex(sql, p).lastrowid
        return len(chunk)

    async def _insert_tx_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        ex = self.conn.execute
        ex("BEGIN")
        for p in chunk:
            ex(sql, p).lastrowid
        ex("COMMIT")
        return len(chunk)

    async def _insert_many_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        c = self.conn
        c.execute("BEGIN")
        c.executemany(sql, chunk)
        c.execute("COMMIT")
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

    async def _reset(self) -> None:
        await self.conn.execute(self.st.reset)

    async def _load_write_rows(self) -> list[int]:
        await self._insert_many_chunk(self.st.insert_many, self.write_params)
        return [r[0] for r in await self.conn.execute_fetchall(self.st.write_ids)]

    # --- what one task does with its chunk (timed; one task on SQLite) ---------------------------
    async def _insert_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        ex = self.conn.execute
        for p in chunk:
            (await ex(sql, p)).lastrowid
        return len(chunk)

    async def _insert_tx_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        ex = self.conn.execute
        await ex("BEGIN")
        for p in chunk:
            (await ex(sql, p)).lastrowid
        await ex("COMMIT")
        return len(chunk)

    async def _insert_many_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        c = self.conn
        await c.execute("BEGIN")
        await c.executemany(sql, chunk)
        await c.execute("COMMIT")
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
