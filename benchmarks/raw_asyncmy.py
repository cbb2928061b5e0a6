"""Raw MySQL/MariaDB side: asyncmy, a pool of ``plan.concurrency`` connections, that many tasks.

Each statement acquires a pooled connection, runs on a cursor and releases it (what an
application using the pool directly writes); connections are in autocommit mode, a
transaction is BEGIN ... COMMIT on one acquired connection; bulk inserts use
``executemany`` (asyncmy rewrites it into multi-row INSERTs).
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Sequence

from benchmarks.raw_base import RawSide

#: what is counted for one executed statement, from its cursor
CursorCount = Callable[[Any], Awaitable[int]]


async def _read_new_id(cur: Any) -> int:
    cur.lastrowid
    return 1


async def _fetch_rows(cur: Any) -> int:
    return len(await cur.fetchall())


async def _one_statement(cur: Any) -> int:
    return 1  # MySQL reports *changed* rows; count statements


class AsyncmySide(RawSide):
    label = "asyncmy"
    dialect = "mysql"

    def __init__(self, make_work: Callable[[str], Any], conn_kwargs: dict[str, Any]) -> None:
        super().__init__(make_work)
        self.conn_kwargs = conn_kwargs
        self.pool: Any = None

    async def open(self) -> None:
        import asyncmy

        size = max(1, self.plan.concurrency)
        self.pool = await asyncmy.create_pool(
            minsize=size, maxsize=size, autocommit=True, charset="utf8mb4", **self.conn_kwargs
        )

    async def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            await self.pool.wait_closed()

    async def _execute(self, sql: str, params: tuple = ()) -> None:
        await self._fetch_all(sql, params)

    async def _fetch_all(self, sql: str, params: tuple = ()) -> list:
        async with self.pool.acquire() as conn:
            async with conn.cursor() as cur:
                await cur.execute(sql, params)
                return list(await cur.fetchall())

    # --- what one task does with its chunk (timed) ----------------------------------------------
    async def _each_on_pooled_cursor(self, sql: str, chunk: Sequence[tuple], count: CursorCount) -> int:
        """Per parameter tuple: acquire a connection, execute on a cursor, ``count(cur)``, release."""
        pool, n = self.pool, 0
        for p in chunk:
            async with pool.acquire() as conn:
                async with conn.cursor() as cur:
                    await cur.execute(sql, p)
                    n += await count(cur)
        return n

    async def _insert_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        return await self._each_on_pooled_cursor(sql, chunk, _read_new_id)

    async def _in_transaction(self, sql: str, chunk: Sequence[tuple], count: CursorCount) -> int:
        """BEGIN, per parameter tuple execute and ``count(cur)``, COMMIT -- on one acquired connection."""
        n = 0
        async with self.pool.acquire() as conn:
            await conn.begin()
            try:
                async with conn.cursor() as cur:
                    for p in chunk:
                        await cur.execute(sql, p)
                        n += await count(cur)
            except BaseException:
                await conn.rollback()
                raise
            await conn.commit()
        return n

    async def _insert_tx_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        return await self._in_transaction(sql, chunk, _read_new_id)

    async def _write_tx_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        return await self._in_transaction(sql, chunk, _one_statement)

    async def _insert_many_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        async with self.pool.acquire() as conn:
            async with conn.cursor() as cur:
                await cur.executemany(sql, chunk)
        return len(chunk)

    async def _fetch_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        return await self._each_on_pooled_cursor(sql, chunk, _fetch_rows)

    async def _write_chunk(self, sql: str, chunk: Sequence[tuple]) -> int:
        return await self._each_on_pooled_cursor(sql, chunk, _one_statement)
