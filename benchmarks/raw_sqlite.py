"""Raw SQLite sides: stdlib ``sqlite3`` (synchronous) and ``aiosqlite`` (thread per connection).

Both open the benchmark file in autocommit mode (``isolation_level=None``) and apply the
same PRAGMAs the Aldabra connection runs with (``run.py`` reads them from Aldabra's
connection), so single-statement writes commit exactly like the ORM's do and explicit
transactions use BEGIN/COMMIT.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from benchmarks.raw_base import RawSide
from benchmarks.workload import Plan


def _pragma_sql(pragmas: dict[str, Any]) -> list[str]:
    return [f"PRAGMA {k}={v}" for k, v in pragmas.items()]


class Sqlite3Side(RawSide):
    """The synchronous floor: no event loop, no thread hop."""

    label = "sqlite3"
    dialect = "sqlite"

    def __init__(self, plan: Plan, path: str, pragmas: dict[str, Any]) -> None:
        super().__init__(plan)
        self.path = path
        self.pragmas = pragmas
        self.conn: sqlite3.Connection | None = None

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
        c = self.conn
        c.execute("BEGIN")
        c.executemany(self.st.insert_many, self.write_params)
        c.execute("COMMIT")
        return [r[0] for r in c.execute(self.st.write_ids).fetchall()]

    # --- timed operations --------------------------------------------------------------------
    async def op_insert_single(self) -> int:
        ex, sql = self.conn.execute, self.st.insert
        for p in self.insert_params:
            ex(sql, p).lastrowid
        return len(self.insert_params)

    async def op_insert_tx(self) -> int:
        ex, sql = self.conn.execute, self.st.insert
        ex("BEGIN")
        for p in self.insert_params:
            ex(sql, p).lastrowid
        ex("COMMIT")
        return len(self.insert_params)

    async def op_bulk_insert(self) -> int:
        c = self.conn
        c.execute("BEGIN")
        c.executemany(self.st.insert_many, self.bulk_params)
        c.execute("COMMIT")
        return len(self.bulk_params)

    def _fetch_all(self, sql: str, params_list: list[tuple]) -> int:
        ex, n = self.conn.execute, 0
        for p in params_list:
            n += len(ex(sql, p).fetchall())
        return n

    async def op_filter_large(self) -> int:
        return self._fetch_all(self.st.filter_large, self.large_params)

    async def op_filter_offset(self) -> int:
        return self._fetch_all(self.st.filter_offset, self.offset_params)

    async def op_get_pk(self) -> int:
        return self._fetch_all(self.st.get_pk, self.get_params)

    async def op_values(self) -> int:
        return self._fetch_all(self.st.filter_large, self.large_params)

    async def op_values_list(self) -> int:
        return self._fetch_all(self.st.values_list, self.large_params)

    def _write_each(self, sql: str, params_list: list[tuple]) -> int:
        ex, n = self.conn.execute, 0
        for p in params_list:
            n += ex(sql, p).rowcount
        return n

    async def op_update_whole(self) -> int:
        return self._write_each(self.st.update_whole, self.update_whole_params)

    async def op_update_fields(self) -> int:
        return self._write_each(self.st.update_fields, self.update_fields_params)

    async def op_delete(self) -> int:
        return self._write_each(self.st.delete, self.delete_params)


class AiosqliteSide(RawSide):
    """aiosqlite: one worker thread per connection, one hop per call (execute_fetchall)."""

    label = "aiosqlite"
    dialect = "sqlite"

    def __init__(self, plan: Plan, path: str, pragmas: dict[str, Any]) -> None:
        super().__init__(plan)
        self.path = path
        self.pragmas = pragmas
        self.db: Any = None

    async def open(self) -> None:
        import aiosqlite

        self.db = await aiosqlite.connect(self.path, isolation_level=None)
        for sql in _pragma_sql(self.pragmas):
            await self.db.execute(sql)

    async def close(self) -> None:
        if self.db is not None:
            await self.db.close()

    async def _reset(self) -> None:
        await self.db.execute(self.st.reset)

    async def _load_write_rows(self) -> list[int]:
        db = self.db
        await db.execute("BEGIN")
        await db.executemany(self.st.insert_many, self.write_params)
        await db.execute("COMMIT")
        return [r[0] for r in await db.execute_fetchall(self.st.write_ids)]

    # --- timed operations --------------------------------------------------------------------
    async def op_insert_single(self) -> int:
        ex, sql = self.db.execute, self.st.insert
        for p in self.insert_params:
            (await ex(sql, p)).lastrowid
        return len(self.insert_params)

    async def op_insert_tx(self) -> int:
        ex, sql = self.db.execute, self.st.insert
        await ex("BEGIN")
        for p in self.insert_params:
            (await ex(sql, p)).lastrowid
        await ex("COMMIT")
        return len(self.insert_params)

    async def op_bulk_insert(self) -> int:
        db = self.db
        await db.execute("BEGIN")
        await db.executemany(self.st.insert_many, self.bulk_params)
        await db.execute("COMMIT")
        return len(self.bulk_params)

    async def _fetch_all(self, sql: str, params_list: list[tuple]) -> int:
        fetch, n = self.db.execute_fetchall, 0
        for p in params_list:
            n += len(await fetch(sql, p))
        return n

    async def op_filter_large(self) -> int:
        return await self._fetch_all(self.st.filter_large, self.large_params)

    async def op_filter_offset(self) -> int:
        return await self._fetch_all(self.st.filter_offset, self.offset_params)

    async def op_get_pk(self) -> int:
        return await self._fetch_all(self.st.get_pk, self.get_params)

    async def op_values(self) -> int:
        return await self._fetch_all(self.st.filter_large, self.large_params)

    async def op_values_list(self) -> int:
        return await self._fetch_all(self.st.values_list, self.large_params)

    async def _write_each(self, sql: str, params_list: list[tuple]) -> int:
        ex, n = self.db.execute, 0
        for p in params_list:
            n += (await ex(sql, p)).rowcount
        return n

    async def op_update_whole(self) -> int:
        return await self._write_each(self.st.update_whole, self.update_whole_params)

    async def op_update_fields(self) -> int:
        return await self._write_each(self.st.update_fields, self.update_fields_params)

    async def op_delete(self) -> int:
        return await self._write_each(self.st.delete, self.delete_params)
