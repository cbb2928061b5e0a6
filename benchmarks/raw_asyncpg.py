"""Raw PostgreSQL side: asyncpg, a pool of ``plan.concurrency`` connections, that many tasks.

Single-row statements go through ``pool.fetch/fetchval/execute`` (acquire, run, release --
asyncpg's prepared-statement cache does the rest); a transaction holds one acquired
connection; bulk inserts use ``executemany`` (pipelined).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from benchmarks.raw_base import RawSide


def _affected(status: str) -> int:
    return int(status.rsplit(" ", 1)[1])


class AsyncpgSide(RawSide):
    label = "asyncpg"
    dialect = "postgres"

    def __init__(self, make_work: Callable[[str], Any], dsn: str) -> None:
        super().__init__(make_work)
        self.dsn = dsn
        self.pool: Any = None

    async def open(self) -> None:
        import asyncpg

        size = max(1, self.plan.concurrency)
        self.pool = await asyncpg.create_pool(self.dsn, min_size=size, max_size=size)

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()

    async def _execute(self, sql: str, params: tuple = ()) -> None:
        await self.pool.execute(sql, *params)

    async def _fetch_all(self, sql: str, params: tuple = ()) -> list:
        return await self.pool.fetch(sql, *params)

    # --- what one task does with its chunk (timed) ----------------------------------------------
    async def _insert_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        fetchval = self.pool.fetchval
        for p in chunk:
            await fetchval(sql, *p)
        return len(chunk)

    async def _insert_tx_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        async with self.pool.acquire() as con:
            async with con.transaction():
                for p in chunk:
                    await con.fetchval(sql, *p)
        return len(chunk)

    async def _write_tx_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        n = 0
        async with self.pool.acquire() as con:
            async with con.transaction():
                for p in chunk:
                    n += _affected(await con.execute(sql, *p))
        return n

    async def _insert_many_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        async with self.pool.acquire() as con:
            await con.executemany(sql, chunk)
        return len(chunk)

    async def _fetch_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        fetch, n = self.pool.fetch, 0
        for p in chunk:
            n += len(await fetch(sql, *p))
        return n

    async def _write_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        execute, n = self.pool.execute, 0
        for p in chunk:
            n += _affected(await execute(sql, *p))
        return n
